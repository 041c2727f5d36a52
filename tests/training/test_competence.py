"""Competence records (ISO 13485 6.2 e): certificates that expire, the PRRC's qualification
evidence (MDR/IVDR Art. 15(1)), evidence files and the competences a role still lacks.
"""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from samsvar.training.models import CompetenceRecord
from samsvar.training.selectors import (
    competence_gaps,
    competences_expired,
    competences_expiring,
    prrc_qualification,
)
from samsvar.training.services import (
    competence_record_create,
    competence_record_update,
    competence_requirement_add,
)

TODAY = dt.date(2026, 6, 1)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def record(quality):
    def make(user, **fields):
        values = {"kind": "certificate", "title": "Pump servicing", "date": "2025-01-10"}
        return competence_record_create(actor=quality, user=user, **{**values, **fields})

    return make


@pytest.mark.django_db
def test_certificates_that_expire_soon_or_have_expired(record, trainee, make_user):
    other = make_user(username="other")
    soon = record(trainee, title="Insulin pump servicing certificate", expiry_date="2026-06-20")
    gone = record(other, title="First aid", expiry_date="2026-05-01")
    record(trainee, title="Electrical safety", expiry_date="2027-05-01")
    record(trainee, kind="education", title="BSc Biomedical engineering")
    old = record(trainee, title="Cleanroom", date="2023-02-01", expiry_date="2026-02-01")
    record(trainee, title="Cleanroom", date="2026-02-01", expiry_date="2028-02-01")

    assert list(competences_expiring(TODAY, within_days=30)) == [soon]
    assert list(competences_expired(TODAY)) == [gone], "the renewed cleanroom course is not listed"
    assert old.is_expired(TODAY) and not soon.is_expired(TODAY)


@pytest.mark.django_db
def test_prrc_evidence_shows_whether_article_15_is_met(record, trainee):
    assert not prrc_qualification(trainee).met
    record(trainee, kind="experience", title="RA specialist, Fjordmed", years_experience="2.5",
           prrc_evidence=True)  # fmt: skip
    record(trainee, kind="certificate", title="Unrelated", prrc_evidence=False)
    by_experience = prrc_qualification(trainee)
    assert by_experience.route == "experience"
    assert by_experience.problems == ["too_little_experience"]
    assert by_experience.problem_messages == ["Not enough years of experience for this route."]

    degree = record(
        trainee, kind="education", title="MSc Pharmacy", issuer="UiO", date="2015-06-15",
        prrc_evidence=True,
    )  # fmt: skip
    qualified = prrc_qualification(trainee)
    assert qualified.met and qualified.route == "degree"
    assert qualified.degrees == [degree]
    assert [r.title for r in qualified.records] == ["MSc Pharmacy", "RA specialist, Fjordmed"]
    assert qualified.years_experience == 2.5


@pytest.mark.django_db
def test_an_evidence_file_is_checked_and_its_digest_kept(record, trainee, quality):
    upload = SimpleUploadedFile("diploma.pdf", PDF, content_type="application/pdf")
    kept = record(trainee, kind="education", title="MSc", evidence_file=upload)
    assert kept.evidence_sha256 == hashlib.sha256(PDF).hexdigest()
    kept.refresh_from_db()
    with kept.evidence_file.open("rb") as stored:
        assert stored.read() == PDF

    fake = SimpleUploadedFile("diploma.pdf", b"MZ\x90\x00\x03\x00\x00\x00program")
    with pytest.raises(ValidationError) as refused:
        competence_record_update(actor=quality, record=kept, evidence_file=fake)
    assert "evidence_file" in refused.value.message_dict
    kept.refresh_from_db()
    assert kept.evidence_sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.django_db
def test_competence_refusals_name_the_field(record, trainee, engineer):
    cases = [
        ({"kind": "hobby"}, "kind"),
        ({"title": " "}, "title"),
        ({"date": "2026-02-30"}, "date"),
        ({"expiry_date": "2024-01-01"}, "expiry_date"),
        ({"kind": "experience", "prrc_evidence": True}, "years_experience"),
        ({"kind": "education", "years_experience": "3"}, "years_experience"),
        ({"colour": "blue"}, "colour"),
    ]
    for fields, field in cases:
        with pytest.raises(ValidationError) as refused:
            record(trainee, **fields)
        assert field in refused.value.message_dict, fields
    assert not CompetenceRecord.objects.exists()
    with pytest.raises(PermissionDenied):
        competence_record_create(
            actor=engineer, user=trainee, kind="other", title="x", date=timezone.localdate()
        )


@pytest.mark.django_db
def test_competence_gaps_list_requirements_without_a_valid_record(
    technician_role, assign, trainee, make_user, record, quality
):
    kari = make_user(username="kari", full_name="Kari Hansen")
    assign(trainee, technician_role)
    assign(kari, technician_role)
    servicing = competence_requirement_add(
        actor=quality, job_role=technician_role, name="Insulin pump servicing certificate"
    )
    with pytest.raises(ValidationError) as twice:
        competence_requirement_add(
            actor=quality, job_role=technician_role, name="insulin pump servicing certificate"
        )
    assert "name" in twice.value.message_dict
    record(trainee, requirement=servicing, expiry_date="2027-01-01")
    record(kari, requirement=servicing, expiry_date="2026-01-01")

    gaps = competence_gaps(today=TODAY)
    assert [(g.user.username, g.requirement) for g in gaps] == [("kari", servicing)]
