"""Risk file fixtures: an adopted plan under the default 5 x 5 policy and a small builder.

The default policy's matrix (severity rows, P columns 1..5; A acceptable, N not):
    S5  A N N N N        P1 x P2 -> P:  (1, 1) -> 1, (5, 2) -> 2, (5, 4) -> 3, (5, 5) -> 5
    S4  A A N N N
    S3  A A A N N
    S2  A A A A N
    S1  A A A A A
"""

import datetime as dt

import pytest

from samsvar.core.services import record_sign
from samsvar.risk import services
from tests.conftest import PASSWORD


@pytest.fixture
def plan(device, engineer):
    return services.plan_adopt_default(actor=engineer, device=device)


def approve(record, signer):
    record_sign(actor=signer, record=record, meaning="approved", password=PASSWORD)
    record.refresh_from_db()
    return record


class Builder:
    """Creates records of one device's risk file through the services, as `actor`."""

    def __init__(self, device, actor):
        self.device = device
        self.actor = actor
        self.count = 0

    def hazard(self, **fields):
        self.count += 1
        values = {"category_key": "", "origin": "own", "title": f"Hazard {self.count}"}
        values.update(fields)
        return services.hazard_create(actor=self.actor, device=self.device, **values)

    def situation(self, hazard=None, **fields):
        values = {"description": "The patient is exposed.", "sequence_of_events": "1. It fails."}
        values.update(fields)
        return services.situation_create(actor=self.actor, hazard=hazard or self.hazard(), **values)

    def harm(self, severity=3, **fields):
        self.count += 1
        values = {"name": f"Harm {self.count}", "severity": severity}
        values.update(fields)
        return services.harm_create(actor=self.actor, device=self.device, **values)

    def risk(self, severity=3, p1=1, p2=1, situation=None, harm=None, **fields):
        return services.risk_create(
            actor=self.actor,
            situation=situation or self.situation(),
            harm=harm or self.harm(severity=severity),
            p1=p1,
            p2=p2,
            **fields,
        )

    def control(self, risks, kind="inherent_safety", verified=True, **fields):
        values = {
            "kind": kind,
            "description": f"Measure of kind {kind}",
            "implementation": "Design output DO-1",
            "new_risks_reviewed": True,
        }
        if kind == "information":
            values["safety_information_text"] = "IFU 4.2: Do not use near MRI."
        values.update(fields)
        control = services.control_create(
            actor=self.actor, device=self.device, risks=risks, **values
        )
        if verified:
            for aspect in ("implementation", "effectiveness"):
                services.control_verify(
                    actor=self.actor,
                    control=control,
                    aspect=aspect,
                    evidence=f"VER-{aspect[:3].upper()}-1 rev A",
                    result="pass",
                    date=dt.date(2026, 3, 1),
                    verified_by=self.actor,
                )
        return control


@pytest.fixture
def build(device, engineer, plan):
    return Builder(device, engineer)


@pytest.fixture
def complete_file(build, plan, approver, engineer, device):
    """A file with no gap: approved plan, one risk controlled by design and verified, residual
    estimated, overall residual risk acceptable."""
    risk = build.risk(severity=3, p1=3, p2=3)
    build.control([risk])
    services.risk_update(actor=engineer, risk=risk, residual_p1=1, residual_p2=1)
    services.overall_evaluation_save(
        actor=engineer,
        device=device,
        analysis="All residual risks reviewed.",
        conclusion="acceptable",
    )
    approve(plan, approver)
    risk.refresh_from_db()
    return {"plan": plan, "risk": risk}
