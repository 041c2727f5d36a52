"""The demo data set: Fjordmed AS in Oslo. Loading it twice changes nothing."""

import os
import secrets
import string

from django.conf import settings

from samsvar.core.audit import record_event
from samsvar.core.events import Event
from samsvar.core.models import AuditEvent


def demo_password() -> str:
    """SAMSVAR_DEMO_PASSWORD, else a generated one kept (mode 0600) in the data directory."""
    configured = os.environ.get("SAMSVAR_DEMO_PASSWORD", "").strip()
    if configured:
        return configured
    path = settings.DATA_DIR / "demo_password"
    if path.exists():
        return path.read_text().strip()
    alphabet = string.ascii_letters + string.digits
    password = "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(3))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password)
    return password


def load(password: str) -> bool:
    """Load what is missing of the demo data set; True when anything was added."""
    from samsvar.accounts.demo import load_organisation, load_users
    from samsvar.compliance.demo import load as load_compliance
    from samsvar.devices.demo import load_classifications, load_devices
    from samsvar.documents.demo import load as load_documents
    from samsvar.risk.demo import load as load_risk
    from samsvar.standards.demo import load as load_standards
    from samsvar.training.demo import load as load_training

    before = AuditEvent.objects.count()
    people = load_users(password)
    load_organisation(people)
    load_devices(people, password)
    load_classifications(people, password)
    load_standards(people)
    load_compliance(people, password)
    load_risk(people, password)
    load_documents(people, password)
    load_training(people, password)  # job roles require the documents loaded just before
    changed = AuditEvent.objects.count() != before
    if changed:
        record_event(Event.DEMO_DATA_LOADED, changes={"organisation": "Fjordmed AS"})
    return changed
