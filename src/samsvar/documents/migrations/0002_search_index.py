from django.db import migrations


def install(apps, schema_editor):
    from samsvar.documents import search

    search.install_index(schema_editor.connection)


def uninstall(apps, schema_editor):
    from samsvar.documents import search

    search.uninstall_index(schema_editor.connection)


class Migration(migrations.Migration):
    """The full-text index over SearchEntry: FTS5 on SQLite, a GIN expression index on
    PostgreSQL (see samsvar.documents.search)."""

    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
