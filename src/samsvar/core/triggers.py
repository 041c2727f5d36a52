"""Database triggers that make the evidence tables append-only, on SQLite and PostgreSQL.

The hash chain detects tampering even when someone drops these triggers first; the triggers
stop it from happening by accident or through the application.
"""

from contextlib import contextmanager

from django.db import connection as default_connection
from django.db import transaction

APPEND_ONLY_TABLES = ("core_auditevent", "core_recordversion", "core_signature")
# The chain head is updated with every event but may never be deleted.
UNDELETABLE_TABLES = ("core_auditchainhead",)


def _sqlite_sql() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for table in APPEND_ONLY_TABLES + UNDELETABLE_TABLES:
        operations = ["DELETE"] if table in UNDELETABLE_TABLES else ["UPDATE", "DELETE"]
        for op in operations:
            name = f"samsvar_{table}_no_{op.lower()}"
            create.append(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, 'samsvar: {table} is append-only'); END;"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name};")
    return create, drop


def _postgresql_sql() -> tuple[list[str], list[str]]:
    create = [
        "CREATE OR REPLACE FUNCTION samsvar_append_only() RETURNS trigger AS $$ "
        "BEGIN RAISE EXCEPTION 'samsvar: % is append-only', TG_TABLE_NAME; END; "
        "$$ LANGUAGE plpgsql;"
    ]
    drop = []
    for table in APPEND_ONLY_TABLES + UNDELETABLE_TABLES:
        row_ops = "DELETE" if table in UNDELETABLE_TABLES else "UPDATE OR DELETE"
        create.append(
            f"CREATE OR REPLACE TRIGGER samsvar_{table}_append_only BEFORE {row_ops} ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION samsvar_append_only();"
        )
        create.append(
            f"CREATE OR REPLACE TRIGGER samsvar_{table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION samsvar_append_only();"
        )
        drop.append(f"DROP TRIGGER IF EXISTS samsvar_{table}_append_only ON {table};")
        drop.append(f"DROP TRIGGER IF EXISTS samsvar_{table}_no_truncate ON {table};")
    return create, drop


def trigger_sql(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "sqlite":
        return _sqlite_sql()
    if vendor == "postgresql":
        return _postgresql_sql()
    raise RuntimeError(f"samsvar supports SQLite and PostgreSQL, not {vendor}")


def install(connection=default_connection) -> None:
    create, _drop = trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in create:
            cursor.execute(statement)


def uninstall(connection=default_connection) -> None:
    _create, drop = trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)


@contextmanager
def maintenance(connection=default_connection):
    """Lift the triggers for a whole-database operation (flush, restore) in one transaction."""
    with transaction.atomic(using=connection.alias):
        uninstall(connection)
        yield
        install(connection)
