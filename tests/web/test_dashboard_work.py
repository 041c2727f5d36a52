"""The dashboard lists the QMS work waiting: own training, flagged risks, document reviews."""

import datetime as dt

import pytest
from django.urls import reverse

from samsvar.core.audit import audited
from samsvar.core.permissions import Role
from tests import app_worlds


@pytest.mark.django_db
def test_the_dashboard_shows_training_flagged_risks_and_overdue_reviews(users, device, client):
    from samsvar.risk.models import Risk
    from samsvar.training.models import TrainingTask

    world = app_worlds.build(device=device, users=users)
    task = world["training.task"]
    flagged = Risk.objects.filter(review_flag=True).first()
    assert flagged is not None, "the risk world flags a risk through post-production information"
    document = task.revision.document
    # A periodic review date in the past makes the document overdue for review.
    with audited(actor=users[Role.QUALITY_MANAGER], reason="Review date for the dashboard test"):
        document.next_review_due = dt.date(2020, 1, 1)
        document.save()

    client.force_login(task.user)
    html = client.get(reverse("core:dashboard")).content.decode()
    assert document.number in html
    assert TrainingTask.objects.get(pk=task.pk).status == "open"
    assert f"{flagged.device.name} · {flagged.code}" in html
    assert "2020-01-01" in html  # the overdue periodic review, with its date

    client.force_login(users[Role.AUDITOR])
    auditor_html = client.get(reverse("core:dashboard")).content.decode()
    assert "No open training tasks." in auditor_html
