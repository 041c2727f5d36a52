"""Demo data: Fjordmed AS, its people (one per role) and its PRRC."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from samsvar.accounts import services
from samsvar.accounts.models import Prrc
from samsvar.core.permissions import Role

DEMO_USERS = [
    # username, full name, role, job title
    ("admin", "Lars Haugen", Role.ADMINISTRATOR, "IT and system administrator"),
    ("quality", "Kari Nordmann", Role.QUALITY_MANAGER, "Quality manager"),
    ("regulatory", "Sigrid Bakke", Role.REGULATORY_AFFAIRS, "Regulatory affairs manager"),
    ("engineer", "Jonas Lie", Role.ENGINEER, "Systems engineer"),
    ("approver", "Ingrid Solberg", Role.APPROVER, "Managing director"),
    ("auditor", "Erik Dahl", Role.AUDITOR, "Internal auditor"),
]


def load_users(password: str) -> dict:
    """Create the demo users that are missing; keep their password equal to `password`."""
    User = get_user_model()
    people = {}
    for username, full_name, role, title in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.user_create(
                actor=None,
                username=username,
                password=password,
                full_name=full_name,
                role=role,
                email=f"{username}@fjordmed.example",
                job_title=title,
            )
        elif not user.check_password(password):
            services.user_password_set(actor=None, user=user, password=password)
        people[username] = user
    return people


def load_organisation(people: dict) -> None:
    if services.organisation_get() is not None:
        return
    services.organisation_save(
        actor=people["quality"],
        name="Fjordmed AS",
        organisation_number="923456783",
        address="Fjordveien 12\n0250 Oslo",
        country="NO",
        srn="NO-MF-000012345",
        email="post@fjordmed.example",
        phone="+47 22 00 00 00",
        website="https://fjordmed.example",
        is_small_enterprise=True,
    )
    if not Prrc.objects.exists():
        services.prrc_save(
            actor=people["quality"],
            user=people["quality"],
            full_name="Kari Nordmann",
            email="quality@fjordmed.example",
            regimes="both",
            responsibilities=(
                "Conformity check before release (Art. 15(3)(a)); technical documentation and "
                "declarations of conformity (b); PMS (c); vigilance reporting (d)."
            ),
            qualification_route="degree",
            degree="MSc Pharmacy, University of Oslo (2011)",
            years_experience=Decimal("9.0"),
            evidence=(
                "Diploma and transcript in the personnel file HR-017; CV and references from "
                "two device manufacturers (2015-2022) showing regulatory and QMS work."
            ),
        )
