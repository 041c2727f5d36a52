"""Reads of the risk management file, starting from what the user may see.

Every reader holds RECORD_VIEW today; a `user` without it gets nothing ("not found"). Called
without a user (reports, the CLI, the completeness check) they read the whole file. The register,
the matrix, the traceability view and the gap list use a fixed number of queries whatever the
size of the file (tests guard the counts).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from samsvar.core import permissions as perms
from samsvar.core.models import AuditEvent
from samsvar.devices.models import Device
from samsvar.regulatory.risk import Gap, RiskPolicy, cell_counts, policy_from_dict
from samsvar.risk.facts import is_approved, risk_file_completeness
from samsvar.risk.models import (
    BenefitRiskAnalysis,
    ControlMeasure,
    FmeaRow,
    FmeaWorksheet,
    Harm,
    Hazard,
    HazardousSituation,
    IssuedReport,
    OverallEvaluation,
    ProductionInfo,
    Risk,
    RiskAnalysis,
    RiskLevelChange,
    RiskPlan,
    RiskReview,
    SafetyCharacteristic,
)


def _may_read(user) -> bool:
    return user is None or perms.has_perm(user, perms.RECORD_VIEW)


def _access(queryset: QuerySet, user, pk, what: str):
    """One record by primary key, or 404 whether it is missing or the user may not see it."""
    if not _may_read(user):
        raise Http404(f"No such {what}")
    try:
        return queryset.get(pk=int(pk))
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(f"No such {what}") from None


# --- Plan -------------------------------------------------------------------------------------


def plan_for(device: Device) -> RiskPlan | None:
    return RiskPlan.objects.filter(device=device).first()


def plan_policy(device: Device) -> RiskPolicy | None:
    """The policy of the device's plan, or None while the device has no plan."""
    data = RiskPlan.objects.filter(device=device).values_list("policy", flat=True).first()
    return policy_from_dict(data) if data is not None else None


def plan_approved(device: Device) -> bool:
    """Whether the current version of the device's plan is signed "approved" (4.4)."""
    return is_approved(plan_for(device))


def level_changes(plan: RiskPlan, version: int | None = None):
    """The risks whose level changed when the plan's policy changed, for one plan version (by
    default the latest version that changed any)."""
    changes = RiskLevelChange.objects.filter(plan=plan)
    if version is None:
        version = changes.order_by("-plan_version").values_list("plan_version", flat=True).first()
    return (
        changes.filter(plan_version=version)
        .select_related("risk", "risk__harm", "risk__situation")
        .order_by("risk__number", "estimate")
    )


def risk_analysis_for(device: Device) -> RiskAnalysis | None:
    return RiskAnalysis.objects.filter(device=device).first()


def overall_evaluation_for(device: Device) -> OverallEvaluation | None:
    return OverallEvaluation.objects.filter(device=device).first()


def risk_file_gaps(device: Device) -> list[Gap]:
    """The live completeness check of the device's file (empty when complete)."""
    return risk_file_completeness(device)


# --- Lists and single records -----------------------------------------------------------------


def safety_characteristics(device: Device, *, user=None):
    if not _may_read(user):
        return SafetyCharacteristic.objects.none()
    return (
        SafetyCharacteristic.objects.filter(device=device)
        .prefetch_related("hazards")
        .order_by("topic_key")
    )


def hazards(device: Device, *, user=None):
    if not _may_read(user):
        return Hazard.objects.none()
    return (
        Hazard.objects.filter(device=device)
        .select_related("introduced_by")
        .annotate(situation_count=Count("situations"))
        .order_by("number")
    )


def situations(device: Device, *, user=None):
    if not _may_read(user):
        return HazardousSituation.objects.none()
    return (
        HazardousSituation.objects.filter(device=device)
        .select_related("hazard", "introduced_by")
        .order_by("number")
    )


def harms(device: Device, *, user=None):
    if not _may_read(user):
        return Harm.objects.none()
    return Harm.objects.filter(device=device).annotate(risk_count=Count("risks"))


def controls(device: Device, *, user=None):
    if not _may_read(user):
        return ControlMeasure.objects.none()
    return (
        ControlMeasure.objects.filter(device=device)
        .select_related("implementation_verified_by", "effectiveness_verified_by")
        .prefetch_related("risks")
        .order_by("number")
    )


def benefit_risk_analyses(device: Device, *, user=None):
    if not _may_read(user):
        return BenefitRiskAnalysis.objects.none()
    return (
        BenefitRiskAnalysis.objects.filter(device=device)
        .prefetch_related("risks", "risks__harm", "risks__situation")
        .order_by("number")
    )


def production_information(device: Device, *, user=None, open_only: bool = False):
    if not _may_read(user):
        return ProductionInfo.objects.none()
    items = ProductionInfo.objects.filter(device=device)
    if open_only:
        items = items.filter(is_open=True)
    return (
        items.select_related("situation", "reviewed_by")
        .prefetch_related("hazards", "risks")
        .order_by("-date", "-number")
    )


def fmea_worksheets(device: Device, *, user=None):
    if not _may_read(user):
        return FmeaWorksheet.objects.none()
    return (
        FmeaWorksheet.objects.filter(device=device)
        .annotate(row_count=Count("rows"))
        .order_by("kind", "title")
    )


def fmea_rows(worksheet: FmeaWorksheet, *, user=None):
    if not _may_read(user):
        return FmeaRow.objects.none()
    return FmeaRow.objects.filter(worksheet=worksheet).select_related("hazard").order_by("position")


def issued_reports(device: Device, *, user=None):
    if not _may_read(user):
        return IssuedReport.objects.none()
    return (
        IssuedReport.objects.filter(device=device)
        .select_related("issued_by")
        .order_by("-issued_at", "-pk")
    )


def reviews(device: Device, *, user=None):
    if not _may_read(user):
        return RiskReview.objects.none()
    return RiskReview.objects.filter(device=device).order_by("-created_at", "-pk")


def report_intact(report: IssuedReport) -> bool:
    """Whether the stored file still has the SHA-256 recorded when it was issued."""
    digest = hashlib.sha256()
    try:
        with report.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except (FileNotFoundError, ValueError, OSError):
        return False
    return digest.hexdigest() == report.sha256


def access_plan_by_id(*, user, plan_id) -> RiskPlan:
    return _access(RiskPlan.objects.select_related("device"), user, plan_id, "plan")


def access_analysis_by_id(*, user, analysis_id) -> RiskAnalysis:
    return _access(RiskAnalysis.objects.select_related("device"), user, analysis_id, "analysis")


def access_safety_characteristic_by_id(*, user, item_id) -> SafetyCharacteristic:
    queryset = SafetyCharacteristic.objects.select_related("device")
    return _access(queryset, user, item_id, "characteristic")


def access_hazard_by_id(*, user, hazard_id) -> Hazard:
    queryset = Hazard.objects.select_related("device", "introduced_by")
    return _access(queryset, user, hazard_id, "hazard")


def access_situation_by_id(*, user, situation_id) -> HazardousSituation:
    queryset = HazardousSituation.objects.select_related("device", "hazard", "introduced_by")
    return _access(queryset, user, situation_id, "hazardous situation")


def access_harm_by_id(*, user, harm_id) -> Harm:
    return _access(Harm.objects.select_related("device"), user, harm_id, "harm")


def access_risk_by_id(*, user, risk_id) -> Risk:
    queryset = Risk.objects.select_related("device", "situation", "situation__hazard", "harm")
    return _access(queryset, user, risk_id, "risk")


def access_control_by_id(*, user, control_id) -> ControlMeasure:
    queryset = ControlMeasure.objects.select_related(
        "device", "implementation_verified_by", "effectiveness_verified_by"
    )
    return _access(queryset, user, control_id, "control measure")


def access_benefit_risk_by_id(*, user, analysis_id) -> BenefitRiskAnalysis:
    queryset = BenefitRiskAnalysis.objects.select_related("device")
    return _access(queryset, user, analysis_id, "benefit-risk analysis")


def access_overall_by_id(*, user, evaluation_id) -> OverallEvaluation:
    queryset = OverallEvaluation.objects.select_related("device")
    return _access(queryset, user, evaluation_id, "overall evaluation")


def access_production_info_by_id(*, user, item_id) -> ProductionInfo:
    queryset = ProductionInfo.objects.select_related("device", "situation", "reviewed_by")
    return _access(queryset, user, item_id, "information item")


def access_fmea_worksheet_by_id(*, user, worksheet_id) -> FmeaWorksheet:
    queryset = FmeaWorksheet.objects.select_related("device")
    return _access(queryset, user, worksheet_id, "FMEA worksheet")


def access_fmea_row_by_id(*, user, row_id) -> FmeaRow:
    queryset = FmeaRow.objects.select_related("worksheet", "worksheet__device", "hazard")
    return _access(queryset, user, row_id, "FMEA row")


def access_report_by_id(*, user, report_id) -> IssuedReport:
    queryset = IssuedReport.objects.select_related("device", "issued_by")
    return _access(queryset, user, report_id, "report")


def access_review_by_id(*, user, review_id) -> RiskReview:
    return _access(RiskReview.objects.select_related("device"), user, review_id, "review")


# --- The register (10: "the views people expect") ---------------------------------------------


def _control_count():
    """The number of control measures of each risk, as a subquery (no GROUP BY over the page)."""
    links = (
        ControlMeasure.risks.through.objects.filter(risk_id=OuterRef("pk"))
        .order_by()
        .values("risk_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), 0)


def with_final(risks: QuerySet) -> QuerySet:
    """Annotate each risk with `controlled` and its final cell: the residual estimate when it
    has control measures, else the estimate before control (`final_severity`, `final_p`,
    `final_acceptable`; None while not estimated)."""
    links = ControlMeasure.risks.through.objects.filter(risk_id=OuterRef("pk"))
    return risks.annotate(controlled=Exists(links)).annotate(
        final_severity=Case(
            When(controlled=True, then=Coalesce("residual_severity", "severity")),
            default=F("severity"),
            output_field=IntegerField(),
        ),
        final_p=Case(
            When(controlled=True, then=F("residual_p")),
            default=F("p"),
            output_field=IntegerField(),
        ),
        final_acceptable=Case(
            When(controlled=True, then=F("residual_acceptable")),
            default=F("initial_acceptable"),
            output_field=BooleanField(),
        ),
    )


REGISTER_SORTS = {
    "number": ("number",),
    "hazard": ("situation__hazard__number", "situation__number", "number"),
    "situation": ("situation__number", "number"),
    "harm": ("harm__name", "number"),
    "severity": ("severity", "number"),
    "p": ("p", "number"),
    # "level": the least acceptable, most severe, most probable first.
    "level": ("initial_acceptable", "-severity", "-p", "number"),
    "residual": ("final_acceptable", "-final_severity", "-final_p", "number"),
}
REGISTER_GROUPS = {
    "": (),
    "hazard": ("situation__hazard__number",),
    "harm": ("harm__name", "harm_id"),
    "level": ("initial_acceptable", "-severity", "-p"),
}
REGISTER_FILTERS = (
    "category",
    "hazard",
    "situation",
    "harm",
    "severity",
    "p",
    "acceptable",
    "residual_acceptable",
    "estimated",
    "controlled",
    "flagged",
    "q",
)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _flag(filters: dict, name: str) -> bool | None:
    value = filters.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationError({name: _("Choose yes or no.")})


def _number(filters: dict, name: str) -> int | None:
    value = filters.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValidationError({name: _("Enter a whole number.")})


def _order(name: str, table: dict, field: str) -> tuple:
    descending = name.startswith("-")
    key = name.lstrip("-")
    if key not in table:
        raise ValidationError({field: _("Choose one of: %(choices)s.") % {
            "choices": ", ".join(k for k in table if k)
        }})  # fmt: skip
    ordering = []
    for column in table[key]:
        down = column.startswith("-") != descending
        expression = F(column.lstrip("-"))
        # Risks not yet estimated go last on SQLite and PostgreSQL alike.
        ordering.append(
            expression.desc(nulls_last=True) if down else expression.asc(nulls_last=True)
        )
    return tuple(ordering)


def register(
    device: Device,
    *,
    filters: dict | None = None,
    sort: str = "",
    group: str = "",
    user=None,
) -> QuerySet:
    """The risk register of a device: one row per risk with its hazard, situation and harm, the
    estimate before and after control, flag and control count; in one query per page.

    `filters`: category (hazard category key or its group, e.g. "energy"), hazard, situation,
    harm (ids), severity, p (ranks), acceptable / residual_acceptable / estimated / controlled /
    flagged (yes or no), q (text). `sort`: a key of REGISTER_SORTS, "-" for descending.
    `group`: "", "hazard", "harm" or "level"; the rows come ordered by the group first (see
    `group_rows`). A bad filter raises ValidationError naming it.
    """
    if not _may_read(user):
        return Risk.objects.none()
    filters = dict(filters or {})
    unknown = sorted(set(filters) - set(REGISTER_FILTERS))
    if unknown:
        raise ValidationError({name: _("Unknown filter.") for name in unknown})
    rows = with_final(Risk.objects.filter(device=device)).annotate(control_count=_control_count())
    category = str(filters.get("category") or "").strip()
    if category:
        rows = rows.filter(
            Q(situation__hazard__category_key=category)
            | Q(situation__hazard__category_key__startswith=f"{category}.")
        )
    for name, column in (
        ("hazard", "situation__hazard_id"),
        ("situation", "situation_id"),
        ("harm", "harm_id"),
        ("severity", "severity"),
        ("p", "p"),
    ):
        value = _number(filters, name)
        if value is not None:
            rows = rows.filter(**{column: value})
    for name, column in (
        ("acceptable", "initial_acceptable"),
        ("residual_acceptable", "final_acceptable"),
        ("controlled", "controlled"),
        ("flagged", "review_flag"),
    ):
        value = _flag(filters, name)
        if value is not None:
            rows = rows.filter(**{column: value})
    estimated = _flag(filters, "estimated")
    if estimated is not None:
        rows = rows.filter(p__isnull=not estimated)
    text = str(filters.get("q") or "").strip()
    if text:
        rows = rows.filter(
            Q(situation__description__icontains=text)
            | Q(situation__sequence_of_events__icontains=text)
            | Q(situation__hazard__title__icontains=text)
            | Q(harm__name__icontains=text)
        )
    ordering = _order(group or "", REGISTER_GROUPS, "group") + _order(
        sort or "number", REGISTER_SORTS, "sort"
    )
    return rows.select_related("situation", "situation__hazard", "harm").order_by(*ordering)


@dataclass
class RegisterGroup:
    key: object
    label: str
    rows: list = field(default_factory=list)


def level_label(acceptable: bool | None, severity: int | None, p: int | None) -> str:
    if acceptable is None or severity is None or p is None:
        return _("Not estimated")
    verdict = _("acceptable") if acceptable else _("not acceptable")
    return _("S%(severity)s, P%(p)s: %(verdict)s") % {
        "severity": severity,
        "p": p,
        "verdict": verdict,
    }


def group_rows(rows, group: str) -> list[RegisterGroup]:
    """Consecutive rows of `register(..., group=group)` (e.g. one page) in their groups."""
    groups: list[RegisterGroup] = []
    for risk in rows:
        if group == "hazard":
            key, label = risk.situation.hazard_id, str(risk.situation.hazard)
        elif group == "harm":
            key, label = risk.harm_id, risk.harm.name
        elif group == "level":
            key = (risk.initial_acceptable, risk.severity, risk.p)
            label = level_label(*key)
        else:
            key, label = None, ""
        if not groups or groups[-1].key != key:
            groups.append(RegisterGroup(key=key, label=label))
        groups[-1].rows.append(risk)
    return groups


# --- The matrix -------------------------------------------------------------------------------


@dataclass
class MatrixCell:
    severity: int
    p: int
    count: int
    acceptable: bool | None


@dataclass
class Matrix:
    """Counts per (severity, P) cell of the plan's matrix, before or after control."""

    policy: RiskPolicy | None
    residual: bool
    counts: dict[tuple[int, int], int]
    total: int
    unestimated: int

    def acceptable(self, severity: int, p: int) -> bool | None:
        return self.policy.matrix.get((severity, p)) if self.policy else None

    def rows(self) -> list[tuple[object, list[MatrixCell]]]:
        """(severity level, cells from the least to the most probable), most severe first."""
        if self.policy is None:
            return []
        return [
            (
                level,
                [
                    MatrixCell(
                        severity=level.rank,
                        p=column.rank,
                        count=self.counts.get((level.rank, column.rank), 0),
                        acceptable=self.acceptable(level.rank, column.rank),
                    )
                    for column in self.policy.probability.ordered()
                ],
            )
            for level in reversed(self.policy.severity.ordered())
        ]

    @property
    def probability_levels(self) -> tuple:
        return self.policy.probability.ordered() if self.policy else ()


def matrix(device: Device, residual: bool = False, *, user=None) -> Matrix:
    """The risk matrix heatmap of a device in one aggregate query: before control, or after
    control (`residual`: the residual estimate of controlled risks, the estimate of the others).
    Risks without an estimate (or a controlled risk without a residual estimate) are counted in
    `unestimated`."""
    policy = plan_policy(device)
    if not _may_read(user):
        return Matrix(policy=policy, residual=residual, counts={}, total=0, unestimated=0)
    risks = Risk.objects.filter(device=device)
    if residual:
        risks = with_final(risks)
        severity, p = "final_severity", "final_p"
    else:
        severity, p = "severity", "p"
    counts = cell_counts(policy, []) if policy else {}
    total = unestimated = 0
    for row in risks.values(severity, p).annotate(n=Count("pk")).order_by():
        total += row["n"]
        cell = (row[severity], row[p])
        if None in cell:
            unestimated += row["n"]
            continue
        counts[cell] = counts.get(cell, 0) + row["n"]
    return Matrix(
        policy=policy, residual=residual, counts=counts, total=total, unestimated=unestimated
    )


# --- Traceability and history -----------------------------------------------------------------


def traceability(device: Device, *, user=None) -> list[Hazard]:
    """Hazard → hazardous situations → risks (harm, estimates) → controls (verification), in five
    queries however large the file. Each hazard carries `trace_situations`, each situation
    `trace_risks` and `observed` (see `observed_occurrences`), each risk `trace_controls`."""
    if not _may_read(user):
        return []
    hazard_list = list(Hazard.objects.filter(device=device).order_by("number"))
    by_hazard: dict[int, list] = defaultdict(list)
    situation_list = HazardousSituation.objects.filter(device=device).order_by("number")
    observed = observed_occurrences(device)
    for situation in situation_list:
        situation.trace_risks = []
        situation.observed = observed.get(situation.pk)
        by_hazard[situation.hazard_id].append(situation)
    situations_by_pk = {s.pk: s for group in by_hazard.values() for s in group}
    risks_by_pk = {}
    for risk in Risk.objects.filter(device=device).select_related("harm").order_by("number"):
        risk.trace_controls = []
        situation = situations_by_pk[risk.situation_id]
        risk.situation = situation
        situation.trace_risks.append(risk)
        risks_by_pk[risk.pk] = risk
    control_list = ControlMeasure.objects.filter(device=device).select_related(
        "implementation_verified_by", "effectiveness_verified_by"
    )
    controls_by_pk = {control.pk: control for control in control_list}
    links = ControlMeasure.risks.through.objects.filter(controlmeasure__device=device)
    for risk_id, control_id in links.values_list("risk_id", "controlmeasure_id").order_by(
        "controlmeasure_id"
    ):
        risks_by_pk[risk_id].trace_controls.append(controls_by_pk[control_id])
    for hazard in hazard_list:
        hazard.trace_situations = by_hazard.get(hazard.pk, [])
        for situation in hazard.trace_situations:
            situation.hazard = hazard
    return hazard_list


def risk_history(risk: Risk, *, user=None):
    """The audit events of a risk and of the control measures that control it, newest first."""
    if not _may_read(user):
        return AuditEvent.objects.none()
    control_ids = [str(pk) for pk in risk.controls.values_list("pk", flat=True)]
    return AuditEvent.objects.filter(
        Q(object_type="risk.risk", object_id=str(risk.pk))
        | Q(object_type="risk.controlmeasure", object_id__in=control_ids)
    ).order_by("-seq")


# --- Production and post-production (10) ------------------------------------------------------


def flagged_risks(*, user=None):
    """Risks across all devices flagged for review by production or post-production
    information (the dashboard list), oldest flag first."""
    if not _may_read(user):
        return Risk.objects.none()
    return (
        Risk.objects.filter(review_flag=True)
        .select_related("device", "situation", "situation__hazard", "harm")
        .order_by("review_flagged_at", "device__name", "number")
    )


def open_production_information(*, user=None):
    """Information items with a finding that have not been reviewed yet, across devices."""
    if not _may_read(user):
        return ProductionInfo.objects.none()
    return (
        ProductionInfo.objects.filter(is_open=True)
        .select_related("device", "situation")
        .order_by("date", "pk")
    )


@dataclass(frozen=True)
class Observed:
    """Observed occurrence of a hazardous situation beside its P1 estimate (10.3)."""

    occurrences: int
    exposure: int
    items: int
    rank: int | None = None  # the probability level the observed rate falls in
    p1: int | None = None  # the highest P1 estimated for the situation's risks

    @property
    def rate(self) -> float | None:
        return self.occurrences / self.exposure if self.exposure else None

    @property
    def above_estimate(self) -> bool:
        return self.rank is not None and self.p1 is not None and self.rank > self.p1


def observed_occurrences(device: Device, situation=None) -> dict[int, Observed]:
    """Observed occurrence per hazardous situation of the device (or of one situation), in
    three queries."""
    policy = plan_policy(device)
    only = {"situation": situation} if situation is not None else {}
    totals = (
        ProductionInfo.objects.filter(
            **only,
            device=device,
            situation__isnull=False,
            occurrences__isnull=False,
            exposure__gt=0,
        )
        .values("situation_id")
        .annotate(occurrences=Sum("occurrences"), exposure=Sum("exposure"), items=Count("pk"))
        .order_by()
    )
    rows = list(totals)
    if not rows:
        return {}
    p1_of = dict(
        Risk.objects.filter(**only, device=device, p1__isnull=False)
        .values("situation_id")
        .annotate(top=Max("p1"))
        .values_list("situation_id", "top")
        .order_by()
    )
    result = {}
    for row in rows:
        rate = row["occurrences"] / row["exposure"]
        rank = None
        if policy is not None:
            try:
                rank = policy.probability.rank_for(min(rate, 1.0))
            except ValueError:
                rank = None
        result[row["situation_id"]] = Observed(
            occurrences=row["occurrences"],
            exposure=row["exposure"],
            items=row["items"],
            rank=rank,
            p1=p1_of.get(row["situation_id"]),
        )
    return result


def observed_occurrence(situation: HazardousSituation) -> Observed | None:
    """Observed occurrence of one hazardous situation, or None without observations."""
    return observed_occurrences(situation.device, situation).get(situation.pk)
