"""Writes to the risk management file (ISO 14971:2019). Each service checks RISK_CHANGE,
validates with field-named errors, and saves inside one audited transaction.

Levels are never typed in: whenever P1, P2, a severity or the plan's policy changes, the risks
concerned are estimated again with `samsvar.regulatory.risk.estimate` and the results cached on
the risk. Many-to-many links (controls to risks, analyses to risks, ...) are recorded as audit
events of their own, because the base model's snapshot covers only a record's columns.

Deleting: a record that others depend on is refused with a message naming what depends on it
(a hazard with hazardous situations, a situation with risks, a harm with risks, a control that
introduced a hazard, ...), never cascaded, so nothing leaves the file without its own audit event.
A signed record is never deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Max
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core.audit import audited, record_event
from samsvar.core.events import Event
from samsvar.core.validation import reject_unknown_fields
from samsvar.devices.models import Device
from samsvar.regulatory.risk import (
    ControlKind,
    RiskEstimate,
    RiskPolicy,
    catalogue,
    default_policy,
    estimate,
    fmea,
    lower_priority_needs_rationale,
    policy_from_dict,
    policy_to_dict,
    validate_policy,
)
from samsvar.regulatory.risk.gap import RISK, Ref
from samsvar.risk.models import (
    Answer,
    BenefitRiskAnalysis,
    ControlMeasure,
    EstimateKind,
    Finding,
    FmeaRow,
    FmeaWorksheet,
    Harm,
    Hazard,
    HazardOrigin,
    HazardousSituation,
    IssuedReport,
    OverallEvaluation,
    ProductionInfo,
    ReportFormat,
    Risk,
    RiskAnalysis,
    RiskLevelChange,
    RiskPlan,
    RiskReview,
    SafetyCharacteristic,
    VerificationResult,
)
from samsvar.risk.selectors import plan_policy, risk_file_gaps


def _language() -> str:
    return get_language() or "en"


# --- Shared checks ----------------------------------------------------------------------------


def _clean_text(fields: dict, names: Iterable[str]) -> None:
    for name in names:
        if name in fields:
            fields[name] = str(fields[name] or "").strip()


def _full_clean(obj, exclude: Iterable[str] = (), errors: dict | None = None) -> None:
    """Field checks of the model (lengths, choices, required fields), merged with `errors`."""
    errors = dict(errors or {})
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def _rank(fields: dict, name: str, errors: dict) -> None:
    """A rank from a form or JSON: a whole number or empty (None)."""
    if name not in fields:
        return
    value = fields[name]
    if value is None or value == "":
        fields[name] = None
        return
    if isinstance(value, bool):
        errors[name] = _("Enter a whole number.")
        return
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int):
        errors[name] = _("Enter a whole number.")
        return
    fields[name] = value


def _same_device(record, device: Device, field: str, errors: dict) -> None:
    if record is not None and record.device_id != device.pk:
        errors[field] = _("Choose a record of the same device.")


def _lock_device(device: Device) -> None:
    """Serialise numbering per device (a no-op on SQLite, whose writers are serialised)."""
    list(Device.objects.select_for_update().filter(pk=device.pk).values_list("pk", flat=True))


def _next_number(model, device: Device) -> int:
    _lock_device(device)
    top = model.objects.filter(device=device).aggregate(top=Max("number"))["top"]
    return (top or 0) + 1


def _label(obj) -> str:
    return getattr(obj, "code", None) or str(obj)


def _set_links(obj, name: str, records: Iterable) -> None:
    """Replace a many-to-many relation and record the change as an audit event of `obj`."""
    manager = getattr(obj, name)
    current = list(manager.all())
    wanted = list(dict.fromkeys(records))
    if {r.pk for r in current} == {r.pk for r in wanted}:
        return
    manager.set(wanted)
    record_event(
        Event.RECORD_UPDATED,
        obj=obj,
        action="update",
        changes={
            name: [sorted(_label(r) for r in current), sorted(_label(r) for r in wanted)],
        },
    )


def _records(values, model, device: Device, field: str, errors: dict) -> list:
    """Records of `model` for a many-to-many field: instances or primary keys of the device."""
    values = list(values or [])
    pks = []
    for value in values:
        pk = value.pk if isinstance(value, model) else value
        try:
            pks.append(int(pk))
        except (TypeError, ValueError):
            errors[field] = _("Choose records of this device.")
            return []
    found = {r.pk: r for r in model.objects.filter(pk__in=pks, device=device)}
    if len(found) != len(set(pks)):
        errors[field] = _("Choose records of this device.")
        return []
    return [found[pk] for pk in dict.fromkeys(pks)]


def _refuse_if_signed(record) -> None:
    if record.frozen_versions().exists():
        raise ValidationError(
            _("%(record)s is signed and stays in the file as evidence; it cannot be deleted.")
            % {"record": str(record)}
        )


def _refuse_if_used(record, uses: list[tuple[str, int]]) -> None:
    """Refuse to delete a record that others depend on, naming them."""
    named = [f"{what} ({count})" for what, count in uses if count]
    if named:
        raise ValidationError(
            _("%(record)s cannot be deleted while it has %(uses)s. Remove or move them first.")
            % {"record": str(record), "uses": ", ".join(named)}
        )


def _delete(*, actor, record, reason: str) -> None:
    _refuse_if_signed(record)
    with audited(actor=actor, reason=reason):
        record.delete()


# --- Policy and estimates ---------------------------------------------------------------------


def _scale_check(policy: RiskPolicy | None, scale: str, fields: dict, names, errors) -> None:
    """Each of `names` in `fields` is None or a rank of the policy's severity/probability scale."""
    for name in names:
        value = fields.get(name)
        if value is None or name in errors:
            continue
        if policy is None:
            errors[name] = _("Adopt a risk management plan first: its policy defines the scales.")
            continue
        levels = policy.severity if scale == "severity" else policy.probability
        if not levels.has(value):
            ranks = ", ".join(str(rank) for rank in levels.ranks)
            errors[name] = (
                _("Choose a level of the severity scale (%(ranks)s).")
                if scale == "severity"
                else _("Choose a level of the probability scale (%(ranks)s).")
            ) % {"ranks": ranks}


def _estimate(policy, severity, p1, p2) -> tuple[RiskEstimate | None, str]:
    """The estimate, or None with the reason when an input is missing or off the scales."""
    if policy is None or severity is None or p1 is None or p2 is None:
        return None, ""
    try:
        return estimate(policy, severity, p1, p2), ""
    except ValueError as error:
        return None, str(error)


def _compute(risk: Risk, policy: RiskPolicy | None) -> dict[str, tuple]:
    """Set the computed fields of a risk from its inputs, the harm's severity and the policy.

    Returns what changed per estimate kind: {kind: ((p, acceptable) before, after, note)}.
    """
    before = {
        EstimateKind.INITIAL: (risk.p, risk.initial_acceptable),
        EstimateKind.RESIDUAL: (risk.residual_p, risk.residual_acceptable),
    }
    risk.severity = risk.harm.severity
    initial, initial_note = _estimate(policy, risk.severity, risk.p1, risk.p2)
    residual, residual_note = _estimate(
        policy, risk.residual_severity or risk.severity, risk.residual_p1, risk.residual_p2
    )
    risk.p = initial.p if initial else None
    risk.initial_acceptable = initial.acceptable if initial else None
    risk.residual_p = residual.p if residual else None
    risk.residual_acceptable = residual.acceptable if residual else None
    after = {
        EstimateKind.INITIAL: ((risk.p, risk.initial_acceptable), initial_note),
        EstimateKind.RESIDUAL: ((risk.residual_p, risk.residual_acceptable), residual_note),
    }
    return {
        kind: (before[kind], after[kind][0], after[kind][1])
        for kind in before
        if before[kind] != after[kind][0]
    }


def _reevaluate(plan: RiskPlan, policy: RiskPolicy, *, record: bool) -> int:
    """Estimate every risk of the plan's device again under `policy`; with `record`, keep a
    RiskLevelChange per estimate whose P or acceptability changed. Returns how many risks
    changed."""
    rows = []
    changed = 0
    risks = Risk.objects.filter(device_id=plan.device_id).select_related("harm", "situation")
    for risk in risks.order_by("number"):
        severity_before = risk.severity
        changes = _compute(risk, policy)
        if not changes and risk.severity == severity_before:
            continue
        risk.save()
        changed += 1
        if not record:
            continue
        for kind, (before, after, note) in changes.items():
            rows.append(
                RiskLevelChange(
                    plan=plan,
                    plan_version=plan.version,
                    risk=risk,
                    estimate=kind,
                    severity=(
                        risk.severity
                        if kind == EstimateKind.INITIAL
                        else risk.residual_severity_effective
                    ),
                    before_p=before[0],
                    before_acceptable=before[1],
                    after_p=after[0],
                    after_acceptable=after[1],
                    note=note,
                )
            )
    RiskLevelChange.objects.bulk_create(rows, batch_size=500)
    return changed


# --- Plan (4.4) -------------------------------------------------------------------------------

PLAN_TEXT_FIELDS = (
    "scope",
    "lifecycle_phases",
    "responsibilities",
    "review_requirements",
    "verification_activities",
    "production_information",
    "overall_method",
    "overall_criteria",
)
PLAN_FIELDS = (*PLAN_TEXT_FIELDS, "policy")


def clean_policy(value) -> dict:
    """The stored form of a policy given as a RiskPolicy or its plain dict; ValidationError on
    the field "policy" with every error (warnings are allowed: the plan says why)."""
    if isinstance(value, RiskPolicy):
        policy = value
    else:
        try:
            policy = policy_from_dict(value)
        except (ValueError, TypeError, AttributeError) as error:
            raise ValidationError(
                {"policy": _("The policy is malformed: %(error)s") % {"error": error}}
            ) from None
    problems = [p for p in validate_policy(policy) if p.is_error]
    if problems:
        raise ValidationError({"policy": [p.message(_language()) for p in problems]})
    return policy_to_dict(policy)


def plan_adopt_default(*, actor, device: Device, reason: str = "") -> RiskPlan:
    """ISO 14971:2019 4.4 — start the device's plan with samsvar's ready 5 x 5 policy, to edit.

    Any risks already recorded are estimated under it.
    """
    perms.require_perm(actor, perms.RISK_CHANGE)
    if RiskPlan.objects.filter(device=device).exists():
        raise ValidationError(
            _("%(device)s already has a risk management plan; edit it instead.")
            % {"device": device.name}
        )
    policy = default_policy()
    plan = RiskPlan(
        device=device,
        policy=policy_to_dict(policy),
        overall_method=policy.overall_method(_language()).strip(),
    )
    with audited(actor=actor, reason=reason):
        plan.save()
        _reevaluate(plan, policy, record=False)
    return plan


def plan_update(*, actor, plan: RiskPlan, reason: str = "", **fields) -> RiskPlan:
    """ISO 14971:2019 4.4 — change the plan. A new policy re-evaluates every risk of the device
    in the same transaction and records which risks changed level (RiskLevelChange). An approved
    (signed) plan needs a reason, and the change becomes its next version."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, PLAN_FIELDS)
    _clean_text(fields, PLAN_TEXT_FIELDS)
    new_policy = None
    if "policy" in fields:
        fields["policy"] = clean_policy(fields["policy"])
        if fields["policy"] != plan.policy:
            new_policy = policy_from_dict(fields["policy"])
    for name, value in fields.items():
        setattr(plan, name, value)
    _full_clean(plan, exclude=["device", "policy"])
    with audited(actor=actor, reason=reason):
        plan.save()
        if new_policy is not None:
            _reevaluate(plan, new_policy, record=True)
    return plan


# --- Analysis (5) -----------------------------------------------------------------------------

ANALYSIS_FIELDS = ("intended_use", "foreseeable_misuse")


def risk_analysis_save(*, actor, device: Device, reason: str = "", **fields) -> RiskAnalysis:
    """ISO 14971:2019 5.2 — intended use and reasonably foreseeable misuse. A new analysis starts
    from the device's intended purpose (MDR/IVDR Art. 2(12))."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, ANALYSIS_FIELDS)
    _clean_text(fields, ANALYSIS_FIELDS)
    analysis = RiskAnalysis.objects.filter(device=device).first()
    if analysis is None:
        analysis = RiskAnalysis(device=device, intended_use=device.intended_purpose.strip())
    for name, value in fields.items():
        setattr(analysis, name, value)
    _full_clean(analysis, exclude=["device"])
    with audited(actor=actor, reason=reason):
        analysis.save()
    return analysis


def _catalogue_keys(kind: str) -> set[str]:
    """The keys of the hazard categories (groups and sub-categories) or of the safety topics
    (with their sub-topics)."""
    if kind == "hazard":
        return {item.key for item in catalogue.all_hazard_categories()}
    return {item.key for item in catalogue.all_safety_topics()}


def safety_characteristic_save(
    *,
    actor,
    device: Device,
    topic_key: str,
    answer: str = "",
    notes: str = "",
    hazards: Iterable | None = None,
    reason: str = "",
) -> SafetyCharacteristic:
    """ISO 14971:2019 5.3 — answer one safety-characteristics question (ISO/TR 24971 Annex A)
    for the device, with notes and the hazards the answer raised."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    errors: dict = {}
    topic_key = str(topic_key or "").strip()
    known = _catalogue_keys("topic")
    if topic_key not in known:
        errors["topic_key"] = _("Choose a topic of the questionnaire.")
    answer = str(answer or "").strip()
    if answer not in ("", *Answer.values):
        errors["answer"] = _("Choose yes, no or not applicable.")
    linked = _records(hazards, Hazard, device, "hazards", errors) if hazards is not None else None
    if errors:
        raise ValidationError(errors)
    item = SafetyCharacteristic.objects.filter(device=device, topic_key=topic_key).first()
    item = item or SafetyCharacteristic(device=device, topic_key=topic_key)
    item.answer = answer
    item.notes = str(notes or "").strip()
    _full_clean(item, exclude=["device"])
    with audited(actor=actor, reason=reason):
        item.save()
        if linked is not None:
            _set_links(item, "hazards", linked)
    return item


def safety_characteristic_delete(*, actor, item: SafetyCharacteristic, reason: str = "") -> None:
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_signed(item)
    with audited(actor=actor, reason=reason):
        _set_links(item, "hazards", [])
        item.delete()


HAZARD_TEXT_FIELDS = ("category_key", "title", "description", "origin")
HAZARD_FIELDS = (*HAZARD_TEXT_FIELDS, "introduced_by")


def _validate_hazard(hazard: Hazard, errors: dict) -> None:
    if hazard.origin == HazardOrigin.CATALOGUE and not hazard.category_key:
        errors.setdefault(
            "category_key",
            _("Choose a hazard category, or mark the hazard as the manufacturer's own."),
        )
    known = _catalogue_keys("hazard")
    if hazard.category_key and hazard.category_key not in known:
        errors.setdefault("category_key", _("Choose a hazard category of the catalogue."))
    _same_device(hazard.introduced_by, hazard.device, "introduced_by", errors)
    _full_clean(hazard, exclude=["device", "number", "introduced_by"], errors=errors)


def hazard_create(*, actor, device: Device, reason: str = "", **fields) -> Hazard:
    """ISO 14971:2019 5.4 — identify a hazard, numbered H-001, H-002, ... per device."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, HAZARD_FIELDS)
    _clean_text(fields, HAZARD_TEXT_FIELDS)
    if not fields.get("origin"):
        fields.pop("origin", None)
    hazard = Hazard(device=device, **fields)
    _validate_hazard(hazard, {})
    with audited(actor=actor, reason=reason):
        hazard.number = _next_number(Hazard, device)
        hazard.save()
    return hazard


def hazard_update(*, actor, hazard: Hazard, reason: str = "", **fields) -> Hazard:
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, HAZARD_FIELDS)
    _clean_text(fields, HAZARD_TEXT_FIELDS)
    for name, value in fields.items():
        setattr(hazard, name, value)
    _validate_hazard(hazard, {})
    with audited(actor=actor, reason=reason):
        hazard.save()
    return hazard


def hazard_delete(*, actor, hazard: Hazard, reason: str = "") -> None:
    """Delete a hazard. Refused while it has hazardous situations, FMEA rows or production
    information linked to it: those are moved or deleted first, each with its own audit event."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_used(
        hazard,
        [
            (_("hazardous situations"), hazard.situations.count()),
            (_("FMEA rows"), hazard.fmea_rows.count()),
            (_("production and post-production information"),
             hazard.production_information.count()),
        ],
    )  # fmt: skip
    _refuse_if_signed(hazard)
    with audited(actor=actor, reason=reason):
        for item in hazard.safety_characteristics.all():
            _set_links(item, "hazards", item.hazards.exclude(pk=hazard.pk))
        hazard.delete()


SITUATION_TEXT_FIELDS = ("sequence_of_events", "description")
SITUATION_FIELDS = (*SITUATION_TEXT_FIELDS, "hazard", "introduced_by")


def _validate_situation(situation: HazardousSituation) -> None:
    errors: dict = {}
    if situation.hazard_id is None:
        errors["hazard"] = _("This field is required.")
    else:
        _same_device(situation.hazard, situation.device, "hazard", errors)
    _same_device(situation.introduced_by, situation.device, "introduced_by", errors)
    _full_clean(situation, exclude=["device", "number", "hazard", "introduced_by"], errors=errors)


def situation_create(*, actor, hazard: Hazard, reason: str = "", **fields) -> HazardousSituation:
    """ISO 14971:2019 5.4 — a hazardous situation of a hazard and the sequence of events that
    leads to it, numbered HS-001, ... per device."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, set(SITUATION_FIELDS) - {"hazard"})
    _clean_text(fields, SITUATION_TEXT_FIELDS)
    situation = HazardousSituation(device=hazard.device, hazard=hazard, **fields)
    _validate_situation(situation)
    with audited(actor=actor, reason=reason):
        situation.number = _next_number(HazardousSituation, hazard.device)
        situation.save()
    return situation


def situation_update(
    *, actor, situation: HazardousSituation, reason: str = "", **fields
) -> HazardousSituation:
    """Change a hazardous situation; `hazard` moves it to another hazard of the device."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, SITUATION_FIELDS)
    _clean_text(fields, SITUATION_TEXT_FIELDS)
    for name, value in fields.items():
        setattr(situation, name, value)
    _validate_situation(situation)
    with audited(actor=actor, reason=reason):
        situation.save()
    return situation


def situation_delete(*, actor, situation: HazardousSituation, reason: str = "") -> None:
    """Delete a hazardous situation; refused while it has risks or production information."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_used(
        situation,
        [
            (_("risks"), situation.risks.count()),
            (_("production and post-production information"),
             situation.production_information.count()),
        ],
    )  # fmt: skip
    _delete(actor=actor, record=situation, reason=reason)


HARM_TEXT_FIELDS = ("name", "description")
HARM_FIELDS = (*HARM_TEXT_FIELDS, "severity")


def _validate_harm(harm: Harm, fields: dict) -> None:
    errors: dict = {}
    _rank(fields, "severity", errors)
    _scale_check(plan_policy(harm.device), "severity", fields, ["severity"], errors)
    for name, value in fields.items():
        if name not in errors:
            setattr(harm, name, value)
    same = Harm.objects.filter(device_id=harm.device_id, name__iexact=harm.name)
    if harm.name and same.exclude(pk=harm.pk).exists():
        errors["name"] = _("The device already has a harm with this name.")
    _full_clean(harm, exclude=["device"], errors=errors)


def harm_create(*, actor, device: Device, reason: str = "", **fields) -> Harm:
    """ISO 14971:2019 5.5 — a harm with its severity on the plan's severity scale."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, HARM_FIELDS)
    _clean_text(fields, HARM_TEXT_FIELDS)
    harm = Harm(device=device)
    _validate_harm(harm, fields)
    with audited(actor=actor, reason=reason):
        harm.save()
    return harm


def harm_update(*, actor, harm: Harm, reason: str = "", **fields) -> Harm:
    """Change a harm; a new severity re-estimates every risk that leads to it."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, HARM_FIELDS)
    _clean_text(fields, HARM_TEXT_FIELDS)
    _validate_harm(harm, fields)
    with audited(actor=actor, reason=reason):
        harm.save()
        policy = plan_policy(harm.device)
        for risk in harm.risks.select_related("harm", "situation"):
            risk.harm = harm
            _compute(risk, policy)
            risk.save()
    return harm


def harm_delete(*, actor, harm: Harm, reason: str = "") -> None:
    """Delete a harm; refused while risks lead to it."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_used(harm, [(_("risks"), harm.risks.count())])
    _delete(actor=actor, record=harm, reason=reason)


# --- Risks (5.5, 6, 7.3) ----------------------------------------------------------------------

RISK_RANK_FIELDS = ("p1", "p2", "residual_p1", "residual_p2", "residual_severity")
RISK_TEXT_FIELDS = (
    "afap_justification",
    "control_option_rationale",
    "disclosure_text",
)
RISK_FIELDS = (*RISK_RANK_FIELDS, *RISK_TEXT_FIELDS, "disclose")


def _rationale_problem(kinds: Iterable, rationale: str, risk: Risk):
    ref = Ref(kind=RISK, id=risk.pk, name=risk.code)
    return lower_priority_needs_rationale(list(kinds), rationale, ref=ref)


def _control_kinds(risk: Risk, exclude: ControlMeasure | None = None) -> set[str]:
    if risk.pk is None:
        return set()
    controls = ControlMeasure.objects.filter(risks=risk)
    if exclude is not None and exclude.pk is not None:
        controls = controls.exclude(pk=exclude.pk)
    return set(controls.values_list("kind", flat=True))


def _validate_risk(risk: Risk, fields: dict) -> RiskPolicy | None:
    errors: dict = {}
    for name in RISK_RANK_FIELDS:
        _rank(fields, name, errors)
    if "disclose" in fields and not isinstance(fields["disclose"], bool):
        errors["disclose"] = _("Enter true or false.")
    policy = plan_policy(risk.device)
    _scale_check(policy, "probability", fields, ["p1", "p2", "residual_p1", "residual_p2"], errors)
    _scale_check(policy, "severity", fields, ["residual_severity"], errors)
    for name, value in fields.items():
        if name not in errors:
            setattr(risk, name, value)
    if risk.situation.device_id != risk.device_id:
        errors["situation"] = _("Choose a record of the same device.")
    if risk.harm.device_id != risk.device_id:
        errors["harm"] = _("Choose a record of the same device.")
    both = {"p1": risk.p1, "p2": risk.p2}
    if (risk.p1 is None) != (risk.p2 is None):
        missing = next(name for name, value in both.items() if value is None)
        errors.setdefault(missing, _("Give P1 and P2 together."))
    residual = {"residual_p1": risk.residual_p1, "residual_p2": risk.residual_p2}
    if (risk.residual_p1 is None) != (risk.residual_p2 is None):
        missing = next(name for name, value in residual.items() if value is None)
        errors.setdefault(missing, _("Give the residual P1 and P2 together."))
    severity = risk.harm.severity
    residual_severity = risk.residual_severity
    if residual_severity is not None and severity is not None and residual_severity > severity:
        errors.setdefault(
            "residual_severity",
            _("The residual severity cannot exceed the harm's severity (%(rank)s).")
            % {"rank": severity},
        )
    duplicate = Risk.objects.filter(situation_id=risk.situation_id, harm_id=risk.harm_id)
    if duplicate.exclude(pk=risk.pk).exists():
        errors["harm"] = _("This hazardous situation already has a risk for this harm.")
    if risk.pk is not None and "control_option_rationale" not in errors:
        problem = _rationale_problem(_control_kinds(risk), risk.control_option_rationale, risk)
        if problem is not None:
            errors["control_option_rationale"] = problem.message(_language())
    _full_clean(risk, exclude=["device", "number", "situation", "harm"], errors=errors)
    return policy


def risk_create(
    *, actor, situation: HazardousSituation, harm: Harm, reason: str = "", **fields
) -> Risk:
    """ISO 14971:2019 5.5 — a hazardous situation-harm pair with P1 and P2 (R-001, ...). P and
    acceptability are computed from the plan's policy."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, RISK_FIELDS)
    _clean_text(fields, RISK_TEXT_FIELDS)
    risk = Risk(device=situation.device, situation=situation, harm=harm)
    policy = _validate_risk(risk, fields)
    _compute(risk, policy)
    with audited(actor=actor, reason=reason):
        risk.number = _next_number(Risk, situation.device)
        risk.save()
    return risk


def risk_update(*, actor, risk: Risk, reason: str = "", **fields) -> Risk:
    """Change a risk's estimates, justifications or disclosure; levels are computed again."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, RISK_FIELDS)
    _clean_text(fields, RISK_TEXT_FIELDS)
    policy = _validate_risk(risk, fields)
    _compute(risk, policy)
    with audited(actor=actor, reason=reason):
        risk.save()
    return risk


def risk_delete(*, actor, risk: Risk, reason: str = "") -> None:
    """Delete a risk; its links to controls, analyses and information items are removed first,
    each recorded on the record that loses the link."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_signed(risk)
    with audited(actor=actor, reason=reason):
        for control in risk.controls.all():
            _set_links(control, "risks", control.risks.exclude(pk=risk.pk))
        for analysis in risk.benefit_risk_analyses.all():
            _set_links(analysis, "risks", analysis.risks.exclude(pk=risk.pk))
        for item in risk.production_information.all():
            _set_links(item, "risks", item.risks.exclude(pk=risk.pk))
        risk.delete()


def risk_flag_clear(*, actor, risk: Risk, note: str) -> Risk:
    """ISO 14971:2019 10.4 — record the review of a risk flagged by production or
    post-production information; the note says what was reviewed and decided."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    note = str(note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the review found and decided.")})
    if not risk.review_flag:
        raise ValidationError(_("%(risk)s is not flagged for review.") % {"risk": risk.code})
    risk.review_flag = False
    risk.review_reason = ""
    risk.review_note = note
    with audited(actor=actor, reason=note):
        risk.save()
    return risk


# --- Control (7) ------------------------------------------------------------------------------

CONTROL_TEXT_FIELDS = (
    "kind",
    "description",
    "implementation",
    "safety_information_text",
    "new_risks_notes",
)
CONTROL_FIELDS = (*CONTROL_TEXT_FIELDS, "new_risks_reviewed")


def _validate_control(control: ControlMeasure, risks: list[Risk] | None, errors: dict) -> None:
    if "new_risks_reviewed" not in errors and not isinstance(control.new_risks_reviewed, bool):
        errors["new_risks_reviewed"] = _("Enter true or false.")
    if control.kind == ControlKind.INFORMATION and not control.safety_information_text:
        errors["safety_information_text"] = _(
            "Information for safety relies on a label or IFU text: give the wording."
        )
    _full_clean(control, exclude=["device", "number", "risks", "implementation_verified_by",
                                  "effectiveness_verified_by"], errors=errors)  # fmt: skip
    if control.kind not in {kind.value for kind in ControlKind}:
        return
    if risks is None:
        risks = list(control.risks.all()) if control.pk else []
    for risk in risks:
        kinds = _control_kinds(risk, exclude=control) | {control.kind}
        problem = _rationale_problem(kinds, risk.control_option_rationale, risk)
        if problem is not None:
            errors["risks"] = problem.message(_language())
            raise ValidationError(errors)


def control_create(
    *, actor, device: Device, risks: Iterable = (), reason: str = "", **fields
) -> ControlMeasure:
    """ISO 14971:2019 7.1 — a risk control measure (RC-001, ...) for one or more risks.

    A risk controlled by a lower-priority kind without every higher one needs, on the risk, a
    rationale why the higher kinds are not practicable; an information-for-safety measure needs
    the label or IFU text it relies on.
    """
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, CONTROL_FIELDS)
    _clean_text(fields, CONTROL_TEXT_FIELDS)
    errors: dict = {}
    linked = _records(risks, Risk, device, "risks", errors)
    control = ControlMeasure(device=device, **fields)
    _validate_control(control, linked, errors)
    with audited(actor=actor, reason=reason):
        control.number = _next_number(ControlMeasure, device)
        control.save()
        _set_links(control, "risks", linked)
    return control


def control_update(
    *,
    actor,
    control: ControlMeasure,
    risks: Iterable | None = None,
    reason: str = "",
    **fields,
) -> ControlMeasure:
    """Change a control measure and, with `risks`, the risks it controls."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, CONTROL_FIELDS)
    _clean_text(fields, CONTROL_TEXT_FIELDS)
    errors: dict = {}
    linked = _records(risks, Risk, control.device, "risks", errors) if risks is not None else None
    for name, value in fields.items():
        setattr(control, name, value)
    _validate_control(control, linked, errors)
    with audited(actor=actor, reason=reason):
        control.save()
        if linked is not None:
            _set_links(control, "risks", linked)
    return control


VERIFICATION_ASPECTS = ("implementation", "effectiveness")


def control_verify(
    *,
    actor,
    control: ControlMeasure,
    aspect: str,
    evidence: str,
    result: str,
    date,
    verified_by,
    reason: str = "",
) -> ControlMeasure:
    """ISO 14971:2019 7.2 — record the verification of a control's implementation or of its
    effectiveness: evidence reference, pass or fail, date and who verified it."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    errors: dict = {}
    if aspect not in VERIFICATION_ASPECTS:
        raise ValidationError({"aspect": _("Choose implementation or effectiveness.")})
    evidence = str(evidence or "").strip()
    if not evidence:
        errors["evidence"] = _("Name the evidence, e.g. a test report and its revision.")
    elif len(evidence) > 300:
        errors["evidence"] = _("Keep this to %(n)s characters.") % {"n": 300}
    if result not in VerificationResult.values:
        errors["result"] = _("Choose pass or fail.")
    if not date:
        errors["date"] = _("This field is required.")
    if verified_by is None:
        errors["verified_by"] = _("This field is required.")
    elif not (verified_by.is_active and perms.has_perm(verified_by, perms.RECORD_VIEW)):
        errors["verified_by"] = _("Choose an active person.")
    if errors:
        raise ValidationError(errors)
    setattr(control, f"{aspect}_evidence", evidence)
    setattr(control, f"{aspect}_result", result)
    setattr(control, f"{aspect}_date", date)
    setattr(control, f"{aspect}_verified_by", verified_by)
    try:
        control.full_clean(
            exclude=["device", "number", "risks", "kind", "description"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        raise ValidationError(
            {
                "date" if name.endswith("_date") else name: messages
                for name, messages in exc.message_dict.items()
            }
        ) from None
    with audited(actor=actor, reason=reason):
        control.save()
    return control


def control_delete(*, actor, control: ControlMeasure, reason: str = "") -> None:
    """Delete a control measure; refused while hazards or hazardous situations it introduced
    are in the file. Its links to risks are removed first."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_used(
        control,
        [
            (_("hazards it introduced"), control.introduced_hazards.count()),
            (_("hazardous situations it introduced"), control.introduced_situations.count()),
        ],
    )
    _refuse_if_signed(control)
    with audited(actor=actor, reason=reason):
        _set_links(control, "risks", [])
        control.delete()


# --- Benefit-risk (7.4) and overall residual risk (8) -----------------------------------------

BENEFIT_RISK_FIELDS = ("title", "benefits", "analysis", "conclusion")


def benefit_risk_create(
    *, actor, device: Device, risks: Iterable = (), reason: str = "", **fields
) -> BenefitRiskAnalysis:
    """ISO 14971:2019 7.4 — a benefit-risk analysis (BR-001, ...) of residual risks that are
    not acceptable; approved by e-signature."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, BENEFIT_RISK_FIELDS)
    _clean_text(fields, BENEFIT_RISK_FIELDS)
    errors: dict = {}
    linked = _records(risks, Risk, device, "risks", errors)
    analysis = BenefitRiskAnalysis(device=device, **fields)
    _full_clean(analysis, exclude=["device", "number", "risks"], errors=errors)
    with audited(actor=actor, reason=reason):
        analysis.number = _next_number(BenefitRiskAnalysis, device)
        analysis.save()
        _set_links(analysis, "risks", linked)
    return analysis


def benefit_risk_update(
    *,
    actor,
    analysis: BenefitRiskAnalysis,
    risks: Iterable | None = None,
    reason: str = "",
    **fields,
) -> BenefitRiskAnalysis:
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, BENEFIT_RISK_FIELDS)
    _clean_text(fields, BENEFIT_RISK_FIELDS)
    errors: dict = {}
    linked = _records(risks, Risk, analysis.device, "risks", errors) if risks is not None else None
    for name, value in fields.items():
        setattr(analysis, name, value)
    _full_clean(analysis, exclude=["device", "number", "risks"], errors=errors)
    with audited(actor=actor, reason=reason):
        analysis.save()
        if linked is not None:
            _set_links(analysis, "risks", linked)
    return analysis


def benefit_risk_delete(*, actor, analysis: BenefitRiskAnalysis, reason: str = "") -> None:
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_signed(analysis)
    with audited(actor=actor, reason=reason):
        _set_links(analysis, "risks", [])
        analysis.delete()


OVERALL_FIELDS = ("method", "analysis", "conclusion")


def overall_evaluation_save(
    *, actor, device: Device, reason: str = "", **fields
) -> OverallEvaluation:
    """ISO 14971:2019 8 — evaluate the overall residual risk by the plan's method. A new
    evaluation starts from the method in the plan."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, OVERALL_FIELDS)
    _clean_text(fields, OVERALL_FIELDS)
    evaluation = OverallEvaluation.objects.filter(device=device).first()
    if evaluation is None:
        plan = RiskPlan.objects.filter(device=device).first()
        evaluation = OverallEvaluation(device=device, method=plan.overall_method if plan else "")
    for name, value in fields.items():
        setattr(evaluation, name, value)
    _full_clean(evaluation, exclude=["device"])
    with audited(actor=actor, reason=reason):
        evaluation.save()
    return evaluation


# --- Production and post-production (10) ------------------------------------------------------

INFO_TEXT_FIELDS = ("source", "reference", "description", "finding")
INFO_FIELDS = (*INFO_TEXT_FIELDS, "date", "situation", "occurrences", "exposure")


def _count(fields: dict, name: str, errors: dict) -> None:
    if name not in fields:
        return
    value = fields[name]
    if value is None or value == "":
        fields[name] = None
        return
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors[name] = _("Enter a whole number, zero or more.")
        return
    fields[name] = value


def _validate_info(item: ProductionInfo, fields: dict, errors: dict) -> None:
    _count(fields, "occurrences", errors)
    _count(fields, "exposure", errors)
    for name, value in fields.items():
        if name not in errors:
            setattr(item, name, value)
    _same_device(item.situation, item.device, "situation", errors)
    counted = item.occurrences is not None and item.exposure is not None
    if counted and item.occurrences > item.exposure:
        errors.setdefault("occurrences", _("There cannot be more occurrences than uses observed."))
    if item.exposure == 0 and item.occurrences:
        errors.setdefault("exposure", _("Give the number of uses observed."))
    _full_clean(item, exclude=["device", "number", "situation", "hazards", "risks",
                               "reviewed_by"], errors=errors)  # fmt: skip


def _flag_risks(item: ProductionInfo) -> int:
    """Flag the risks that an information item with a finding concerns (10.4)."""
    if item.finding == Finding.NONE:
        return 0
    risks = {risk.pk: risk for risk in item.risks.all()}
    if item.situation_id:
        risks.update({risk.pk: risk for risk in item.situation.risks.all()})
    if item.finding == Finding.NEW_HAZARD:
        for risk in Risk.objects.filter(situation__hazard__in=item.hazards.all()):
            risks[risk.pk] = risk
    why = _("%(item)s (%(source)s, %(date)s): %(finding)s") % {
        "item": item.code,
        "source": item.get_source_display(),
        "date": item.date,
        "finding": item.get_finding_display(),
    }
    now = timezone.now()
    for risk in risks.values():
        reasons = [line for line in risk.review_reason.splitlines() if line and line != why]
        risk.review_flag = True
        risk.review_reason = "\n".join([*reasons, why])
        risk.review_flagged_at = now
        risk.save()
    return len(risks)


def production_info_create(
    *,
    actor,
    device: Device,
    hazards: Iterable = (),
    risks: Iterable = (),
    reason: str = "",
    **fields,
) -> ProductionInfo:
    """ISO 14971:2019 10 — record production or post-production information (PI-001, ...).

    A finding other than "none" flags the risks it concerns for review and keeps the item open
    until it is reviewed (`production_info_review`).
    """
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, INFO_FIELDS)
    _clean_text(fields, INFO_TEXT_FIELDS)
    if not fields.get("finding"):
        fields.pop("finding", None)
    errors: dict = {}
    linked_hazards = _records(hazards, Hazard, device, "hazards", errors)
    linked_risks = _records(risks, Risk, device, "risks", errors)
    item = ProductionInfo(device=device)
    _validate_info(item, fields, errors)
    item.is_open = item.finding != Finding.NONE
    with audited(actor=actor, reason=reason):
        item.number = _next_number(ProductionInfo, device)
        item.save()
        _set_links(item, "hazards", linked_hazards)
        _set_links(item, "risks", linked_risks)
        _flag_risks(item)
    return item


def production_info_update(
    *,
    actor,
    item: ProductionInfo,
    hazards: Iterable | None = None,
    risks: Iterable | None = None,
    reason: str = "",
    **fields,
) -> ProductionInfo:
    """Change an information item. A new or changed finding reopens it and flags its risks."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, INFO_FIELDS)
    _clean_text(fields, INFO_TEXT_FIELDS)
    errors: dict = {}
    device = item.device
    linked_hazards = (
        _records(hazards, Hazard, device, "hazards", errors) if hazards is not None else None
    )
    linked_risks = _records(risks, Risk, device, "risks", errors) if risks is not None else None
    finding_before = item.finding
    links_before = (
        set(item.hazards.values_list("pk", flat=True)),
        set(item.risks.values_list("pk", flat=True)),
        item.situation_id,
    )
    _validate_info(item, fields, errors)
    with audited(actor=actor, reason=reason):
        if linked_hazards is not None:
            _set_links(item, "hazards", linked_hazards)
        if linked_risks is not None:
            _set_links(item, "risks", linked_risks)
        links_after = (
            set(item.hazards.values_list("pk", flat=True)),
            set(item.risks.values_list("pk", flat=True)),
            item.situation_id,
        )
        refresh = item.finding != finding_before or links_after != links_before
        if item.finding == Finding.NONE:
            item.is_open = False
        elif refresh:
            item.is_open = True
        item.save()
        if refresh:
            _flag_risks(item)
    return item


def production_info_review(*, actor, item: ProductionInfo, note: str) -> ProductionInfo:
    """ISO 14971:2019 10.4 — close an open information item with the review's conclusion.
    The flagged risks are cleared one by one (`risk_flag_clear`), each with its own note."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    note = str(note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the review found and decided.")})
    if not item.is_open:
        raise ValidationError(_("%(item)s is not open.") % {"item": item.code})
    item.is_open = False
    item.review_note = note
    item.reviewed_by = actor
    item.reviewed_at = timezone.now()
    with audited(actor=actor, reason=note):
        item.save()
    return item


def production_info_delete(*, actor, item: ProductionInfo, reason: str = "") -> None:
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_signed(item)
    with audited(actor=actor, reason=reason):
        _set_links(item, "hazards", [])
        _set_links(item, "risks", [])
        item.delete()


# --- FMEA -------------------------------------------------------------------------------------

WORKSHEET_FIELDS = ("kind", "title")


def fmea_worksheet_create(*, actor, device: Device, reason: str = "", **fields) -> FmeaWorksheet:
    """A design, process or use FMEA worksheet of the device."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, WORKSHEET_FIELDS)
    _clean_text(fields, WORKSHEET_FIELDS)
    worksheet = FmeaWorksheet(device=device, **fields)
    _full_clean(worksheet, exclude=["device"])
    with audited(actor=actor, reason=reason):
        worksheet.save()
    return worksheet


def fmea_worksheet_update(
    *, actor, worksheet: FmeaWorksheet, reason: str = "", **fields
) -> FmeaWorksheet:
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, WORKSHEET_FIELDS)
    _clean_text(fields, WORKSHEET_FIELDS)
    for name, value in fields.items():
        setattr(worksheet, name, value)
    _full_clean(worksheet, exclude=["device"])
    with audited(actor=actor, reason=reason):
        worksheet.save()
    return worksheet


def fmea_worksheet_delete(*, actor, worksheet: FmeaWorksheet, reason: str = "") -> None:
    """Delete a worksheet; refused while it has rows."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    _refuse_if_used(worksheet, [(_("rows"), worksheet.rows.count())])
    _delete(actor=actor, record=worksheet, reason=reason)


ROW_TEXT_FIELDS = ("item_function", "failure_mode", "effect", "cause", "actions")
ROW_RANK_FIELDS = ("severity", "occurrence", "detection")
ROW_FIELDS = (*ROW_TEXT_FIELDS, *ROW_RANK_FIELDS, "hazard")


def _validate_row(row: FmeaRow, fields: dict) -> None:
    errors: dict = {}
    for name in ROW_RANK_FIELDS:
        _rank(fields, name, errors)
        if name not in errors and name in fields:
            try:
                fmea.check_score(name, fields[name])
            except ValueError:
                errors[name] = _("Choose a rating from 1 to 10.")
    for name, value in fields.items():
        if name not in errors:
            setattr(row, name, value)
    _same_device(row.hazard, row.worksheet.device, "hazard", errors)
    _full_clean(row, exclude=["worksheet", "position", "rpn", "hazard"], errors=errors)
    row.rpn = fmea.rpn(row.severity, row.occurrence, row.detection)


def fmea_row_create(*, actor, worksheet: FmeaWorksheet, reason: str = "", **fields) -> FmeaRow:
    """A failure mode with S, O, D (1 to 10); RPN = S x O x D is computed."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, ROW_FIELDS)
    _clean_text(fields, ROW_TEXT_FIELDS)
    row = FmeaRow(worksheet=worksheet)
    _validate_row(row, fields)
    with audited(actor=actor, reason=reason):
        _lock_device(worksheet.device)
        top = worksheet.rows.aggregate(top=Max("position"))["top"]
        row.position = (top or 0) + 1
        row.save()
    return row


def fmea_row_update(*, actor, row: FmeaRow, reason: str = "", **fields) -> FmeaRow:
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, ROW_FIELDS)
    _clean_text(fields, ROW_TEXT_FIELDS)
    _validate_row(row, fields)
    with audited(actor=actor, reason=reason):
        row.save()
    return row


def fmea_row_delete(*, actor, row: FmeaRow, reason: str = "") -> None:
    perms.require_perm(actor, perms.RISK_CHANGE)
    _delete(actor=actor, record=row, reason=reason)


def fmea_row_create_hazard(*, actor, row: FmeaRow, reason: str = "", **fields) -> Hazard:
    """Carry an FMEA failure mode into the risk analysis: create a hazard from the row (title
    and description default to the row's failure mode and effect) and link the row to it."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    reject_unknown_fields(fields, HAZARD_FIELDS)
    if row.hazard_id is not None:
        raise ValidationError(
            {"hazard": _("This row is already linked to %(hazard)s.") % {"hazard": row.hazard}}
        )
    values = {
        "title": row.failure_mode.strip()[:300],
        "description": "\n".join(
            part for part in (row.item_function, row.effect, row.cause) if part
        ),
        **{name: value for name, value in fields.items() if value not in (None, "")},
    }
    with audited(actor=actor, reason=reason):
        hazard = hazard_create(actor=actor, device=row.worksheet.device, **values)
        row.hazard = hazard
        row.save()
    return hazard


# --- Review and report (9) --------------------------------------------------------------------


def risk_review_complete(
    *, actor, device: Device, conclusions: str, reason: str = ""
) -> RiskReview:
    """ISO 14971:2019 9 — record that the risk management review is complete. Refused while the
    file has any gap (the live completeness check), listing every gap."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    conclusions = str(conclusions or "").strip()
    if not conclusions:
        raise ValidationError({"conclusions": _("Give the conclusions of the review.")})
    language = _language()
    with audited(actor=actor, reason=reason):
        _lock_device(device)
        gaps = risk_file_gaps(device)
        if gaps:
            raise ValidationError(
                [
                    _("The risk management file is not complete:"),
                    *(f"{gap.message(language)} ({gap.clause})" for gap in gaps),
                ]
            )
        plan = RiskPlan.objects.get(device=device)
        review = RiskReview(
            device=device,
            conclusions=conclusions,
            plan_version=plan.version,
            risk_count=Risk.objects.filter(device=device).count(),
        )
        review.save()
    return review


REPORT_EXTENSIONS = {ReportFormat.PDF: ".pdf", ReportFormat.DOCX: ".docx"}
REPORT_MAGIC = {ReportFormat.PDF: b"%PDF", ReportFormat.DOCX: b"PK\x03\x04"}


def report_issue(
    *,
    actor,
    device: Device,
    fmt: str,
    content: bytes,
    filename: str,
    title: str = "",
    reason: str = "",
) -> IssuedReport:
    """ISO 14971:2019 9 — keep an issued risk management report as an immutable record: the
    exact file, its SHA-256 and who issued it, ready to be e-signed."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    errors: dict = {}
    if fmt not in ReportFormat.values:
        errors["fmt"] = _("Choose PDF or DOCX.")
    if not isinstance(content, bytes | bytearray) or not content:
        errors["content"] = _("The report file is empty.")
    elif fmt in ReportFormat.values and not bytes(content).startswith(REPORT_MAGIC[fmt]):
        errors["content"] = _("The file is not a %(format)s file.") % {"format": fmt.upper()}
    name = get_valid_filename(str(filename or "").strip()) if filename else ""
    if not name:
        errors["filename"] = _("This field is required.")
    title = str(title or "").strip() or _("Risk management report: %(device)s") % {
        "device": device.name
    }
    if len(title) > 300:
        errors["title"] = _("Keep this to %(n)s characters.") % {"n": 300}
    if errors:
        raise ValidationError(errors)
    extension = REPORT_EXTENSIONS[ReportFormat(fmt)]
    if not name.lower().endswith(extension):
        name += extension
    name = name[-150:]
    data = bytes(content)
    report = IssuedReport(
        device=device,
        title=title,
        format=fmt,
        filename=name,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        issued_by=actor,
        issued_at=timezone.now(),
    )
    report.file.save(name, ContentFile(data), save=False)
    try:
        with audited(actor=actor, reason=reason):
            report.save()
    except Exception:
        report.file.delete(save=False)
        raise
    return report


def report_update(*, actor, report: IssuedReport, reason: str = "", **fields) -> IssuedReport:
    """An issued report never changes: always refused (issue a new report instead)."""
    perms.require_perm(actor, perms.RISK_CHANGE)
    raise ValidationError(_("An issued report cannot be changed; issue a new one."))
