"""Full-text search over numbers, titles and current content, on SQLite (FTS5) and PostgreSQL.

The suite runs on both databases (SAMSVAR_TEST_DATABASE_URL selects PostgreSQL), so every test
here checks the engine of the database it runs on.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from samsvar.documents import search, services
from samsvar.documents.search import document_search


def numbers(results):
    return [document.number for document in results]


@pytest.fixture
def library(desk, users):
    """Four documents: two effective, one in preparation, one with a newer effective revision."""
    desk.effective_document(
        title="Håndtering av klager",
        content_md="Klager fra brukere registreres og vurderes for rapportering til DMP.",
        iso_clauses=["8.2.2"],
    )  # SOP-001
    desk.effective_document(
        title="Document control",
        content_md="Approval, revision and distribution of controlled documents.",
        iso_clauses=["4.2.4"],
    )  # SOP-002
    desk.document(
        doc_type="work_instruction",
        title="Cleaning of the infusion pump",
        content_md="Wipe the housing with isopropyl alcohol. Never immerse the pump.",
        owner=users["engineer"],
    )  # WI-001
    old = desk.effective_document(
        title="Complaint trending", content_md="Monthly trending of complaints by category."
    )  # SOP-003
    services.revision_create(
        actor=desk.quality,
        document=old,
        reason_for_change="Quarterly instead of monthly",
        content_md="Quarterly statistical trending of complaints.",
    )
    return desk


def test_it_finds_a_word_in_the_title_the_content_and_a_prefix_of_it(library):
    assert numbers(document_search(user=library.quality, q="distribution")) == ["SOP-002"]
    assert numbers(document_search(user=library.quality, q="isopropyl")) == ["WI-001"]
    assert numbers(document_search(user=library.quality, q="clean")) == ["WI-001"]


def test_norwegian_letters_match(library):
    assert numbers(document_search(user=library.quality, q="håndtering")) == ["SOP-001"]
    assert numbers(document_search(user=library.quality, q="KLAGER")) == ["SOP-001"]


def test_a_document_number_finds_that_document_first(library):
    results = document_search(user=library.quality, q="SOP-002")
    assert numbers(results)[0] == "SOP-002"
    assert numbers(document_search(user=library.quality, q="sop-001")) == ["SOP-001"]


def test_all_words_must_match(library):
    assert numbers(document_search(user=library.quality, q="controlled documents")) == ["SOP-002"]
    assert numbers(document_search(user=library.quality, q="controlled pump")) == []


def test_the_title_weighs_more_than_the_text(library, desk):
    desk.document(
        title="Supplier control",
        content_md="Supplier problems found through a complaint are escalated to purchasing.",
    )  # SOP-004: "complaint" only in its text
    ranked = document_search(user=desk.quality, q="complaint")
    assert numbers(ranked) == ["SOP-003", "SOP-004"]
    assert ranked[0].search_rank > ranked[1].search_rank


def test_the_current_content_is_indexed_not_the_superseded_one(library, desk):
    from samsvar.documents.models import Document

    assert numbers(document_search(user=desk.quality, q="monthly")) == ["SOP-003"]
    document = Document.objects.get(number="SOP-003")
    desk.issue(desk.draft(document))
    assert numbers(document_search(user=desk.quality, q="monthly")) == []
    assert numbers(document_search(user=desk.quality, q="quarterly")) == ["SOP-003"]


def test_a_draft_edit_is_searchable_at_once(library, desk):
    from samsvar.documents.models import Document

    draft = desk.draft(Document.objects.get(number="WI-001"))
    services.revision_update(actor=desk.quality, revision=draft, content_md="Use a lint-free cloth")
    assert numbers(document_search(user=desk.quality, q="lint free")) == ["WI-001"]
    assert numbers(document_search(user=desk.quality, q="isopropyl")) == []


@pytest.mark.parametrize(
    "query",
    ['"', '""', "AND(", "OR", "NOT", "NEAR(a b)", "*", "-", "sop-007", "a:b", "title:x", "(((",
     "'; DROP TABLE documents_document; --", "^x", "æøå", "\x00", "x" * 5000, "{a b}", "a & b | !c",
     "\\", "%", "_", ":*", "ÆØÅ æøå", "1.2.3"],
)  # fmt: skip
def test_query_syntax_characters_never_raise(library, query):
    results = document_search(user=library.quality, q=query)
    assert isinstance(numbers(results), list)


def test_an_empty_query_lists_the_filtered_documents_by_number(library):
    assert numbers(document_search(user=library.quality, q="")) == [
        "SOP-001", "SOP-002", "SOP-003", "WI-001",
    ]  # fmt: skip
    assert numbers(document_search(user=library.quality, q="  () ")) == numbers(
        document_search(user=library.quality, q="")
    )


def test_filters_by_type_status_owner_and_clause(library, users):
    quality = library.quality
    assert numbers(document_search(user=quality, q="pump", doc_type="work_instruction")) == [
        "WI-001"
    ]
    assert numbers(document_search(user=quality, q="pump", doc_type="procedure")) == []
    assert numbers(document_search(user=quality, status="draft")) == ["SOP-003", "WI-001"]
    assert numbers(document_search(user=quality, q="complaints", status="effective")) == ["SOP-003"]
    assert numbers(document_search(user=quality, owner=users["engineer"])) == ["WI-001"]
    assert numbers(document_search(user=quality, owner=users["engineer"].pk)) == ["WI-001"]
    assert numbers(document_search(user=quality, clause="4.2")) == ["SOP-002"]
    assert numbers(document_search(user=quality, clause="4.2.4")) == ["SOP-002"]
    assert numbers(document_search(user=quality, clause="4.2.3")) == []


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"doc_type": "memo"}, "doc_type"),
        ({"status": "lost"}, "status"),
        ({"owner": "kari"}, "owner"),
        ({"clause": "four"}, "clause"),
    ],
)
def test_a_bad_filter_is_named(library, filters, field):
    with pytest.raises(ValidationError) as error:
        document_search(user=library.quality, q="x", **filters)
    assert field in error.value.message_dict


def test_results_load_only_the_slice_shown(library, django_assert_num_queries):
    results = document_search(user=library.quality, q="")
    assert len(results) == 4 and results.count() == 4
    with django_assert_num_queries(1):
        page = results[1:3]
    assert numbers(page) == ["SOP-002", "SOP-003"]
    assert page[0].owner.username  # owner came with the page


def test_search_takes_a_constant_number_of_queries(library, desk, django_assert_max_num_queries):
    def run():
        return numbers(document_search(user=desk.quality, q="another")[:20])

    for _ in range(2):
        desk.document(content_md="Another procedure")
    with django_assert_max_num_queries(3) as first:
        assert len(run()) == 2
    for _ in range(5):
        desk.document(content_md="Another procedure")
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert len(run()) == 7


def test_an_inactive_user_finds_nothing(library, users):
    user = users["engineer"]
    user.is_active = False
    assert numbers(document_search(user=user, q="pump")) == []


def test_the_index_can_be_rebuilt(library):
    from samsvar.documents.models import SearchEntry

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
        cursor.execute("DELETE FROM documents_searchentry")
    assert numbers(document_search(user=library.quality, q="isopropyl")) == []
    assert search.reindex_all() == 4
    assert SearchEntry.objects.count() == 4
    assert numbers(document_search(user=library.quality, q="isopropyl")) == ["WI-001"]


def test_the_engine_is_the_databases_own(library):
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH 'pump'"
            )
            assert cursor.fetchone()[0] == 1
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [search.PG_INDEX]
            )
            assert "gin" in cursor.fetchone()[0]
