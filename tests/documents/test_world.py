"""The permission walks' document-control records are real and in the states they claim."""

from samsvar.documents import selectors
from tests.documents import world


def test_the_world_builds_one_record_of_each_kind(users, device):
    objects = world.build(device=device, users=users)
    document = objects["documents.document"]
    assert selectors.current_revision(document) == objects["documents.revision"]
    assert objects["documents.superseded_revision"].status == "superseded"
    assert objects["documents.draft_revision"].status == "draft"
    assert objects["documents.draft_revision"].change_request == objects["documents.change_request"]
    assert objects["documents.change_request"].status == "approved"
    assert objects["documents.comment"].revision == objects["documents.draft_revision"]
    assert objects["documents.periodic_review"].status == "recorded"
    assert objects["documents.external"].number == "EXT-001"
    assert all(obj.pk for obj in objects.values())
