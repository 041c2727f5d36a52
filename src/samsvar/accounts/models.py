"""People, roles and the manufacturer's organisation (ISO 13485 5.5.1; MDR/IVDR Art. 15)."""

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from samsvar.core.controlled import ControlledModel, VersionedModel
from samsvar.core.permissions import Role
from samsvar.regulatory import prrc as prrc_rules


class UserManager(DjangoUserManager):
    """Accounts made outside the web UI (e.g. `samsvar createsuperuser`) are audited too."""

    def _create_user(self, username, email, password, **extra_fields):
        from samsvar.core.audit import audited, record_event
        from samsvar.core.events import Event

        user = super()._create_user(username, email, password, **extra_fields)
        with audited(actor=None, system_name="samsvar command line"):
            record_event(
                Event.USER_CREATED,
                obj=user,
                changes={"role": [None, user.role], "full_name": [None, user.full_name]},
            )
        return user

    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who works in samsvar, with exactly one role from the permission table."""

    class Language(models.TextChoices):
        BROWSER = "", _("Follow the browser")
        ENGLISH = "en", _("English")
        NORWEGIAN = "nb", _("Norwegian Bokmål")

    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.ENGINEER)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, blank=True, default=""
    )
    failed_login_count = models.PositiveSmallIntegerField(default=0, editable=False)
    login_locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    sign_failed_count = models.PositiveSmallIntegerField(default=0, editable=False)
    sign_locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = UserManager()

    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        ordering = ["full_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.username


class ApiToken(models.Model):
    """An API token; only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"API token of {self.user}"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


class Organisation(VersionedModel):
    """The manufacturer: one per installation (MDR Art. 10, Art. 31 registration, SRN)."""

    name = models.CharField(_("name"), max_length=200)
    organisation_number = models.CharField(_("organisation number"), max_length=40, blank=True)
    address = models.TextField(_("address"))
    country = models.CharField(_("country"), max_length=2, default="NO")
    srn = models.CharField(
        _("single registration number (SRN)"),
        max_length=40,
        blank=True,
        help_text=_("Issued by the competent authority through EUDAMED, e.g. NO-MF-000012345."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)
    is_small_enterprise = models.BooleanField(
        _("micro or small enterprise (Rec. 2003/361/EC)"),
        default=False,
        help_text=_("May have a PRRC permanently at its disposal instead of employing one."),
    )

    class Meta:
        verbose_name = _("organisation")

    def __str__(self):
        return self.name


class Prrc(ControlledModel):
    """A person responsible for regulatory compliance (MDR/IVDR Art. 15) and their evidence."""

    class Route(models.TextChoices):
        DEGREE = prrc_rules.DEGREE, _("Degree plus at least 1 year of RA/QMS experience")
        EXPERIENCE = prrc_rules.EXPERIENCE, _("At least 4 years of RA/QMS experience")
        CUSTOM_MADE = (
            prrc_rules.CUSTOM_MADE,
            _("Custom-made devices: at least 2 years of manufacturing experience (MDR only)"),
        )

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="prrcs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("samsvar user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    full_name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    regimes = models.CharField(
        _("responsible under"),
        max_length=10,
        choices=[("mdr", "MDR"), ("ivdr", "IVDR"), ("both", _("MDR and IVDR"))],
        default="both",
    )
    responsibilities = models.TextField(
        _("responsibilities"),
        blank=True,
        help_text=_("Required in writing when several PRRCs share the role (Art. 15(4))."),
    )
    qualification_route = models.CharField(
        _("qualification route"), max_length=20, choices=Route.choices
    )
    degree = models.CharField(_("degree and institution"), max_length=300, blank=True)
    years_experience = models.DecimalField(
        _("years of RA/QMS experience"), max_digits=4, decimal_places=1
    )
    evidence = models.TextField(
        _("qualification evidence"),
        help_text=_("Diplomas, CV, employment references: where they are and what they show."),
    )
    evidence_file = models.FileField(
        _("evidence file (PDF or image)"), upload_to="prrc/", blank=True
    )
    evidence_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    is_external = models.BooleanField(
        _("at the organisation's disposal, not employed"), default=False
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("PRRC")
        verbose_name_plural = _("PRRCs")

    def __str__(self):
        return self.full_name

    def qualification_problem_messages(self) -> list[str]:
        messages = {
            prrc_rules.NO_DEGREE: _("The degree route needs a degree."),
            prrc_rules.TOO_LITTLE_EXPERIENCE: _("Not enough years of experience for this route."),
            prrc_rules.CUSTOM_MADE_IVDR: _("The custom-made route exists only under the MDR."),
            prrc_rules.UNKNOWN_ROUTE: _("Choose a qualification route."),
        }
        return [str(messages[code]) for code in self.qualification_problems()]

    def qualification_problems(self) -> list[str]:
        return prrc_rules.qualification_problems(
            route=self.qualification_route,
            has_degree=bool(self.degree.strip()),
            years_experience=float(self.years_experience or 0),
            regimes=self.regimes,
        )
