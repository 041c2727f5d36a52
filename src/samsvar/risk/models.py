"""The risk management file of a device (ISO 14971:2019, with EN ISO 14971:2019+A11:2021 Annex Z).

Plan (4.4) with its acceptability policy, analysis (5), evaluation (6), control (7), benefit-risk
(7.4), overall residual risk (8), review and report (9), production and post-production
information (10), and FMEA worksheets that feed the analysis. The maths (scales, P1 x P2, the
matrix, the "as far as possible" rule, completeness) is pure and lives in
`samsvar.regulatory.risk`; these records hold the manufacturer's file and cache the computed
levels so registers and matrices are fast.

Every record is a `VersionedModel`: audited on each write and e-signable. Fields that are derived
(P, acceptability, flags set by post-production) are left out of the signed content, so a
re-evaluation or a flag does not create a new version of a signed record.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import VersionedModel
from samsvar.devices.models import Device
from samsvar.regulatory.risk import ControlKind, default_policy, policy_to_dict


def default_policy_data() -> dict:
    """The ready 5 x 5 policy in its stored (plain JSON) form."""
    return policy_to_dict(default_policy())


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def code(prefix: str, number: int | None) -> str:
    """A record's number as people quote it: H-001, HS-012, RC-103."""
    return f"{prefix}-{number:03d}" if number else prefix


class Numbered(models.Model):
    """A record numbered per device (H-001, HS-001, ...); the number is never reused."""

    prefix = ""
    number = models.PositiveIntegerField(_("number"), editable=False)

    class Meta:
        abstract = True

    @property
    def code(self) -> str:
        return code(self.prefix, self.number)


# --- Plan (4.4) -------------------------------------------------------------------------------


class RiskPlan(VersionedModel):
    """ISO 14971:2019 4.4 — the risk management plan of a device, with its acceptability policy.

    `policy` holds scales, the P1 x P2 combination table, the acceptability matrix and the overall
    method in the plain form of `samsvar.regulatory.risk.policy_to_dict`. Approved by an
    e-signature with the meaning "approved"; changing an approved plan needs a reason, creates the
    next version and re-evaluates every risk of the device (see `RiskLevelChange`).
    """

    device = models.OneToOneField(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="risk_plan"
    )
    scope = models.TextField(_("scope"), blank=True)
    lifecycle_phases = models.TextField(_("life-cycle phases"), blank=True)
    responsibilities = models.TextField(_("responsibilities and authorities"), blank=True)
    review_requirements = models.TextField(_("requirements for review"), blank=True)
    verification_activities = models.TextField(_("verification activities"), blank=True)
    production_information = models.TextField(
        _("production and post-production information"),
        blank=True,
        help_text=_("How production and post-production information is collected and reviewed."),
    )
    overall_method = models.TextField(_("method for the overall residual risk"), blank=True)
    overall_criteria = models.TextField(_("criteria for the overall residual risk"), blank=True)
    policy = models.JSONField(_("acceptability policy"), default=default_policy_data)

    class Meta:
        verbose_name = _("risk management plan")
        verbose_name_plural = _("risk management plans")

    def __str__(self):
        return f"RMP {self.device.name}"

    def get_absolute_url(self):
        return _url("risk:plan", self.device_id)


class RiskAnalysis(VersionedModel):
    """ISO 14971:2019 5.2 — intended use and reasonably foreseeable misuse of the device."""

    device = models.OneToOneField(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="risk_analysis"
    )
    intended_use = models.TextField(_("intended use"), blank=True)
    foreseeable_misuse = models.TextField(_("reasonably foreseeable misuse"), blank=True)

    class Meta:
        verbose_name = _("risk analysis")
        verbose_name_plural = _("risk analyses")

    def __str__(self):
        return f"{_('Risk analysis')} {self.device.name}"

    def get_absolute_url(self):
        return _url("risk:analysis", self.device_id)


# --- Analysis (5) -----------------------------------------------------------------------------


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class SafetyCharacteristic(VersionedModel):
    """ISO 14971:2019 5.3 — one question on characteristics related to safety (ISO/TR 24971
    Annex A topic), its answer, notes and the hazards it raised. `topic_key` is a key of
    `samsvar.regulatory.risk.catalogue.safety_topics()`."""

    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="safety_characteristics",
    )
    topic_key = models.CharField(_("topic"), max_length=80)
    answer = models.CharField(_("answer"), max_length=20, choices=Answer.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    hazards = models.ManyToManyField(
        "Hazard", blank=True, related_name="safety_characteristics", verbose_name=_("hazards")
    )

    class Meta:
        ordering = ["device", "topic_key"]
        verbose_name = _("characteristic related to safety")
        verbose_name_plural = _("characteristics related to safety")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "topic_key"], name="risk_safety_topic_once_per_device"
            ),
            models.CheckConstraint(
                condition=models.Q(answer__in=["", *Answer.values]),
                name="risk_safety_answer_valid",
            ),
        ]

    def __str__(self):
        return f"{self.device.name}: {self.topic_key}"

    def get_absolute_url(self):
        return _url("risk:safety", self.device_id)


class HazardOrigin(models.TextChoices):
    CATALOGUE = "catalogue", _("From the catalogue")
    OWN = "own", _("Manufacturer's own")


class Hazard(Numbered, VersionedModel):
    """ISO 14971:2019 5.4 — a potential source of harm, in a hazard category (Annex C) or the
    manufacturer's own. `introduced_by` links a hazard that a control measure brought in (7.5)."""

    prefix = "H"

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="hazards"
    )
    category_key = models.CharField(_("hazard category"), max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    origin = models.CharField(
        _("origin"), max_length=12, choices=HazardOrigin.choices, default=HazardOrigin.CATALOGUE
    )
    introduced_by = models.ForeignKey(
        "ControlMeasure",
        verbose_name=_("introduced by control measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="introduced_hazards",
    )

    class Meta:
        ordering = ["device", "number"]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        constraints = [
            models.UniqueConstraint(fields=["device", "number"], name="risk_hazard_number"),
            models.CheckConstraint(
                condition=models.Q(origin__in=HazardOrigin.values), name="risk_hazard_origin_valid"
            ),
        ]
        indexes = [models.Index(fields=["device", "category_key"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return _url("risk:hazard", self.pk)


class HazardousSituation(Numbered, VersionedModel):
    """ISO 14971:2019 5.4 — a circumstance in which people are exposed to a hazard, reached by a
    foreseeable sequence of events. `introduced_by` as on `Hazard` (7.5)."""

    prefix = "HS"

    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="hazardous_situations",
    )
    hazard = models.ForeignKey(
        Hazard, verbose_name=_("hazard"), on_delete=models.PROTECT, related_name="situations"
    )
    sequence_of_events = models.TextField(_("sequence of events"), blank=True)
    description = models.TextField(_("hazardous situation"))
    introduced_by = models.ForeignKey(
        "ControlMeasure",
        verbose_name=_("introduced by control measure"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="introduced_situations",
    )

    class Meta:
        ordering = ["device", "number"]
        verbose_name = _("hazardous situation")
        verbose_name_plural = _("hazardous situations")
        constraints = [
            models.UniqueConstraint(fields=["device", "number"], name="risk_situation_number"),
        ]

    def __str__(self):
        return f"{self.code} {self.short}"

    def get_absolute_url(self):
        return _url("risk:situation", self.pk)

    @property
    def short(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 80 else text[:79] + "…"


class Harm(VersionedModel):
    """ISO 14971:2019 3.3, 5.5 — an injury or damage, with its severity on the plan's scale."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="harms"
    )
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    severity = models.PositiveSmallIntegerField(_("severity"), null=True, blank=True)

    class Meta:
        ordering = ["device", "-severity", "name"]
        verbose_name = _("harm")
        verbose_name_plural = _("harms")
        constraints = [
            models.UniqueConstraint(fields=["device", "name"], name="risk_harm_name_once"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return _url("risk:harm", self.pk)


# Computed on a risk from its inputs and the plan's policy: never typed in, left out of the
# signed content (the inputs and the signed plan determine them).
RISK_COMPUTED = (
    "severity",
    "p",
    "initial_acceptable",
    "residual_p",
    "residual_acceptable",
)
RISK_FLAGS = ("review_flag", "review_reason", "review_flagged_at", "review_note")


class Risk(Numbered, VersionedModel):
    """ISO 14971:2019 5.5, 6, 7.3 — one hazardous situation-harm pair with its estimate before
    and after control.

    The analyst gives P1 (the hazardous situation occurs) and P2 (it leads to the harm), and after
    control the residual P1, P2 and, where a control lowers it, the residual severity. The
    severity (from the harm), P and acceptability are computed from the plan's policy and stored
    for fast registers and matrices. `afap_justification` records why further reduction is not
    possible without harming the benefit-risk ratio (Annex Z); `control_option_rationale` why
    higher-priority control options are not practicable (7.1). `disclose` marks a significant
    residual risk, `disclosure_text` the wording in the accompanying information (8).
    `review_flag` is set by production and post-production information (10) until reviewed.
    """

    prefix = "R"

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="risks"
    )
    situation = models.ForeignKey(
        HazardousSituation,
        verbose_name=_("hazardous situation"),
        on_delete=models.PROTECT,
        related_name="risks",
    )
    harm = models.ForeignKey(
        Harm, verbose_name=_("harm"), on_delete=models.PROTECT, related_name="risks"
    )
    p1 = models.PositiveSmallIntegerField(_("P1"), null=True, blank=True)
    p2 = models.PositiveSmallIntegerField(_("P2"), null=True, blank=True)
    severity = models.PositiveSmallIntegerField(
        _("severity"), null=True, blank=True, editable=False
    )
    p = models.PositiveSmallIntegerField(_("P"), null=True, blank=True, editable=False)
    initial_acceptable = models.BooleanField(
        _("acceptable before control"), null=True, blank=True, editable=False
    )
    residual_p1 = models.PositiveSmallIntegerField(_("residual P1"), null=True, blank=True)
    residual_p2 = models.PositiveSmallIntegerField(_("residual P2"), null=True, blank=True)
    residual_severity = models.PositiveSmallIntegerField(
        _("residual severity"),
        null=True,
        blank=True,
        help_text=_("Only when a control measure lowers the severity; else the harm's severity."),
    )
    residual_p = models.PositiveSmallIntegerField(
        _("residual P"), null=True, blank=True, editable=False
    )
    residual_acceptable = models.BooleanField(
        _("acceptable after control"), null=True, blank=True, editable=False
    )
    afap_justification = models.TextField(
        _("justification that further reduction is not possible"),
        blank=True,
        help_text=_(
            "Why the risk cannot be reduced further without harming the benefit-risk ratio."
        ),
    )
    control_option_rationale = models.TextField(
        _("rationale for the control options"),
        blank=True,
        help_text=_("Why higher-priority control options are not practicable."),
    )
    disclose = models.BooleanField(
        _("significant residual risk to disclose"),
        default=False,
        help_text=_("Disclose this residual risk in the accompanying information."),
    )
    disclosure_text = models.TextField(_("disclosure in the accompanying information"), blank=True)
    review_flag = models.BooleanField(_("flagged for review"), default=False)
    review_reason = models.TextField(_("reason for review"), blank=True)
    review_flagged_at = models.DateTimeField(_("flagged at"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True)

    content_exclude = ("version", *RISK_COMPUTED, *RISK_FLAGS)

    class Meta:
        ordering = ["device", "number"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = [
            models.UniqueConstraint(fields=["device", "number"], name="risk_risk_number"),
            models.UniqueConstraint(fields=["situation", "harm"], name="risk_situation_harm_once"),
        ]
        indexes = [
            models.Index(fields=["device", "severity", "p"], name="risk_risk_cell"),
            models.Index(fields=["device", "initial_acceptable"], name="risk_risk_acceptable"),
            models.Index(
                fields=["device", "residual_severity", "residual_p"], name="risk_risk_residual"
            ),
            models.Index(fields=["review_flag"], name="risk_risk_flag"),
        ]

    def __str__(self):
        return f"{self.code} {self.situation.code} → {self.harm.name}"

    def get_absolute_url(self):
        return _url("risk:risk", self.pk)

    @property
    def estimated(self) -> bool:
        return self.p is not None

    @property
    def residual_severity_effective(self) -> int | None:
        return self.residual_severity or self.severity


# --- Control (7) ------------------------------------------------------------------------------


class ControlKindChoice(models.TextChoices):
    INHERENT_SAFETY = ControlKind.INHERENT_SAFETY.value, _("Inherent safety by design")
    PROTECTIVE = ControlKind.PROTECTIVE.value, _("Protective measure")
    INFORMATION = ControlKind.INFORMATION.value, _("Information for safety")


class VerificationResult(models.TextChoices):
    PASS = "pass", _("Pass")
    FAIL = "fail", _("Fail")


class ControlMeasure(Numbered, VersionedModel):
    """ISO 14971:2019 7.1-7.6 — a risk control measure of one of the three kinds in priority
    order; one measure may control several risks.

    Implementation (7.2) and effectiveness are verified separately, each with evidence, result,
    date and who verified it. An information-for-safety measure records the label or IFU text
    it relies on. `new_risks_reviewed` records the check for new hazards or hazardous situations
    the measure introduces (7.5); those link back through their `introduced_by`.
    """

    prefix = "RC"

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="risk_controls"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ControlKindChoice.choices)
    description = models.TextField(_("control measure"))
    implementation = models.TextField(_("implementation"), blank=True)
    safety_information_text = models.TextField(
        _("safety information (label or IFU text)"),
        blank=True,
        help_text=_("The wording in the label or instructions for use that the measure relies on."),
    )
    risks = models.ManyToManyField(
        Risk, blank=True, related_name="controls", verbose_name=_("risks controlled")
    )
    implementation_evidence = models.CharField(
        _("evidence of implementation"), max_length=300, blank=True
    )
    implementation_result = models.CharField(
        _("result of implementation verification"),
        max_length=4,
        choices=VerificationResult.choices,
        blank=True,
    )
    implementation_date = models.DateField(_("implementation verified on"), null=True, blank=True)
    implementation_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("implementation verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    effectiveness_evidence = models.CharField(
        _("evidence of effectiveness"), max_length=300, blank=True
    )
    effectiveness_result = models.CharField(
        _("result of effectiveness verification"),
        max_length=4,
        choices=VerificationResult.choices,
        blank=True,
    )
    effectiveness_date = models.DateField(_("effectiveness verified on"), null=True, blank=True)
    effectiveness_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("effectiveness verified by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    new_risks_reviewed = models.BooleanField(
        _("reviewed for new hazards or hazardous situations"), default=False
    )
    new_risks_notes = models.TextField(
        _("notes on new hazards or hazardous situations"), blank=True
    )

    class Meta:
        ordering = ["device", "number"]
        verbose_name = _("risk control measure")
        verbose_name_plural = _("risk control measures")
        constraints = [
            models.UniqueConstraint(fields=["device", "number"], name="risk_control_number"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ControlKindChoice.values), name="risk_control_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ControlKind.INFORMATION.value)
                | ~models.Q(safety_information_text=""),
                name="risk_control_information_has_text",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.short}"

    def get_absolute_url(self):
        return _url("risk:control", self.pk)

    @property
    def short(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 80 else text[:79] + "…"

    @property
    def implementation_verified(self) -> bool:
        return self.implementation_result == VerificationResult.PASS

    @property
    def effectiveness_verified(self) -> bool:
        return self.effectiveness_result == VerificationResult.PASS


# --- Benefit-risk (7.4) and overall residual risk (8) -----------------------------------------


class BenefitRiskConclusion(models.TextChoices):
    FAVOURABLE = "favourable", _("Benefits outweigh the residual risk")
    UNFAVOURABLE = "unfavourable", _("Benefits do not outweigh the residual risk")


class BenefitRiskAnalysis(Numbered, VersionedModel):
    """ISO 14971:2019 7.4 — benefit-risk analysis of residual risks that are not acceptable,
    approved by e-signature (meaning "approved")."""

    prefix = "BR"

    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="benefit_risk_analyses",
    )
    title = models.CharField(_("title"), max_length=300)
    risks = models.ManyToManyField(
        Risk, blank=True, related_name="benefit_risk_analyses", verbose_name=_("risks")
    )
    benefits = models.TextField(_("benefits"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=BenefitRiskConclusion.choices, blank=True
    )

    class Meta:
        ordering = ["device", "number"]
        verbose_name = _("benefit-risk analysis")
        verbose_name_plural = _("benefit-risk analyses")
        constraints = [
            models.UniqueConstraint(fields=["device", "number"], name="risk_benefit_risk_number"),
            models.CheckConstraint(
                condition=models.Q(conclusion__in=["", *BenefitRiskConclusion.values]),
                name="risk_benefit_risk_conclusion_valid",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return _url("risk:benefit_risk", self.pk)


class OverallConclusion(models.TextChoices):
    ACCEPTABLE = "acceptable", _("Acceptable")
    NOT_ACCEPTABLE = "not_acceptable", _("Not acceptable")


class OverallEvaluation(VersionedModel):
    """ISO 14971:2019 8 — evaluation of the overall residual risk by the method in the plan."""

    device = models.OneToOneField(
        Device,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="overall_risk_evaluation",
    )
    method = models.TextField(_("method"), blank=True)
    analysis = models.TextField(_("analysis"), blank=True)
    conclusion = models.CharField(
        _("conclusion"), max_length=20, choices=OverallConclusion.choices, blank=True
    )

    class Meta:
        verbose_name = _("overall residual risk evaluation")
        verbose_name_plural = _("overall residual risk evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(conclusion__in=["", *OverallConclusion.values]),
                name="risk_overall_conclusion_valid",
            ),
        ]

    def __str__(self):
        return f"{_('Overall residual risk')} {self.device.name}"

    def get_absolute_url(self):
        return _url("risk:overall", self.device_id)


# --- Review and report (9) --------------------------------------------------------------------


class RiskReview(VersionedModel):
    """ISO 14971:2019 9 — the risk management review: the file was complete (no gap) when it was
    recorded, and these are the reviewers' conclusions. Signed by the reviewers."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="risk_reviews"
    )
    conclusions = models.TextField(_("conclusions"))
    plan_version = models.PositiveIntegerField(_("plan version"))
    risk_count = models.PositiveIntegerField(_("risks"), default=0)

    class Meta:
        ordering = ["device", "-created_at", "-pk"]
        verbose_name = _("risk management review")
        verbose_name_plural = _("risk management reviews")

    def __str__(self):
        return f"{_('Risk management review')} {self.device.name} #{self.pk}"

    def get_absolute_url(self):
        return _url("risk:review", self.pk)


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


def issued_report_path(report: IssuedReport, filename: str) -> str:
    return f"risk/reports/{report.device_id}/{report.sha256[:16]}-{filename}"


class IssuedReport(VersionedModel):
    """ISO 14971:2019 9 — an issued risk management report: the exact file, its SHA-256 and who
    issued it. Immutable: neither the row nor the file changes after it is written; it is
    e-signed like any other record.

    The file is kept in the media storage (the data directory, or object storage in production)
    rather than in a database column: reports of large files run to megabytes, the backup
    archive already carries the media files, and the SHA-256 in the row proves the file intact.
    """

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="risk_reports"
    )
    title = models.CharField(_("title"), max_length=300)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    file = models.FileField(_("file"), upload_to=issued_report_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["device", "-issued_at", "-pk"]
        verbose_name = _("issued risk management report")
        verbose_name_plural = _("issued risk management reports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=ReportFormat.values), name="risk_report_format"
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.format.upper()}, {self.sha256[:12]})"

    def get_absolute_url(self):
        return _url("risk:report", self.pk)

    def before_controlled_save(self, before, ctx) -> None:
        if before is not None:
            raise ValidationError(_("An issued report cannot be changed; issue a new one."))

    def delete(self, *args, **kwargs):
        raise ValidationError(_("An issued report cannot be deleted."))


# --- Production and post-production (10) ------------------------------------------------------


class InfoSource(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    SERVICE = "service", _("Service")
    PMS = "pms", _("Post-market surveillance")
    LITERATURE = "literature", _("Literature")
    SIMILAR_DEVICES = "similar_devices", _("Similar devices")
    OTHER = "other", _("Other")


class Finding(models.TextChoices):
    NONE = "none", _("No new finding")
    NEW_HAZARD = "new_hazard", _("New hazard or hazardous situation")
    PROBABILITY_UNDERESTIMATED = "probability_underestimated", _("Probability underestimated")
    SEVERITY_WORSE = "severity_worse", _("Severity worse than estimated")


class ProductionInfo(Numbered, VersionedModel):
    """ISO 14971:2019 10 — one item of production or post-production information, linked to the
    hazards and risks it concerns.

    A finding other than "none" flags the linked risks (and, for a new hazard, every risk of the
    linked hazards) for review, and the item stays open until it is reviewed. `occurrences` out
    of `exposure` (uses) for a hazardous situation gives the observed occurrence shown beside the
    P1 estimate.
    """

    prefix = "PI"

    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="production_information",
    )
    source = models.CharField(_("source"), max_length=20, choices=InfoSource.choices)
    date = models.DateField(_("date"))
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    hazards = models.ManyToManyField(
        Hazard, blank=True, related_name="production_information", verbose_name=_("hazards")
    )
    risks = models.ManyToManyField(
        Risk, blank=True, related_name="production_information", verbose_name=_("risks")
    )
    situation = models.ForeignKey(
        HazardousSituation,
        verbose_name=_("hazardous situation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="production_information",
    )
    occurrences = models.PositiveIntegerField(_("occurrences"), null=True, blank=True)
    exposure = models.PositiveBigIntegerField(
        _("exposure (uses)"),
        null=True,
        blank=True,
        help_text=_("How many uses the occurrences were observed in."),
    )
    finding = models.CharField(
        _("finding"), max_length=30, choices=Finding.choices, default=Finding.NONE
    )
    is_open = models.BooleanField(_("open"), default=False)
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    content_exclude = ("version", "is_open", "review_note", "reviewed_by", "reviewed_at")

    class Meta:
        ordering = ["device", "-date", "-number"]
        verbose_name = _("production or post-production information")
        verbose_name_plural = _("production and post-production information")
        constraints = [
            models.UniqueConstraint(fields=["device", "number"], name="risk_info_number"),
            models.CheckConstraint(
                condition=models.Q(source__in=InfoSource.values), name="risk_info_source"
            ),
            models.CheckConstraint(
                condition=models.Q(finding__in=Finding.values), name="risk_info_finding"
            ),
            models.CheckConstraint(
                condition=models.Q(occurrences__isnull=True)
                | models.Q(exposure__isnull=True)
                | models.Q(occurrences__lte=models.F("exposure")),
                name="risk_info_occurrences_within_exposure",
            ),
        ]
        indexes = [models.Index(fields=["device", "is_open"], name="risk_info_open")]

    def __str__(self):
        return f"{self.code} {self.get_source_display()} {self.date}"

    def get_absolute_url(self):
        return _url("risk:production_info", self.pk)


# --- Level changes when the policy changes (4.4, 6) -------------------------------------------


class EstimateKind(models.TextChoices):
    INITIAL = "initial", _("Before control")
    RESIDUAL = "residual", _("After control")


class RiskLevelChange(models.Model):
    """A risk whose P or acceptability changed when the plan's policy changed: what the UI shows
    as "risks that changed level" for a plan version.

    Derived rows, written in the same transaction as the plan change; the audit trail holds the
    changes of the risks themselves. `after_p` is None when the risk's ranks are no longer on the
    new scales, so it must be estimated again (`note` says why).
    """

    plan = models.ForeignKey(
        RiskPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="level_changes"
    )
    plan_version = models.PositiveIntegerField(_("plan version"))
    risk = models.ForeignKey(
        Risk, verbose_name=_("risk"), on_delete=models.CASCADE, related_name="level_changes"
    )
    estimate = models.CharField(_("estimate"), max_length=10, choices=EstimateKind.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), null=True)
    before_p = models.PositiveSmallIntegerField(_("P before"), null=True)
    before_acceptable = models.BooleanField(_("acceptable before"), null=True)
    after_p = models.PositiveSmallIntegerField(_("P after"), null=True)
    after_acceptable = models.BooleanField(_("acceptable after"), null=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-plan_version", "risk__number", "estimate"]
        verbose_name = _("risk level change")
        verbose_name_plural = _("risk level changes")
        indexes = [models.Index(fields=["plan", "plan_version"], name="risk_levelchange_version")]

    def __str__(self):
        return f"{self.risk_id} v{self.plan_version} {self.estimate}"

    @property
    def acceptability_changed(self) -> bool:
        return self.before_acceptable != self.after_acceptable


# --- FMEA -------------------------------------------------------------------------------------


class FmeaKind(models.TextChoices):
    DESIGN = "design", _("Design FMEA")
    PROCESS = "process", _("Process FMEA")
    USE = "use", _("Use FMEA")


class FmeaWorksheet(VersionedModel):
    """A design, process or use FMEA of the device, whose rows feed the ISO 14971 analysis
    (ISO/TR 24971 Annex B)."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="fmea_worksheets"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=FmeaKind.choices)
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        ordering = ["device", "kind", "title"]
        verbose_name = _("FMEA worksheet")
        verbose_name_plural = _("FMEA worksheets")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=FmeaKind.values), name="risk_fmea_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return _url("risk:fmea", self.pk)


class FmeaRow(VersionedModel):
    """One failure mode of an FMEA worksheet with S, O, D (1 to 10) and RPN = S x O x D. A row
    links to the hazard it reveals, so the FMEA feeds the risk analysis."""

    worksheet = models.ForeignKey(
        FmeaWorksheet, verbose_name=_("worksheet"), on_delete=models.PROTECT, related_name="rows"
    )
    position = models.PositiveIntegerField(_("position"), editable=False)
    item_function = models.CharField(_("item or function"), max_length=300)
    failure_mode = models.TextField(_("failure mode"))
    effect = models.TextField(_("effect"), blank=True)
    cause = models.TextField(_("cause"), blank=True)
    severity = models.PositiveSmallIntegerField(_("S"))
    occurrence = models.PositiveSmallIntegerField(_("O"))
    detection = models.PositiveSmallIntegerField(_("D"))
    rpn = models.PositiveSmallIntegerField(_("RPN"), editable=False)
    actions = models.TextField(_("actions"), blank=True)
    hazard = models.ForeignKey(
        Hazard,
        verbose_name=_("hazard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fmea_rows",
    )

    content_exclude = ("version", "rpn")

    class Meta:
        ordering = ["worksheet", "position"]
        verbose_name = _("FMEA row")
        verbose_name_plural = _("FMEA rows")
        constraints = [
            models.UniqueConstraint(
                fields=["worksheet", "position"], name="risk_fmea_row_position"
            ),
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=10)
                & models.Q(occurrence__gte=1, occurrence__lte=10)
                & models.Q(detection__gte=1, detection__lte=10),
                name="risk_fmea_row_ranks",
            ),
        ]

    def __str__(self):
        return f"{self.worksheet.title} #{self.position}: {self.failure_mode[:60]}"

    def get_absolute_url(self):
        return _url("risk:fmea", self.worksheet_id)
