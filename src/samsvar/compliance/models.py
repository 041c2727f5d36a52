"""Regulatory compliance records: the Article 10 checklist, the technical documentation index,
the EU declaration of conformity and the signed Article 10 compliance statement.

The law itself (what Article 10 asks, what Annexes II-IV contain) is in `samsvar.regulatory`;
these records say how far the manufacturer has got with it, with whose evidence.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import ControlledModel, VersionedModel
from samsvar.devices.models import Device, DeviceClass, Regime
from samsvar.regulatory import obligations as catalogue
from samsvar.regulatory import techdoc


def _norwegian() -> bool:
    return (get_language() or "en").startswith("nb")


class ObligationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    MET = "met", _("Met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


OPEN_STATUSES = (ObligationStatus.NOT_STARTED, ObligationStatus.IN_PROGRESS)


class Scope(models.TextChoices):
    DEVICE = "device", _("Device")
    MANUFACTURER = "manufacturer", _("Manufacturer")


class Obligation(ControlledModel):
    """One item of MDR/IVDR Article 10 or 10a, for one device or for the whole manufacturer.

    Instantiated from the catalogue in `samsvar.regulatory.obligations` by `obligations_sync`;
    the manufacturer-scope items (the QMS aspects of MDR 10(9)(a)-(m), IVDR 10(8)(a)-(m), the
    vigilance system, liability cover) have no device.
    """

    key = models.CharField(_("catalogue key"), max_length=40, editable=False)
    regime = models.CharField(_("regulation"), max_length=4, choices=Regime.choices)
    paragraph = models.CharField(_("paragraph"), max_length=20)
    parent_key = models.CharField(_("parent paragraph"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(_("position in the Article"), default=0)
    scope = models.CharField(_("scope"), max_length=12, choices=Scope.choices)
    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="obligations",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ObligationStatus.choices,
        default=ObligationStatus.NOT_STARTED,
    )
    justification = models.TextField(
        _("justification"),
        blank=True,
        help_text=_("Required when the obligation does not apply: say why."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["regime", "device__name", "position"]
        verbose_name = _("Article 10 obligation")
        verbose_name_plural = _("Article 10 obligations")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "device"],
                condition=models.Q(device__isnull=False),
                name="obligation_once_per_device",
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(device__isnull=True),
                name="obligation_once_per_manufacturer",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scope="device", device__isnull=False)
                    | models.Q(scope="manufacturer", device__isnull=True)
                ),
                name="obligation_scope_matches_device",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="not_applicable") | ~models.Q(justification=""),
                name="obligation_not_applicable_justified",
            ),
        ]

    def __str__(self):
        where = self.device.name if self.device_id else _("manufacturer")
        return f"{self.citation} · {where}"

    def get_absolute_url(self):
        if self.device_id:
            return reverse("compliance:device_obligations", args=[self.device_id])
        return reverse("compliance:manufacturer_obligations")

    @property
    def item(self) -> catalogue.Obligation | None:
        return catalogue_items(self.regime).get(self.key)

    @property
    def citation(self) -> str:
        return f"{self.regime.upper()} Art. {self.paragraph}"

    @property
    def title(self) -> str:
        item = self.item
        if item is None:
            return self.key
        return item.title_nb if _norwegian() else item.title_en

    @property
    def summary(self) -> str:
        item = self.item
        if item is None:
            return ""
        return item.summary_nb if _norwegian() else item.summary_en

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return is_overdue(self.status, self.due_date)


def is_overdue(status: str, due_date, today=None) -> bool:
    """Overdue: the due date has passed and the obligation is neither met nor not applicable."""
    if due_date is None or status not in OPEN_STATUSES:
        return False
    return due_date < (today or timezone.localdate())


_CATALOGUE_CACHE: dict[str, dict[str, catalogue.Obligation]] = {}


def catalogue_items(regime: str) -> dict[str, catalogue.Obligation]:
    if regime not in _CATALOGUE_CACHE:
        _CATALOGUE_CACHE[regime] = catalogue.by_key(regime)
    return _CATALOGUE_CACHE[regime]


class Evidence(ControlledModel):
    """A link from an obligation to what shows it is met: a samsvar record or an outside one.

    The link to a samsvar record is generic (content type and id), so documents, risk files and
    later records can be linked the same way; the label is frozen when the link is made.
    """

    obligation = models.ForeignKey(
        Obligation,
        verbose_name=_("obligation"),
        on_delete=models.PROTECT,
        related_name="evidence",
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("record type"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    label = models.CharField(_("label"), max_length=300)
    external_reference = models.CharField(
        _("external reference"),
        max_length=300,
        blank=True,
        help_text=_("A document outside samsvar, e.g. “SOP-004 Document control, rev. C”."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(content_type__isnull=False, object_id__gt="")
                    | (models.Q(content_type__isnull=True) & ~models.Q(external_reference=""))
                ),
                name="evidence_links_something",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def url(self) -> str:
        """The page of the linked samsvar record, or "" for an external reference."""
        if self.content_type_id is None:
            return ""
        names = {
            ("devices", "device"): "devices:detail",
            ("devices", "classification"): "devices:classification",
        }
        ctype = ContentType.objects.get_for_id(self.content_type_id)
        name = names.get((ctype.app_label, ctype.model))
        if name is None:
            return ""
        if ctype.model == "classification":
            from samsvar.devices.models import Classification

            record = Classification.objects.filter(pk=self.object_id).only("device_id").first()
            return reverse(name, args=[record.device_id]) if record else ""
        try:
            return reverse(name, args=[self.object_id])
        except NoReverseMatch:
            return ""


class TechdocReference(ControlledModel):
    """A document that fills a section of a device's technical documentation (Annexes II, III)."""

    device = models.ForeignKey(
        Device,
        verbose_name=_("device"),
        on_delete=models.PROTECT,
        related_name="techdoc_references",
    )
    section_key = models.CharField(_("section"), max_length=60)
    document_number = models.CharField(_("document number"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    location = models.CharField(
        _("location"),
        max_length=300,
        blank=True,
        help_text=_("Where the controlled copy is: a document system path, archive or URL."),
    )

    class Meta:
        ordering = ["section_key", "document_number"]
        verbose_name = _("technical documentation reference")
        verbose_name_plural = _("technical documentation references")

    def __str__(self):
        return f"{self.document_number} {self.title}"

    def get_absolute_url(self):
        return reverse("compliance:techdoc", args=[self.device_id])

    @property
    def section(self) -> techdoc.Section | None:
        return {s.key: s for s in techdoc.sections(self.device.regime)}.get(self.section_key)


class Declaration(VersionedModel):
    """The EU declaration of conformity of a device (MDR Art. 19 and Annex IV; IVDR Art. 17).

    Its content is copied from the device, its classification record and the organisation each
    time it is saved, plus what only the manufacturer can state (standards applied, notified
    body, place, date, signatory); the signed version is frozen like any other record.
    """

    device = models.OneToOneField(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="declaration"
    )
    # From the organisation (Annex IV point 1).
    manufacturer_name = models.CharField(_("manufacturer"), max_length=200)
    manufacturer_address = models.TextField(_("manufacturer's address"))
    manufacturer_srn = models.CharField(_("SRN"), max_length=40, blank=True)
    authorised_representative = models.TextField(
        _("authorised representative"),
        blank=True,
        help_text=_("Name, SRN and address; only for a manufacturer outside the EU/EEA."),
    )
    # From the device and its classification record (points 3 to 5).
    regime = models.CharField(_("regulation"), max_length=4, choices=Regime.choices)
    device_name = models.CharField(_("product and trade name"), max_length=200)
    model_number = models.CharField(_("model"), max_length=100)
    variants = models.JSONField(_("variants"), default=list, blank=True)
    basic_udi_di = models.CharField(_("Basic UDI-DI"), max_length=60, blank=True)
    intended_purpose = models.TextField(_("intended purpose"))
    device_class = models.CharField(_("class"), max_length=4, choices=DeviceClass.choices)
    class_label = models.CharField(_("class as shown"), max_length=6)
    classification_rule = models.CharField(_("classification rule"), max_length=60)
    # Confirmed by the user (points 6 to 10).
    references = models.JSONField(
        _("harmonised standards and other specifications applied"), default=list, blank=True
    )
    common_specifications = models.JSONField(
        _("common specifications applied"), default=list, blank=True
    )
    other_legislation = models.TextField(
        _("other Union legislation"),
        blank=True,
        help_text=_("Other Union legislation that provides for a declaration of conformity."),
    )
    notified_body_name = models.CharField(_("notified body"), max_length=200, blank=True)
    notified_body_number = models.CharField(
        _("notified body number"),
        max_length=4,
        blank=True,
        help_text=_("The four-digit identification number in NANDO."),
    )
    conformity_procedure = models.TextField(
        _("conformity assessment procedure"),
        blank=True,
        help_text=_("e.g. Annex IX Chapters I and III, with technical documentation assessment."),
    )
    certificate = models.CharField(
        _("certificate(s)"),
        max_length=300,
        blank=True,
        help_text=_("Number(s) of the certificate(s) the notified body issued."),
    )
    additional_information = models.TextField(_("additional information"), blank=True)
    place_of_issue = models.CharField(_("place of issue"), max_length=100)
    date_of_issue = models.DateField(_("date of issue"))
    signatory_name = models.CharField(_("signatory"), max_length=200)
    signatory_function = models.CharField(_("signatory's function"), max_length=200)

    class Meta:
        verbose_name = _("EU declaration of conformity")
        verbose_name_plural = _("EU declarations of conformity")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(regime__in=["mdr", "ivdr"]), name="declaration_regime_valid"
            ),
        ]

    def __str__(self):
        return f"EU DoC {self.device_name}"

    def get_absolute_url(self):
        # By its own id, so a signature request (which knows only type and id) can link to it.
        return reverse("compliance:declaration_record", args=[self.pk])

    @property
    def regulation_title(self) -> str:
        return REGULATION_TITLES[self.regime]


REGULATION_TITLES = {
    "mdr": "Regulation (EU) 2017/745 on medical devices",
    "ivdr": "Regulation (EU) 2017/746 on in vitro diagnostic medical devices",
}


class ComplianceStatement(VersionedModel):
    """The Article 10 compliance overview at one moment, for the PRRC to sign (MDR/IVDR Art. 15).

    `content` is a snapshot of the status per paragraph and device, the manufacturer and its
    PRRCs: what the signature covers is exactly what the PDF shows.
    """

    title = models.CharField(_("title"), max_length=200)
    as_of = models.DateTimeField(_("status as of"))
    content = models.JSONField(_("snapshot"), default=dict)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-as_of", "-pk"]
        verbose_name = _("Article 10 compliance statement")
        verbose_name_plural = _("Article 10 compliance statements")

    def __str__(self):
        return f"{self.title} {timezone.localtime(self.as_of):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("compliance:statement", args=[self.pk])
