"""The device register: what the manufacturer makes, under which regulation (MDR/IVDR Art. 10)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import VersionedModel
from samsvar.regulatory import eea


class Regime(models.TextChoices):
    MDR = "mdr", _("MDR (EU) 2017/745")
    IVDR = "ivdr", _("IVDR (EU) 2017/746")


class IntendedUsers(models.TextChoices):
    LAY = "lay", _("Lay persons")
    PROFESSIONAL = "professional", _("Healthcare professionals")
    BOTH = "both", _("Lay persons and healthcare professionals")


class LifecycleStatus(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    DEVELOPMENT = "development", _("In development")
    VERIFICATION = "verification", _("Verification and validation")
    CONFORMITY = "conformity", _("Conformity assessment")
    ON_MARKET = "on_market", _("On the market")
    DISCONTINUED = "discontinued", _("No longer placed on the market")


class DeviceClass(models.TextChoices):
    I = "I", "I"  # noqa: E741
    IIA = "IIa", "IIa"
    IIB = "IIb", "IIb"
    III = "III", "III"
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


MDR_CLASSES = {"I", "IIa", "IIb", "III"}
IVDR_CLASSES = {"A", "B", "C", "D"}


def default_markets():
    return list(eea.DEFAULT_MARKETS)


class Device(VersionedModel):
    """A medical device or IVD in the manufacturer's portfolio, with its intended purpose."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    model_number = models.CharField(_("model"), max_length=100)
    variants = models.JSONField(_("variants"), default=list, blank=True)
    regime = models.CharField(_("regulation"), max_length=4, choices=Regime.choices)
    intended_purpose = models.TextField(
        _("intended purpose"),
        help_text=_("MDR/IVDR Art. 2(12): the use for which the device is intended."),
    )
    intended_users = models.CharField(
        _("intended users"), max_length=20, choices=IntendedUsers.choices
    )
    target_markets = models.JSONField(_("target markets"), default=default_markets)
    lifecycle_status = models.CharField(
        _("life-cycle status"),
        max_length=20,
        choices=LifecycleStatus.choices,
        default=LifecycleStatus.DEVELOPMENT,
    )
    device_class = models.CharField(
        _("class"), max_length=3, choices=DeviceClass.choices, blank=True
    )
    classification_rule = models.CharField(_("classification rule"), max_length=60, blank=True)
    basic_udi_di = models.CharField(_("Basic UDI-DI"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(regime__in=["mdr", "ivdr"]), name="device_regime_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("devices:detail", args=[self.pk])

    def clean(self):
        errors = {}
        unknown = eea.unknown_markets(list(self.target_markets or []))
        if not self.target_markets:
            errors["target_markets"] = _("Choose at least one EEA state.")
        elif unknown:
            errors["target_markets"] = _("Not EEA states: %(codes)s") % {
                "codes": ", ".join(unknown)
            }
        if self.device_class:
            allowed = MDR_CLASSES if self.regime == Regime.MDR else IVDR_CLASSES
            if self.device_class not in allowed:
                errors["device_class"] = _("Class %(cls)s does not exist under the %(regime)s.") % {
                    "cls": self.device_class,
                    "regime": self.get_regime_display(),
                }
        if errors:
            raise ValidationError(errors)

    @property
    def market_names(self) -> list[str]:
        names = eea.state_names(get_language() or "en")
        return sorted(names.get(code, code) for code in self.target_markets)


class Classification(VersionedModel):
    """The device's classification under MDR/IVDR Annex VIII, with the answers and rationale.

    One record per device; reclassifying changes it (a new version once signed). The answers
    are the device profile that the pure engine in `samsvar.regulatory.classification` read.
    """

    device = models.OneToOneField(
        Device, on_delete=models.PROTECT, related_name="classification", verbose_name=_("device")
    )
    regime = models.CharField(_("regulation"), max_length=4, choices=Regime.choices)
    profile = models.JSONField(_("answers (device profile)"), default=dict)
    device_class = models.CharField(_("class"), max_length=3, choices=DeviceClass.choices)
    special = models.JSONField(_("class I variants"), default=list, blank=True)
    rules = models.JSONField(_("rules that apply"), default=list)
    rule = models.CharField(_("classification rule"), max_length=60)
    decided_by = models.CharField(_("decided by"), max_length=300)
    rationale = models.TextField(
        _("rationale"),
        help_text=_(
            "Why these answers describe the device: cite its intended purpose and evidence."
        ),
    )
    review_needed = models.BooleanField(_("review needed"), default=False)
    review_reason = models.CharField(_("why a review is needed"), max_length=300, blank=True)

    # The review flag is bookkeeping about the record, not part of what was signed.
    content_exclude = ("version", "review_needed", "review_reason")

    class Meta:
        verbose_name = _("classification")
        verbose_name_plural = _("classifications")

    def __str__(self):
        return f"{self.device}: {self.get_regime_display()} class {self.device_class}"

    def get_absolute_url(self):
        return reverse("devices:classification", args=[self.device_id])

    @property
    def class_label(self) -> str:
        suffix = {"sterile": "s", "measuring": "m", "reusable_surgical": "r"}
        return self.device_class + "".join(suffix.get(s, "") for s in self.special)
