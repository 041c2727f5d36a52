"""Harmonised standards, common specifications, the standards each device applies, and its GSPR.

The register (`StandardEdition`) is reference data seeded from `samsvar.regulatory.standards`;
`AppliedStandard` and `GsprEntry` are the device's part of the technical documentation
(MDR/IVDR Annex II Section 4: the GSPR, the methods used to show conformity with each, and the
harmonised standards, common specifications or other solutions applied).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import ControlledModel
from samsvar.devices.models import Device
from samsvar.regulatory import standards as catalogue


class Kind(models.TextChoices):
    STANDARD = "standard", _("Standard")
    COMMON_SPECIFICATION = "common_specification", _("Common specification")


class Harmonised(models.TextChoices):
    MDR = "mdr", _("MDR")
    IVDR = "ivdr", _("IVDR")
    BOTH = "both", _("MDR and IVDR")
    NONE = "none", _("Not harmonised")
    UNKNOWN = "unknown", _("Not verified")


class EditionStatus(models.TextChoices):
    CURRENT = "current", _("Current")
    SUPERSEDED = "superseded", _("Superseded")


class Application(models.TextChoices):
    FULL = "full", _("In full")
    PARTIAL = "partial", _("In part")


class Method(models.TextChoices):
    HARMONISED_STANDARD = "harmonised_standard", _("Harmonised standard")
    COMMON_SPECIFICATION = "common_specification", _("Common specification")
    OTHER = "other", _("Other solution")


def norwegian() -> bool:
    return (get_language() or "en").startswith("nb")


class StandardEdition(ControlledModel):
    """One edition of a standard or one common specification in the register (MDR/IVDR Art. 8, 9).

    Reference data: who may change it is STANDARDS_REGISTER_CHANGE. `harmonised` says under
    which Regulation the edition's reference is published in the Official Journal; for a common
    specification it is the Regulation it was adopted under.
    """

    key = models.SlugField(_("key"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.STANDARD)
    number = models.CharField(
        _("number"),
        max_length=120,
        help_text=_(
            "e.g. EN ISO 14971; for a common specification the implementing regulation, e.g. "
            "Commission Implementing Regulation (EU) 2022/1107."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("edition year"), validators=[MinValueValidator(1950), MaxValueValidator(2100)]
    )
    amendments = models.JSONField(
        _("amendments"),
        default=list,
        blank=True,
        help_text=_("Amendments and corrigenda of this edition, e.g. A11:2021, AC:2018."),
    )
    identical_to = models.CharField(_("identical to"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=500)
    title_nb = models.CharField(
        _("Norwegian description"),
        max_length=500,
        blank=True,
        help_text=_("A short description in Norwegian; not an official title."),
    )
    harmonised = models.CharField(
        _("harmonised under"), max_length=10, choices=Harmonised.choices, default=Harmonised.UNKNOWN
    )
    decision_mdr = models.CharField(
        _("implementing decision (MDR)"),
        max_length=80,
        blank=True,
        help_text=_("The Commission Implementing Decision that lists it, e.g. (EU) 2022/757."),
    )
    decision_ivdr = models.CharField(_("implementing decision (IVDR)"), max_length=80, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=EditionStatus.choices, default=EditionStatus.CURRENT
    )
    superseded_by = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    transition_end = models.DateField(
        _("end of transition period"),
        null=True,
        blank=True,
        help_text=_("After this date the edition no longer gives presumption of conformity."),
    )
    applies_from = models.DateField(_("applies from"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("confirmed"),
        default=True,
        help_text=_("Harmonisation status, decision and dates checked against the OJ list."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["kind", "number", "-year"]
        verbose_name = _("standard edition")
        verbose_name_plural = _("standard editions")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "year"], name="standard_edition_unique_edition"
            ),
            models.CheckConstraint(
                condition=models.Q(harmonised__in=[c.value for c in Harmonised]),
                name="standard_edition_harmonised_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[c.value for c in EditionStatus]),
                name="standard_edition_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[c.value for c in Kind]),
                name="standard_edition_kind_valid",
            ),
        ]

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("standards:detail", args=[self.pk])

    @property
    def label(self) -> str:
        """The edition as it is cited, e.g. "EN ISO 14971:2019+A11:2021"."""
        if self.kind == Kind.COMMON_SPECIFICATION:
            return self.number
        return f"{self.number}:{self.year}" + "".join(f"+{a}" for a in self.amendments or [])

    @property
    def display_title(self) -> str:
        """The title in the reader's language: the Norwegian description when there is one."""
        if norwegian() and self.title_nb:
            return self.title_nb
        return self.title

    def clean(self):
        errors = {}
        if self.status == EditionStatus.CURRENT and self.superseded_by_id:
            errors["superseded_by"] = _("A current edition is not superseded; set the status.")
        if self.superseded_by_id and self.pk and self.superseded_by_id == self.pk:
            errors["superseded_by"] = _("An edition cannot supersede itself.")
        if self.kind == Kind.COMMON_SPECIFICATION and self.harmonised not in (
            Harmonised.MDR,
            Harmonised.IVDR,
            Harmonised.BOTH,
        ):
            errors["harmonised"] = _("Say under which Regulation the common specification applies.")
        if self.decision_mdr and self.harmonised not in (Harmonised.MDR, Harmonised.BOTH):
            errors["decision_mdr"] = _(
                "Only an edition harmonised under the MDR has an MDR decision."
            )
        if self.decision_ivdr and self.harmonised not in (Harmonised.IVDR, Harmonised.BOTH):
            errors["decision_ivdr"] = _(
                "Only an edition harmonised under the IVDR has an IVDR decision."
            )
        if errors:
            raise ValidationError(errors)

    def as_catalogue_entry(self) -> catalogue.Standard:
        """This edition as the pure catalogue's dataclass, for `edition_warnings(register=...)`."""
        return catalogue.Standard(
            key=self.key,
            number=self.number,
            year=self.year,
            amendments=tuple(self.amendments or ()),
            identical_to=self.identical_to,
            title_en=self.title,
            topic_nb=self.title_nb,
            harmonised=self.harmonised,
            decision_mdr=self.decision_mdr,
            decision_ivdr=self.decision_ivdr,
            status=self.status,
            superseded_by=self.superseded_by.key if self.superseded_by_id else "",
            transition_end=self.transition_end,
            confirmed=self.confirmed,
            note=self.notes,
        )


class AppliedStandard(ControlledModel):
    """A standard or common specification the manufacturer applies to a device (Annex II 4(c)).

    Applied in part, the justification says which parts are not applied and why, as the
    EU declaration of conformity and the technical documentation must show.
    """

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="applied_standards", verbose_name=_("device")
    )
    edition = models.ForeignKey(
        StandardEdition,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("standard"),
    )
    application = models.CharField(
        _("applied"), max_length=10, choices=Application.choices, default=Application.FULL
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Required when applied in part: which clauses are not applied, and why."),
    )
    clauses = models.TextField(
        _("clauses applied"), blank=True, help_text=_("e.g. clauses 4 to 9; Annex C.")
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["edition__number", "-edition__year"]
        verbose_name = _("applied standard")
        verbose_name_plural = _("applied standards")
        constraints = [
            models.UniqueConstraint(
                fields=["device", "edition"], name="applied_standard_once_per_device"
            ),
            models.CheckConstraint(
                condition=models.Q(application="full")
                | (models.Q(application="partial") & ~models.Q(justification="")),
                name="applied_standard_partial_justified",
            ),
        ]

    def __str__(self):
        return f"{self.device}: {self.edition.label}"

    def get_absolute_url(self):
        return reverse("standards:device_standards", args=[self.device_id])

    def clean(self):
        if self.application == Application.PARTIAL and not (self.justification or "").strip():
            raise ValidationError({"justification": _("Say which parts are not applied, and why.")})


class GsprEntry(ControlledModel):
    """One row of a device's GSPR checklist (MDR/IVDR Annex I; Annex II Section 4).

    Whether the requirement applies (and why not, when it does not), the methods used to show
    conformity, the applied standards cited and the evidence in the technical documentation.
    """

    device = models.ForeignKey(
        Device, on_delete=models.PROTECT, related_name="gspr_entries", verbose_name=_("device")
    )
    number = models.CharField(_("requirement"), max_length=20)
    applicable = models.BooleanField(_("applicable"), null=True, blank=True)
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Required when the requirement does not apply: why not."),
    )
    methods = models.JSONField(_("methods of conformity"), default=list, blank=True)
    standards = models.ManyToManyField(
        AppliedStandard,
        blank=True,
        related_name="gspr_entries",
        verbose_name=_("standards applied"),
    )
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_(
            "References to the controlled documents that show conformity, one per line, e.g. "
            "VER-IP3-012 electrical safety test report."
        ),
    )
    requirement_text = models.TextField(
        _("requirement text"),
        blank=True,
        help_text=_("Optional: the text of the requirement, for readers of the checklist."),
    )

    class Meta:
        ordering = ["device", "pk"]
        verbose_name = _("GSPR checklist entry")
        verbose_name_plural = _("GSPR checklist entries")
        constraints = [
            models.UniqueConstraint(fields=["device", "number"], name="gspr_entry_once_per_device"),
            models.CheckConstraint(
                condition=models.Q(applicable__isnull=True)
                | models.Q(applicable=True)
                | ~models.Q(justification=""),
                name="gspr_entry_not_applicable_justified",
            ),
        ]

    def __str__(self):
        return f"{self.device}: {self.device.regime.upper()} Annex I {self.number}"

    def get_absolute_url(self):
        return reverse("standards:gspr", args=[self.device_id])

    @property
    def evidence_lines(self) -> list[str]:
        return [line.strip() for line in (self.evidence or "").splitlines() if line.strip()]

    def clean(self):
        if self.applicable is False and not (self.justification or "").strip():
            raise ValidationError(
                {"justification": _("Say why the requirement does not apply to this device.")}
            )
