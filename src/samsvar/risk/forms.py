"""Forms of the risk management file screens (ISO 14971:2019 4.4 to 9).

They collect input; the services validate each record and name the field that is wrong. Ranks
are offered from the plan's own scales, and records to link only from the same device, so a
foreign or out-of-range value is refused beside its field before it reaches a service.

The policy editor also runs the pure policy check (`validate_policy`), the same one the service
runs, so that each problem shows beside the level, the table cell or the matrix cell it is
about rather than in one list at the top.
"""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from samsvar.core import permissions as perms
from samsvar.core.forms import ServiceModelForm
from samsvar.regulatory.risk import (
    PRIORITY_ORDER,
    RiskPolicy,
    catalogue,
    combine_by_product,
    policy_from_dict,
    validate_policy,
)
from samsvar.regulatory.risk import policy as rules
from samsvar.risk.models import (
    Answer,
    BenefitRiskAnalysis,
    BenefitRiskConclusion,
    ControlKindChoice,
    ControlMeasure,
    Harm,
    Hazard,
    HazardOrigin,
    HazardousSituation,
    OverallConclusion,
    OverallEvaluation,
    Risk,
    RiskAnalysis,
    RiskPlan,
    VerificationResult,
)
from samsvar.risk.services import PLAN_TEXT_FIELDS

REASON_HELP = _(
    "Kept in the audit trail. Required when the record is signed: the change then creates its "
    "next version."
)
TEXT_LIMIT = 20000


def language() -> str:
    return get_language() or "en"


def reason_field():
    return forms.CharField(
        label=_("Reason for change"), required=False, max_length=500, help_text=REASON_HELP
    )


def text_field(label, *, rows=3, required=False, max_length=TEXT_LIMIT, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def level_label(level) -> str:
    return f"{level.rank}: {level.name(language())}"


def rank_field(levels, label, *, help_text=""):
    """A level of one of the plan's scales; without a plan any whole number, so the service
    can say that the plan comes first."""
    if not levels:
        return forms.IntegerField(label=label, required=False, min_value=1, help_text=help_text)
    return forms.TypedChoiceField(
        label=label,
        choices=[("", "—"), *((level.rank, level_label(level)) for level in levels)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=help_text,
    )


def severity_levels(policy: RiskPolicy | None) -> tuple:
    return policy.severity.ordered() if policy else ()


def probability_levels(policy: RiskPolicy | None) -> tuple:
    return policy.probability.ordered() if policy else ()


class RecordChoiceField(forms.ModelChoiceField):
    """A record of the device, shown with its number (H-001 Title)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return str(obj)


class RecordsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


def risks_field(label):
    """Risks of the device to link (the form's __init__ sets the device's queryset)."""
    return RecordsChoiceField(
        label=label,
        queryset=Risk.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


def device_risks(device):
    return Risk.objects.filter(device=device).select_related("situation", "harm").order_by("number")


def device_controls(device):
    return ControlMeasure.objects.filter(device=device).order_by("number")


# --- Plan (4.4) -------------------------------------------------------------------------------


class PlanForm(ServiceModelForm):
    """The text of the risk management plan; `plan_update` validates and saves it."""

    reason = reason_field()

    class Meta:
        model = RiskPlan
        fields = list(PLAN_TEXT_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in PLAN_TEXT_FIELDS}


BASIS_LABELS = {
    "per_use": _("per use"),
    "per_device_year": _("per device-year"),
    "per_patient": _("per patient"),
    "other": _("other"),
}
LEVEL_TEXTS = ("name_en", "name_nb", "definition_en", "definition_nb")
SIZE_CHOICES = [(n, str(n)) for n in range(rules.MIN_LEVELS, rules.MAX_LEVELS + 1)]


def clamp_size(value, default: int) -> int:
    """A scale size from a form or query string, within 3 to 7; `default` when unreadable."""
    try:
        size = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(size, rules.MIN_LEVELS), rules.MAX_LEVELS)


def parse_probability(text: str) -> float:
    """A probability as people type it: 0.001, 1e-3, 0,001 or 1/1000."""
    text = str(text or "").strip().replace(" ", "").replace(",", ".")
    if "/" in text:
        top, _slash, bottom = text.partition("/")
        value = float(top) / float(bottom)
    else:
        value = float(text)
    if math.isnan(value) or not 0 <= value <= 1:
        raise ValueError(text)
    return value


def show_probability(value) -> str:
    if value in (None, ""):
        return ""
    value = float(value)
    if value in (0.0, 1.0):
        return str(int(value))
    return f"{value:g}"


class PolicyForm(forms.Form):
    """The acceptability policy: both scales (3 to 7 levels, names and definitions in English
    and Norwegian, probability ranges), the P1 x P2 -> P table and the acceptability matrix.

    Field names: s<rank>_<text> for severity levels, p<rank>_<text>, p<rank>_low/_high for
    probability levels, c<p1>_<p2> for the combination table, m<severity>_<p> for the matrix
    (ticked = acceptable). `cleaned_data["policy"]` is the plain policy for `plan_update`.
    """

    severity_levels = forms.TypedChoiceField(
        label=_("Severity levels"), choices=SIZE_CHOICES, coerce=int, widget=forms.HiddenInput
    )
    probability_levels = forms.TypedChoiceField(
        label=_("Probability levels"),
        choices=SIZE_CHOICES,
        coerce=int,
        widget=forms.HiddenInput,
    )
    basis = forms.ChoiceField(label=_("Probabilities are counted"), choices=())
    basis_en = forms.CharField(label=_("Basis (English)"), max_length=200, required=False)
    basis_nb = forms.CharField(label=_("Basis (Norwegian)"), max_length=200, required=False)
    combination_method = forms.ChoiceField(
        label=_("How P1 and P2 combine into P"),
        choices=[
            ("product", _("Derived from the probability ranges (product of the midpoints)")),
            ("table", _("Set cell by cell")),
        ],
        widget=forms.RadioSelect,
    )
    overall_method_en = text_field(
        _("Method and criteria for the overall residual risk (English)"), rows=6
    )
    overall_method_nb = text_field(
        _("Method and criteria for the overall residual risk (Norwegian)"), rows=6
    )
    note_en = text_field(_("Rationale for the policy (English)"), rows=3)
    note_nb = text_field(_("Rationale for the policy (Norwegian)"), rows=3)
    reason = reason_field()

    def __init__(self, *args, policy: RiskPolicy, sizes: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy
        self.sizes = sizes
        self.warnings: list[str] = []
        self.fields["basis"].choices = [(key, BASIS_LABELS[key]) for key in rules.BASES]
        severity, probability = sizes
        for rank in range(1, severity + 1):
            self._level_fields("s", rank, _("Severity level %(rank)s"), probability=False)
        for rank in range(1, probability + 1):
            self._level_fields("p", rank, _("Probability level %(rank)s"), probability=True)
        p_choices = [("", "—"), *((rank, str(rank)) for rank in range(1, probability + 1))]
        for p1 in range(1, probability + 1):
            for p2 in range(1, probability + 1):
                self.fields[f"c{p1}_{p2}"] = forms.TypedChoiceField(
                    label=gettext("P for P1 = %(p1)s and P2 = %(p2)s") % {"p1": p1, "p2": p2},
                    choices=p_choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                )
        for s in range(1, severity + 1):
            for p in range(1, probability + 1):
                self.fields[f"m{s}_{p}"] = forms.BooleanField(
                    label=gettext("Severity %(s)s, P %(p)s acceptable") % {"s": s, "p": p},
                    required=False,
                )
        if not self.is_bound:
            self.initial.update(self.initial_from(policy, sizes))
        self.initial["severity_levels"], self.initial["probability_levels"] = sizes

    def _level_fields(self, prefix: str, rank: int, title, *, probability: bool) -> None:
        where = title % {"rank": rank}
        labels = {
            "name_en": gettext("%(level)s: name (English)"),
            "name_nb": gettext("%(level)s: name (Norwegian)"),
            "definition_en": gettext("%(level)s: definition (English)"),
            "definition_nb": gettext("%(level)s: definition (Norwegian)"),
        }
        for key in LEVEL_TEXTS:
            name = f"{prefix}{rank}_{key}"
            label = labels[key] % {"level": where}
            if key.startswith("name"):
                self.fields[name] = forms.CharField(label=label, max_length=100, required=False)
            else:
                self.fields[name] = text_field(label, rows=3, max_length=2000)
        if probability:
            for key, word in (("low", gettext("from")), ("high", gettext("up to"))):
                self.fields[f"{prefix}{rank}_{key}"] = forms.CharField(
                    label=f"{where}: {word}", max_length=40, required=False
                )

    @staticmethod
    def initial_from(policy: RiskPolicy, sizes: tuple[int, int]) -> dict:
        initial = {
            "severity_levels": sizes[0],
            "probability_levels": sizes[1],
            "basis": policy.probability.basis,
            "basis_en": policy.probability.basis_en,
            "basis_nb": policy.probability.basis_nb,
            "combination_method": policy.combination_method,
            "overall_method_en": policy.overall_method_en,
            "overall_method_nb": policy.overall_method_nb,
            "note_en": policy.note_en,
            "note_nb": policy.note_nb,
        }
        for prefix, scale in (("s", policy.severity), ("p", policy.probability)):
            for level in scale.ordered():
                for key in LEVEL_TEXTS:
                    initial[f"{prefix}{level.rank}_{key}"] = getattr(level, key)
                if prefix == "p":
                    initial[f"p{level.rank}_low"] = show_probability(level.low)
                    initial[f"p{level.rank}_high"] = show_probability(level.high)
        for (p1, p2), p in policy.combination.items():
            if p1 <= sizes[1] and p2 <= sizes[1] and p <= sizes[1]:
                initial[f"c{p1}_{p2}"] = p
        for (s, p), acceptable in policy.matrix.items():
            initial[f"m{s}_{p}"] = bool(acceptable)
        return initial

    # -- What the template lays out ------------------------------------------------------------

    def level_rows(self, prefix: str) -> list[dict]:
        size = self.sizes[0] if prefix == "s" else self.sizes[1]
        rows = []
        for rank in range(1, size + 1):
            row = {"rank": rank}
            for key in (*LEVEL_TEXTS, "low", "high"):
                name = f"{prefix}{rank}_{key}"
                if name in self.fields:
                    row[key] = self[name]
            rows.append(row)
        return rows

    def severity_rows(self):
        return self.level_rows("s")

    def probability_rows(self):
        return self.level_rows("p")

    def combination_rows(self) -> list[dict]:
        ranks = range(1, self.sizes[1] + 1)
        return [{"p1": p1, "cells": [self[f"c{p1}_{p2}"] for p2 in ranks]} for p1 in ranks]

    def matrix_rows(self) -> list[dict]:
        """Most severe first, least probable on the left, as the matrix is read."""
        ranks = range(1, self.sizes[1] + 1)
        return [
            {"severity": s, "cells": [{"p": p, "field": self[f"m{s}_{p}"]} for p in ranks]}
            for s in range(self.sizes[0], 0, -1)
        ]

    def probability_ranks(self):
        return range(1, self.sizes[1] + 1)

    # -- Reading it back ------------------------------------------------------------------------

    def clean(self):
        data = super().clean()
        severity, probability = self.sizes
        if data.get("severity_levels") not in (None, severity) or data.get(
            "probability_levels"
        ) not in (None, probability):
            raise forms.ValidationError(_("The number of levels changed; check the form again."))
        text = {name: str(data.get(name) or "").strip() for name in self.fields}
        levels_s = [self._level(text, "s", rank) for rank in range(1, severity + 1)]
        levels_p = []
        for rank in range(1, probability + 1):
            level = self._level(text, "p", rank)
            for key in ("low", "high"):
                name = f"p{rank}_{key}"
                try:
                    level[key] = parse_probability(text[name])
                except (ValueError, ZeroDivisionError):
                    self.add_error(name, _("Enter a probability from 0 to 1, e.g. 0.0001 or 1e-4."))
                    level[key] = 0.0
            levels_p.append(level)
        plain = {
            "severity": {"levels": levels_s},
            "probability": {
                "basis": text["basis"],
                "basis_en": text["basis_en"],
                "basis_nb": text["basis_nb"],
                "levels": levels_p,
            },
            "combination_method": text["combination_method"] or "table",
            "combination": [],
            "matrix": [
                {"severity": s, "p": p, "acceptable": bool(data.get(f"m{s}_{p}"))}
                for s in range(1, severity + 1)
                for p in range(1, probability + 1)
            ],
            "overall_method_en": text["overall_method_en"],
            "overall_method_nb": text["overall_method_nb"],
            "note_en": text["note_en"],
            "note_nb": text["note_nb"],
        }
        if self.errors:
            return data
        for p1 in range(1, probability + 1):
            for p2 in range(1, probability + 1):
                value = data.get(f"c{p1}_{p2}")
                if value is not None:
                    plain["combination"].append({"p1": p1, "p2": p2, "p": value})
        if plain["combination_method"] == "product":
            self._derive_combination(plain)
        try:
            policy = policy_from_dict(plain)
        except (ValueError, TypeError) as error:
            raise forms.ValidationError(
                _("The policy is malformed: %(error)s") % {"error": error}
            ) from None
        for problem in validate_policy(policy):
            if problem.is_error:
                self.add_error(self.field_for(problem), problem.message(language()))
            else:
                self.warnings.append(problem.message(language()))
        data["policy"] = plain
        data["policy_warnings"] = list(self.warnings)
        return data

    @staticmethod
    def _level(text: dict, prefix: str, rank: int) -> dict:
        return {"rank": rank, **{key: text[f"{prefix}{rank}_{key}"] for key in LEVEL_TEXTS}}

    def _derive_combination(self, plain: dict) -> None:
        """With the "product" method the table follows the ranges; the scale must be sound."""
        scale = policy_from_dict({**plain, "combination_method": "table"}).probability
        problems = rules.errors(rules.scale_problems(scale))
        if problems:
            for problem in problems:
                self.add_error(self.field_for(problem), problem.message(language()))
            return
        plain["combination"] = [
            {"p1": p1, "p2": p2, "p": p}
            for (p1, p2), p in sorted(combine_by_product(scale).items())
        ]

    def field_for(self, problem) -> str | None:
        """The form field a policy problem shows beside (None: above the form)."""
        ref = problem.ref
        if problem.subject in (rules.SEVERITY, rules.PROBABILITY):
            prefix = "s" if problem.subject == rules.SEVERITY else "p"
            if problem.code == rules.BASIS_MISSING:
                return "basis_en"
            if not ref:
                return None
            rank = ref[-1] if problem.code == rules.DUPLICATE_NAME else ref[0]
            key = {
                rules.MISSING_DEFINITION: "definition_en",
                rules.RANGE_START: "low",
                rules.RANGE_INVALID: "low",
                rules.RANGE_END: "high",
                rules.RANGE_OVERLAP: "high",
                rules.RANGE_GAP: "high",
            }.get(problem.code, "name_en")
            name = f"{prefix}{rank}_{key}"
        elif problem.subject == rules.COMBINATION and len(ref) == 2:
            name = f"c{ref[0]}_{ref[1]}"
        elif problem.subject == rules.MATRIX and len(ref) == 2:
            name = f"m{ref[0]}_{ref[1]}"
        elif problem.subject == rules.OVERALL_METHOD:
            name = "overall_method_en"
        else:
            return None
        return name if name in self.fields else None


# --- Analysis (5) -----------------------------------------------------------------------------


class AnalysisForm(ServiceModelForm):
    """Intended use and reasonably foreseeable misuse (5.2)."""

    reason = reason_field()

    class Meta:
        model = RiskAnalysis
        fields = ["intended_use", "foreseeable_misuse"]
        widgets = {
            "intended_use": forms.Textarea(attrs={"rows": 6}),
            "foreseeable_misuse": forms.Textarea(attrs={"rows": 6}),
        }


def topic_prefix(key: str) -> str:
    return "t-" + key.replace(".", "-").replace("_", "-")


class SafetyAnswerForm(forms.Form):
    """One question of the safety-characteristics questionnaire (5.3)."""

    answer = forms.ChoiceField(
        label=_("Answer"), choices=[("", "—"), *Answer.choices], required=False
    )
    notes = text_field(_("Notes"), rows=2)
    hazards = RecordsChoiceField(
        label=_("Hazards it raised"),
        queryset=Hazard.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    reason = reason_field()

    def __init__(self, *args, device, item=None, frozen=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hazards"].queryset = Hazard.objects.filter(device=device).order_by("number")
        if not frozen:
            del self.fields["reason"]
        if item is not None and not self.is_bound:
            self.initial.update(
                answer=item.answer,
                notes=item.notes,
                hazards=[hazard.pk for hazard in item.hazards.all()],
            )


def hazard_category_choices() -> list:
    lang = language()
    choices: list = [("", gettext("— none —"))]
    for group in catalogue.hazard_categories():
        options = [(group.key, gettext("%(group)s (general)") % {"group": group.title(lang)})]
        options += [(sub.key, sub.title(lang)) for sub in group.subcategories]
        choices.append((group.title(lang), options))
    return choices


class HazardForm(ServiceModelForm):
    """A hazard from the catalogue of hazard categories or the manufacturer's own (5.4)."""

    category_key = forms.ChoiceField(label=_("Hazard category"), required=False)
    introduced_by = RecordChoiceField(
        label=_("Introduced by control measure"),
        queryset=ControlMeasure.objects.none(),
        required=False,
        help_text=_("Only for a hazard that a risk control measure brings in (7.5)."),
    )
    reason = reason_field()

    class Meta:
        model = Hazard
        fields = ["origin", "category_key", "title", "description", "introduced_by"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category_key"].choices = hazard_category_choices()
        self.fields["origin"].choices = HazardOrigin.choices
        self.fields["introduced_by"].queryset = device_controls(device)
        if self.instance.pk is None:
            del self.fields["reason"]


class SituationForm(ServiceModelForm):
    """A hazardous situation and the sequence of events leading to it (5.4)."""

    hazard = RecordChoiceField(label=_("Hazard"), queryset=Hazard.objects.none())
    introduced_by = RecordChoiceField(
        label=_("Introduced by control measure"),
        queryset=ControlMeasure.objects.none(),
        required=False,
        help_text=_("Only for a situation that a risk control measure brings in (7.5)."),
    )
    reason = reason_field()

    class Meta:
        model = HazardousSituation
        fields = ["hazard", "sequence_of_events", "description", "introduced_by"]
        widgets = {
            "sequence_of_events": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "sequence_of_events": _("The foreseeable events, one per line, that lead to it."),
        }

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hazard"].queryset = Hazard.objects.filter(device=device).order_by("number")
        self.fields["introduced_by"].queryset = device_controls(device)
        if self.instance.pk is None:
            del self.fields["hazard"]
            del self.fields["reason"]


class HarmForm(ServiceModelForm):
    """A harm with its severity on the plan's severity scale (5.5)."""

    reason = reason_field()

    class Meta:
        model = Harm
        fields = ["name", "description", "severity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, policy: RiskPolicy | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["severity"] = rank_field(severity_levels(policy), _("Severity"))
        if self.instance.pk is None:
            del self.fields["reason"]


class HarmChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", "—")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        if obj.severity is None:
            return f"{obj.name} ({gettext('no severity yet')})"
        return f"{obj.name} (S{obj.severity})"


class RiskCreateForm(forms.Form):
    """A harm the hazardous situation can lead to, with P1 and P2 (5.5)."""

    harm = HarmChoiceField(label=_("Harm"), queryset=Harm.objects.none())

    def __init__(self, *args, device, situation, policy: RiskPolicy | None, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Risk.objects.filter(situation=situation).values("harm_id")
        self.fields["harm"].queryset = (
            Harm.objects.filter(device=device).exclude(pk__in=taken).order_by("-severity", "name")
        )
        levels = probability_levels(policy)
        self.fields["p1"] = rank_field(
            levels, _("P1"), help_text=_("Probability that the hazardous situation occurs.")
        )
        self.fields["p2"] = rank_field(
            levels,
            _("P2"),
            help_text=_("Probability that the hazardous situation leads to the harm."),
        )


class RiskForm(ServiceModelForm):
    """Estimate before and after control, evaluation and disclosure of one risk (5.5 to 8)."""

    reason = reason_field()

    class Meta:
        model = Risk
        fields = [
            "p1",
            "p2",
            "afap_justification",
            "residual_p1",
            "residual_p2",
            "residual_severity",
            "control_option_rationale",
            "disclose",
            "disclosure_text",
        ]
        widgets = {
            "afap_justification": forms.Textarea(attrs={"rows": 3}),
            "control_option_rationale": forms.Textarea(attrs={"rows": 3}),
            "disclosure_text": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, policy: RiskPolicy | None, **kwargs):
        super().__init__(*args, **kwargs)
        levels = probability_levels(policy)
        self.fields["p1"] = rank_field(
            levels, _("P1"), help_text=_("Probability that the hazardous situation occurs.")
        )
        self.fields["p2"] = rank_field(
            levels,
            _("P2"),
            help_text=_("Probability that the hazardous situation leads to the harm."),
        )
        self.fields["residual_p1"] = rank_field(levels, _("Residual P1"))
        self.fields["residual_p2"] = rank_field(levels, _("Residual P2"))
        severity = self.instance.harm.severity if self.instance.pk else None
        scale = [lv for lv in severity_levels(policy) if severity is None or lv.rank <= severity]
        self.fields["residual_severity"] = rank_field(
            scale,
            _("Residual severity"),
            help_text=_(
                "Only when a control measure lowers the severity; else the harm's severity."
            ),
        )


# --- Control (7) ------------------------------------------------------------------------------

KIND_HELP = {
    ControlKindChoice.INHERENT_SAFETY: _(
        "Remove the hazard or lower the risk by the design and manufacture itself."
    ),
    ControlKindChoice.PROTECTIVE: _(
        "Protective measures in the device itself or in the manufacturing process (alarms, "
        "interlocks, guards, tests)."
    ),
    ControlKindChoice.INFORMATION: _(
        "Information for safety in the label or instructions for use, and training. Give the "
        "wording it relies on."
    ),
}


def kind_choices() -> list:
    """The three kinds in priority order, each explained."""
    labels = dict(ControlKindChoice.choices)
    return [
        (
            kind.value,
            gettext("Priority %(n)s: %(kind)s. %(help)s")
            % {"n": index, "kind": labels[kind.value], "help": KIND_HELP[kind.value]},
        )
        for index, kind in enumerate(PRIORITY_ORDER, start=1)
    ]


class ControlForm(ServiceModelForm):
    """A risk control measure of one of the three kinds, for one or more risks (7.1)."""

    risks = risks_field(_("Risks it controls"))
    reason = reason_field()

    class Meta:
        model = ControlMeasure
        fields = [
            "kind",
            "description",
            "implementation",
            "safety_information_text",
            "risks",
            "new_risks_reviewed",
            "new_risks_notes",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "implementation": forms.Textarea(attrs={"rows": 3}),
            "safety_information_text": forms.Textarea(attrs={"rows": 3}),
            "new_risks_notes": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "implementation": _("How and where the measure is implemented (design output, "
                                "process step, document)."),
        }  # fmt: skip

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label=_("Kind (in priority order)"),
            choices=kind_choices(),
            widget=forms.RadioSelect,
            help_text=_(
                "Use a higher-priority kind where practicable. A risk controlled by a lower "
                "kind alone needs, on the risk, a rationale why the higher kinds are not "
                "practicable."
            ),
        )
        self.fields["risks"].queryset = device_risks(device)
        if self.instance.pk is not None and not self.is_bound:
            self.initial["risks"] = [risk.pk for risk in self.instance.risks.all()]
        if self.instance.pk is None:
            del self.fields["reason"]


class VerifyForm(forms.Form):
    """Verification of a control's implementation or of its effectiveness (7.2)."""

    aspect = forms.ChoiceField(
        label=_("What was verified"),
        choices=[
            ("implementation", _("Implementation")),
            ("effectiveness", _("Effectiveness")),
        ],
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        max_length=300,
        required=False,
        help_text=_("The record that shows it, e.g. a test report and its revision."),
    )
    result = forms.ChoiceField(
        label=_("Result"), choices=[("", "—"), *VerificationResult.choices], required=False
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    verified_by = forms.ModelChoiceField(
        label=_("Verified by"), queryset=get_user_model().objects.none(), required=False
    )
    reason = reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        readers = perms.PERMISSIONS[perms.RECORD_VIEW]
        self.fields["verified_by"].queryset = (
            get_user_model().objects.filter(is_active=True, role__in=readers).order_by("full_name")
        )
        self.fields["verified_by"].label_from_instance = lambda u: u.full_name or u.username


# --- Benefit-risk, overall residual risk, review (7.4, 8, 9) ----------------------------------


class BenefitRiskForm(ServiceModelForm):
    """A benefit-risk analysis of residual risks that are not acceptable (7.4)."""

    risks = risks_field(_("Risks it covers"))
    reason = reason_field()

    class Meta:
        model = BenefitRiskAnalysis
        fields = ["title", "risks", "benefits", "analysis", "conclusion"]
        widgets = {
            "benefits": forms.Textarea(attrs={"rows": 4}),
            "analysis": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["risks"].queryset = device_risks(device)
        self.fields["conclusion"] = forms.ChoiceField(
            label=_("Conclusion"),
            choices=[("", "—"), *BenefitRiskConclusion.choices],
            required=False,
        )
        if self.instance.pk is not None and not self.is_bound:
            self.initial["risks"] = [risk.pk for risk in self.instance.risks.all()]
        if self.instance.pk is None:
            del self.fields["reason"]


class OverallForm(ServiceModelForm):
    """The evaluation of the overall residual risk (8)."""

    reason = reason_field()

    class Meta:
        model = OverallEvaluation
        fields = ["method", "analysis", "conclusion"]
        widgets = {
            "method": forms.Textarea(attrs={"rows": 4}),
            "analysis": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conclusion"] = forms.ChoiceField(
            label=_("Conclusion"),
            choices=[("", "—"), *OverallConclusion.choices],
            required=False,
        )


class ReviewForm(forms.Form):
    """The conclusions of the risk management review (9)."""

    conclusions = text_field(
        _("Conclusions of the review"),
        rows=6,
        help_text=_(
            "That the plan has been carried out, that the overall residual risk is acceptable "
            "and that methods are in place to collect and review production and "
            "post-production information."
        ),
    )


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(label=_("Yes, delete this record"), required=True)
    reason = reason_field()
