"""Full-text search over document numbers, titles and current content.

The text of each document sits in `SearchEntry` (rewritten by the services on every revision
change). SQLite, the embedded default, indexes it with an FTS5 table that triggers keep in step;
PostgreSQL with a GIN index on a stored, weighted `tsvector` column. Both come from the app's
migration (`install_index`).

Both the stored text and the query are reduced to words (letters and digits), so "SOP-007" is
the two words "sop" and "007" on either engine, and quotes, operators or brackets in what a user
types never become query syntax. Each word matches as a prefix ("avvik" finds
"avvikshåndtering"), all words must match, the number weighs more than the title, and the title
more than the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import RawSQL

# The SQL below is put together from the constant names of this module only; everything a user
# types reaches the database as a query parameter. Hence the S608/S611 exemptions.

FTS_TABLE = "documents_search_fts"
PG_INDEX = "documents_search_gin"
# On PostgreSQL a stored generated column holds the weighted vector, so neither matching nor
# ranking parses the text again. Django does not know the column: the database fills it on
# every insert and update, and a backup (which lists the model's fields) leaves it out.
PG_VECTOR = "search_vector"
_PG_VECTOR_EXPRESSION = (
    "setweight(to_tsvector('simple'::regconfig, number), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, title), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, body), 'C')"
)
MAX_TERMS = 16
MAX_TERM_LENGTH = 64
MAX_BODY = 2_000_000
_WORD = re.compile(r"[^\W_]+")

_SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS documents_search_fts USING fts5("
    "number, title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS documents_search_fts_ai AFTER INSERT ON documents_searchentry "
    "BEGIN INSERT INTO documents_search_fts(rowid, number, title, body) "
    "VALUES (new.document_id, new.number, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS documents_search_fts_ad AFTER DELETE ON documents_searchentry "
    "BEGIN DELETE FROM documents_search_fts WHERE rowid = old.document_id; END",
    "CREATE TRIGGER IF NOT EXISTS documents_search_fts_au AFTER UPDATE ON documents_searchentry "
    "BEGIN DELETE FROM documents_search_fts WHERE rowid = old.document_id; "
    "INSERT INTO documents_search_fts(rowid, number, title, body) "
    "VALUES (new.document_id, new.number, new.title, new.body); END",
    "DELETE FROM documents_search_fts",
    "INSERT INTO documents_search_fts(rowid, number, title, body) "
    "SELECT document_id, number, title, body FROM documents_searchentry",
]
_SQLITE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
_PG_INSTALL = [
    "ALTER TABLE documents_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({_PG_VECTOR_EXPRESSION}) STORED",
    "CREATE INDEX IF NOT EXISTS documents_search_gin ON documents_searchentry "
    "USING gin (search_vector)",
]
_PG_UNINSTALL = [
    "DROP INDEX IF EXISTS documents_search_gin",
    "ALTER TABLE documents_searchentry DROP COLUMN IF EXISTS search_vector",
]


def install_index(conn) -> None:
    """Create the engine's index over `SearchEntry` (called by the migration)."""
    statements = {"sqlite": _SQLITE_INSTALL, "postgresql": _PG_INSTALL}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def uninstall_index(conn) -> None:
    statements = {"sqlite": _SQLITE_UNINSTALL, "postgresql": _PG_UNINSTALL}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- keeping the text up to date ------------------------------------------------------------


def searchable_text(document) -> str:
    """The current content: the effective revision's, else the newest revision's (a draft)."""
    from samsvar.documents.models import Revision

    revision = document.current_revision
    if revision is None:
        revision = Revision.objects.filter(document=document).order_by("-pk").first()
    parts = [document.publisher, document.edition]
    if revision is not None:
        parts += [revision.attachment_name, revision.content_md]
    return "\n".join(part for part in parts if part)[:MAX_BODY]


def words_only(text: str) -> str:
    """The words of a text separated by spaces. Both engines then split it the same way;
    PostgreSQL's parser would otherwise read "SOP-002" as "sop" and the number -002."""
    return " ".join(_WORD.findall(text or ""))


def index_document(document) -> None:
    """Rewrite the document's search entry; runs inside the service's transaction."""
    from samsvar.documents.models import SearchEntry

    values = {
        "number": words_only(document.number),
        "title": words_only(document.title),
        "body": words_only(searchable_text(document)),
    }
    updated = SearchEntry.objects.filter(document=document).update(**values)
    if not updated:
        SearchEntry.objects.create(document=document, **values)


def reindex_all() -> int:
    """Rebuild every search entry (after a restore from an older backup, say)."""
    from samsvar.documents.models import Document

    count = 0
    for document in Document.objects.select_related("current_revision").iterator(chunk_size=500):
        index_document(document)
        count += 1
    return count


# --- querying ---------------------------------------------------------------------------------


def terms(query: str) -> list[str]:
    """The words of a query: letters and digits only, so no character is query syntax."""
    words = _WORD.findall((query or "").replace("\x00", " "))
    return [word[:MAX_TERM_LENGTH].lower() for word in words][:MAX_TERMS]


def _sqlite_match(words: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)


def _pg_query(words: list[str]) -> str:
    return " & ".join(f"{word}:*" for word in words)


def _pg_rows(visible, words: list[str]) -> list[tuple[int, str, float]]:
    """One query: the visible documents that match, with their rank (PostgreSQL)."""
    query = _pg_query(words)
    rank = RawSQL(
        "ts_rank(documents_searchentry.search_vector, to_tsquery('simple'::regconfig, %s))",
        [query],
        output_field=FloatField(),
    )
    match = RawSQL(
        "documents_searchentry.search_vector @@ to_tsquery('simple'::regconfig, %s)",
        [query],
        output_field=BooleanField(),
    )
    return list(
        visible.filter(search_entry__isnull=False)
        .filter(match)
        .annotate(search_rank=rank)
        .values_list("pk", "number", "search_rank")
    )


def _sqlite_rows(visible, words: list[str]) -> list[tuple[int, str, float]]:
    """The FTS5 matches with their bm25 rank, then the visible ones among them (SQLite)."""
    match = _sqlite_match(words)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, -bm25({FTS_TABLE}, 10.0, 4.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s",
            [match],
        )
        ranks = {row[0]: float(row[1]) for row in cursor.fetchall()}
    if not ranks:
        return []
    matching = RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match])  # noqa: S608, S611
    rows = visible.filter(pk__in=matching).values_list("pk", "number")
    return [(pk, number, ranks.get(pk, 0.0)) for pk, number in rows]


def _plain_rows(visible, words: list[str]) -> list[tuple[int, str, float]]:
    """Any other database: every word somewhere in the text, unranked."""
    condition = Q()
    for word in words:
        condition &= (
            Q(search_entry__number__icontains=word)
            | Q(search_entry__title__icontains=word)
            | Q(search_entry__body__icontains=word)
        )
    return [
        (pk, number, 1.0) for pk, number in visible.filter(condition).values_list("pk", "number")
    ]


def ranked_rows(visible, words: list[str]) -> list[tuple[int, str, float]]:
    """(id, number, rank) of the documents in `visible` that match every word."""
    rows = {"postgresql": _pg_rows, "sqlite": _sqlite_rows}.get(connection.vendor, _plain_rows)
    return rows(visible, words)


@dataclass
class SearchResults(Sequence):
    """Documents in rank order, loaded only for the slice that is shown.

    Works with Django's Paginator (`count()`, slicing) without loading every match.
    """

    ids: list[int]
    base: object  # the visible-documents queryset the objects are loaded from
    ranks: dict[int, float]

    def count(self) -> int:  # type: ignore[override]
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def _load(self, ids: list[int]) -> list:
        found = self.base.in_bulk(ids)
        result = []
        for pk in ids:
            document = found.get(pk)
            if document is not None:
                document.search_rank = self.ranks.get(pk, 0.0)
                result.append(document)
        return result

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.ids[index])
        return self._load([self.ids[index]])[0]

    def __iter__(self) -> Iterator:
        for start in range(0, len(self.ids), 500):
            yield from self._load(self.ids[start : start + 500])


def document_search(
    *,
    user,
    q: str = "",
    doc_type: str | None = None,
    status: str | None = None,
    owner=None,
    clause: str | None = None,
) -> SearchResults:
    """Documents the user may see that match the query and filters, best match first.

    An exact document number ("sop-007") comes first. Without any words in `q` the filtered
    list comes back in number order. Bad filter values raise ValidationError naming the filter.
    """
    from samsvar.documents.selectors import document_list

    visible = document_list(user=user, doc_type=doc_type, status=status, owner=owner, clause=clause)
    words = terms(q)
    if not words:
        ids = list(visible.order_by("number").values_list("pk", flat=True))
        return SearchResults(ids=ids, base=visible, ranks={})
    rows = ranked_rows(visible, words)
    exact = (q or "").strip().casefold()
    rows.sort(key=lambda row: (row[1].casefold() != exact, -row[2], row[1]))
    return SearchResults(
        ids=[row[0] for row in rows], base=visible, ranks={row[0]: row[2] for row in rows}
    )
