"""Pages of a device's risk management file (ISO 14971:2019): the overview with the live
completeness check, the plan and its acceptability policy (4.4), the analysis (5), evaluation
and control (6, 7), benefit-risk (7.4), the overall residual risk (8) and the risk management
review (9).

Every page reads through the risk selectors and writes through one service; P and the risk
level are always computed from the plan's policy and shown, never typed in.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import (
    Protected,
    RecordSignView,
    ServiceFormView,
    SignatureRequestCreateView,
    paginate,
)
from samsvar.devices.selectors import access_device_by_id
from samsvar.regulatory.risk import ControlKind, RiskPolicy, catalogue, estimate, validate_policy
from samsvar.regulatory.risk import gap as gap_kinds
from samsvar.risk import selectors, services
from samsvar.risk.forms import (
    KIND_HELP,
    AnalysisForm,
    BenefitRiskForm,
    ControlForm,
    DeleteForm,
    HarmForm,
    HazardForm,
    OverallForm,
    PlanForm,
    PolicyForm,
    ReviewForm,
    RiskCreateForm,
    RiskForm,
    SafetyAnswerForm,
    SituationForm,
    VerifyForm,
    clamp_size,
    level_label,
    show_probability,
    topic_prefix,
)
from samsvar.risk.models import ControlKindChoice

GAP_LIMIT = 200


def language() -> str:
    return get_language() or "en"


def is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


def safe_next(request, fallback: str) -> str:
    """The `next` page a form came from, when it is on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def query_int(request, name: str) -> int | None:
    value = str(request.GET.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


# --- Levels as people read them ---------------------------------------------------------------


def level_name(levels, rank) -> str:
    """ "3: Serious" for a rank of one of the plan's scales; the bare rank when it is off it."""
    if rank is None:
        return ""
    for level in levels:
        if level.rank == rank:
            return level_label(level)
    return str(rank)


def estimate_row(policy: RiskPolicy | None, severity, p1, p2) -> dict | None:
    """An estimate (5.5) and its evaluation (6) for display, computed from the policy."""
    if policy is None or None in (severity, p1, p2):
        return None
    try:
        result = estimate(policy, severity, p1, p2)
    except ValueError:
        return None
    probability = policy.probability.ordered()
    return {
        "severity": level_name(policy.severity.ordered(), result.severity),
        "p1": level_name(probability, result.p1),
        "p2": level_name(probability, result.p2),
        "p": level_name(probability, result.p),
        "acceptable": result.acceptable,
    }


def risk_estimates(risk, policy) -> dict:
    residual_severity = risk.residual_severity or risk.severity
    return {
        "initial": estimate_row(policy, risk.severity, risk.p1, risk.p2),
        "residual": estimate_row(policy, residual_severity, risk.residual_p1, risk.residual_p2),
    }


def policy_tables(policy: RiskPolicy | None) -> dict | None:
    """The policy laid out for reading: scales, P1 x P2 table and matrix (most severe on top)."""
    if policy is None:
        return None
    lang = language()
    levels = policy.probability.ordered()
    top = levels[-1].rank if levels else None
    probability = [
        {
            "rank": level.rank,
            "name": level.name(lang),
            "definition": level.definition(lang),
            "range": f"[{show_probability(level.low)}, {show_probability(level.high)}"
            + ("]" if level.rank == top else ")"),
        }
        for level in levels
    ]
    ranks = [level.rank for level in levels]
    return {
        "severity": [
            {"rank": lv.rank, "name": lv.name(lang), "definition": lv.definition(lang)}
            for lv in policy.severity.ordered()
        ],
        "probability": probability,
        "basis": policy.probability.basis_text(lang),
        "method": policy.combination_method,
        "ranks": ranks,
        "combination": [
            {"p1": p1, "cells": [policy.combination.get((p1, p2)) for p2 in ranks]} for p1 in ranks
        ],
        "matrix": [
            {
                "rank": lv.rank,
                "name": lv.name(lang),
                "cells": [policy.matrix.get((lv.rank, p)) for p in ranks],
            }
            for lv in reversed(policy.severity.ordered())
        ],
        "overall_method": policy.overall_method(lang),
        "note": policy.note_nb if lang.startswith("nb") and policy.note_nb else policy.note_en,
    }


# --- The completeness check (the gap list) ----------------------------------------------------

GAP_PAGES = {
    gap_kinds.PLAN: "risk:plan",
    gap_kinds.OVERALL: "risk:overall",
    gap_kinds.HAZARD: "risk:hazard",
    gap_kinds.SITUATION: "risk:situation",
    gap_kinds.RISK: "risk:risk",
    gap_kinds.CONTROL: "risk:control",
}


def gap_url(gap, device) -> str:
    """The page where the gap is fixed: the record it names, else the device's plan/overall."""
    name = GAP_PAGES.get(gap.ref.kind)
    if name is None:
        return reverse("risk:file", args=[device.pk])
    if gap.ref.kind in (gap_kinds.PLAN, gap_kinds.OVERALL):
        return reverse(name, args=[device.pk])
    return reverse(name, args=[gap.ref.id])


def gap_rows(gaps, device, limit: int | None = None) -> list[dict]:
    lang = language()
    limit = GAP_LIMIT if limit is None else limit
    return [
        {
            "code": gap.code,
            "clause": gap.clause,
            "message": gap.message(lang),
            "url": gap_url(gap, device),
        }
        for gap in gaps[:limit]
    ]


def gaps_about(device, kind: str, pk) -> list[dict]:
    """The gaps the completeness check names for one record."""
    gaps = [g for g in selectors.risk_file_gaps(device) if g.ref.kind == kind and g.ref.id == pk]
    return gap_rows(gaps, device)


# --- Shared page parts ------------------------------------------------------------------------


class DeviceMixin:
    """Pages about one device's file: /risk/devices/<pk>/..."""

    section = ""

    def prepare(self, request, *args, **kwargs):
        self.device = access_device_by_id(user=request.user, device_id=kwargs["pk"])
        self.policy = selectors.plan_policy(self.device)
        super().prepare(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            device=self.device,
            policy=self.policy,
            section=self.section,
            can_edit=perms.has_perm(self.request.user, perms.RISK_CHANGE),
        )
        return context


class RecordMixin(DeviceMixin):
    """Pages about one record of a file, found by its own id through a selector."""

    access = None
    id_name = ""
    context_name = ""

    def prepare(self, request, *args, **kwargs):
        self.object = self.fresh()
        self.device = self.object.device
        self.policy = selectors.plan_policy(self.device)
        super(DeviceMixin, self).prepare(request, *args, **kwargs)

    def fresh(self):
        """The stored record, read again (a refused change leaves nothing behind in memory)."""
        return type(self).access(user=self.request.user, **{self.id_name: self.kwargs["pk"]})

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.context_name] = self.object
        context["record"] = self.object
        return context


def history(request, record, limit: int = 50):
    return core_selectors.record_history(user=request.user, obj=record)[:limit]


def signing(record) -> dict:
    return {
        "signatures": list(core_selectors.current_signatures(obj=record)),
        "versions": core_selectors.record_versions(obj=record),
        "approved": bool(record) and selectors.is_approved(record),
    }


class FormPage:
    """A form on its own page (risk/record_form.html)."""

    template_name = "risk/record_form.html"
    heading = ""
    submit_label = _lazy("Save")

    def get_heading(self) -> str:
        return str(self.heading)

    def cancel_url(self) -> str:
        return reverse("risk:file", args=[self.device.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.get_heading(),
            cancel_url=self.cancel_url(),
            submit_label=self.submit_label,
        )
        return context


class DeletePage(FormPage):
    """Delete one record after an explicit confirmation; the service refuses while others
    depend on it and says which."""

    permission = perms.RISK_CHANGE
    template_name = "risk/delete.html"
    form_class = DeleteForm
    submit_label = _lazy("Delete")
    list_url = "risk:file"

    def get_heading(self):
        return _("Delete %(record)s") % {"record": self.object}

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        label = str(self.object)
        self.remove(self.fresh(), data["reason"])
        self.deleted = label
        return self.device

    def success_message_for(self, result):
        return _("%(record)s was deleted.") % {"record": self.deleted}

    def success_url_for(self, result):
        return reverse(self.list_url, args=[self.device.pk])


# --- Overview (the file and its gaps) ---------------------------------------------------------


def file_counts(device, user) -> dict:
    risks = selectors.register(device, user=user).order_by()
    counts = risks.aggregate(
        risks=Count("pk"),
        estimated=Count("pk", filter=Q(p__isnull=False)),
        not_acceptable=Count("pk", filter=Q(initial_acceptable=False)),
        residual_not_acceptable=Count("pk", filter=Q(final_acceptable=False)),
        flagged=Count("pk", filter=Q(review_flag=True)),
    )
    controls = selectors.controls(device, user=user).order_by()
    counts.update(
        hazards=selectors.hazards(device, user=user).order_by().count(),
        situations=selectors.situations(device, user=user).count(),
        harms=selectors.harms(device, user=user).order_by().count(),
        controls=controls.count(),
        verified=controls.filter(implementation_result="pass", effectiveness_result="pass").count(),
        benefit_risk=selectors.benefit_risk_analyses(device, user=user).count(),
        answered=selectors.safety_characteristics(device, user=user).exclude(answer="").count(),
        topics=len(catalogue.all_safety_topics()),
    )
    return counts


class FileView(DeviceMixin, Protected, TemplateView):
    """The risk management file of a device: where it stands, and every gap still open."""

    permission = perms.RECORD_VIEW
    template_name = "risk/file.html"
    section = "file"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, device = self.request.user, self.device
        plan = selectors.plan_for(device)
        overall = selectors.overall_evaluation_for(device)
        gaps = selectors.risk_file_gaps(device)
        context.update(
            plan=plan,
            plan_approved=selectors.plan_approved(device),
            analysis=selectors.risk_analysis_for(device),
            overall=overall,
            overall_approved=selectors.is_approved(overall),
            matrix_before=selectors.matrix(device, user=user),
            matrix_after=selectors.matrix(device, residual=True, user=user),
            counts=file_counts(device, user),
            gaps=gap_rows(gaps, device),
            gap_count=len(gaps),
            reviews=list(selectors.reviews(device, user=user)[:5]),
            review_form=ReviewForm(),
        )
        return context


# --- Plan (4.4) -------------------------------------------------------------------------------


class PlanMixin(DeviceMixin):
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.plan = self.get_record()

    def get_record(self):
        plan = selectors.plan_for(self.device)
        if plan is None:
            raise Http404("No plan yet")
        return plan


class PlanView(DeviceMixin, Protected, TemplateView):
    """The plan, its policy as tables, its signatures and the risks whose level the last
    policy change moved."""

    permission = perms.RECORD_VIEW
    template_name = "risk/plan.html"
    section = "plan"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = selectors.plan_for(self.device)
        context["plan"] = plan
        if plan is None:
            return context
        changes = list(selectors.level_changes(plan))
        probability = self.policy.probability.ordered() if self.policy else ()
        for change in changes:
            change.before_label = level_name(probability, change.before_p)
            change.after_label = level_name(probability, change.after_p)
        context.update(
            signing(plan),
            tables=policy_tables(self.policy),
            warnings=[
                p.message(language()) for p in validate_policy(self.policy) if not p.is_error
            ],
            level_changes=changes,
            changes_version=changes[0].plan_version if changes else None,
            events=history(self.request, plan),
        )
        return context


class PlanAdoptView(DeviceMixin, Protected, View):
    """Start the plan from the ready 5 x 5 policy."""

    permission = perms.RISK_CHANGE

    def post(self, request, pk):
        try:
            services.plan_adopt_default(actor=request.user, device=self.device)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _(
                    "The ready 5 x 5 policy was adopted. Edit the plan and its policy, "
                    "then sign it."
                ),
            )
        return redirect("risk:plan", self.device.pk)


class PlanEditView(FormPage, PlanMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    section = "plan"
    heading = _lazy("Edit the risk management plan")

    def get_form(self, form_class=None):
        return PlanForm(instance=self.plan, **self.get_form_kwargs())

    def cancel_url(self):
        return reverse("risk:plan", args=[self.device.pk])

    def perform(self, data):
        plan = selectors.plan_for(self.device)
        return services.plan_update(actor=self.request.user, plan=plan, **data)

    def success_message_for(self, result):
        return _("The plan was saved (version %(version)s).") % {"version": result.version}


class PlanPolicyView(PlanMixin, Protected, ServiceFormView):
    """The acceptability policy: scales, P1 x P2 table and matrix, each problem beside its
    cell. The number of levels of each scale is chosen first (the page reloads with it)."""

    permission = perms.RISK_CHANGE
    template_name = "risk/policy_form.html"
    section = "plan"

    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        source = request.POST if request.method == "POST" else request.GET
        self.sizes = (
            clamp_size(source.get("severity_levels"), self.policy.severity.size),
            clamp_size(source.get("probability_levels"), self.policy.probability.size),
        )

    def get_form(self, form_class=None):
        return PolicyForm(policy=self.policy, sizes=self.sizes, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        if form.is_bound:
            context["warnings"] = form.warnings
        else:
            context["warnings"] = [
                p.message(language()) for p in validate_policy(self.policy) if not p.is_error
            ]
        context["plan"] = self.plan
        context["frozen"] = self.plan.current_version_frozen()
        context["size_choices"] = range(3, 8)
        return context

    def perform(self, data):
        plan = selectors.plan_for(self.device)
        before = set(selectors.level_changes(plan, plan.version).values_list("pk", flat=True))
        plan = services.plan_update(
            actor=self.request.user, plan=plan, policy=data["policy"], reason=data["reason"]
        )
        added = selectors.level_changes(plan, plan.version).exclude(pk__in=before)
        self.changed = len(set(added.values_list("risk_id", flat=True)))
        for warning in data.get("policy_warnings", []):
            messages.warning(self.request, warning)
        return plan

    def success_message_for(self, result):
        return _("The policy was saved (plan version %(version)s). Risks that changed level: "
                 "%(n)s.") % {"version": result.version, "n": self.changed}  # fmt: skip

    def success_url_for(self, result):
        return reverse("risk:plan", args=[self.device.pk]) + "#level-changes"


class PlanSignView(PlanMixin, RecordSignView):
    pass


class PlanSignatureRequestView(PlanMixin, SignatureRequestCreateView):
    pass


# --- Analysis (5.2, 5.3) ----------------------------------------------------------------------


class AnalysisMixin(DeviceMixin):
    def get_record(self):
        analysis = selectors.risk_analysis_for(self.device)
        if analysis is None:
            raise Http404("No analysis yet")
        return analysis


class AnalysisView(DeviceMixin, Protected, TemplateView):
    """Intended use and reasonably foreseeable misuse beside the device's intended purpose."""

    permission = perms.RECORD_VIEW
    template_name = "risk/analysis.html"
    section = "analysis"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        analysis = selectors.risk_analysis_for(self.device)
        context["analysis"] = analysis
        context["counts"] = file_counts(self.device, self.request.user)
        if analysis is not None:
            context.update(signing(analysis), events=history(self.request, analysis, 20))
        return context


class AnalysisEditView(FormPage, DeviceMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/analysis_form.html"
    section = "analysis"
    heading = _lazy("Intended use and reasonably foreseeable misuse")

    def get_form(self, form_class=None):
        analysis = selectors.risk_analysis_for(self.device)
        kwargs = self.get_form_kwargs()
        if analysis is not None:
            kwargs["instance"] = analysis
        else:
            kwargs["initial"] = {"intended_use": self.device.intended_purpose}
        return AnalysisForm(**kwargs)

    def cancel_url(self):
        return reverse("risk:analysis", args=[self.device.pk])

    def perform(self, data):
        return services.risk_analysis_save(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("The analysis was saved.")


class AnalysisSignView(AnalysisMixin, RecordSignView):
    pass


def safety_row(topic, item, *, form=None, saved=False) -> dict:
    lang = language()
    categories = []
    for key in topic.hazard_categories:
        try:
            categories.append({"key": key, "title": catalogue.hazard_category(key).title(lang)})
        except KeyError:
            continue
    return {
        "key": topic.key,
        "anchor": topic_prefix(topic.key),
        "number": ".".join(str(n) for n in topic.position),
        "title": topic.title(lang),
        "question": topic.question(lang),
        "sub": bool(topic.parent),
        "item": item,
        "form": form,
        "categories": categories,
        "saved": saved,
    }


class SafetyView(DeviceMixin, Protected, TemplateView):
    """The questionnaire on characteristics related to safety (5.3; ISO/TR 24971 Annex A),
    every question on one page; each row saves on its own."""

    permission = perms.RECORD_VIEW
    template_name = "risk/safety.html"
    section = "safety"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        items = {i.topic_key: i for i in selectors.safety_characteristics(self.device, user=user)}
        signed = core_selectors.current_signatures_by_pk(items.values())
        can_edit = context["can_edit"]
        choices = [(h.pk, str(h)) for h in selectors.hazards(self.device, user=user)]
        rows = []
        for topic in catalogue.all_safety_topics():
            item = items.get(topic.key)
            form = None
            if can_edit:
                form = SafetyAnswerForm(
                    prefix=topic_prefix(topic.key),
                    device=self.device,
                    item=item,
                    frozen=bool(item and signed.get(str(item.pk))),
                )
                form.fields["hazards"].widget.choices = choices
            rows.append(safety_row(topic, item, form=form))
        context["rows"] = rows
        context["answered"] = sum(1 for item in items.values() if item.answer)
        return context


class SafetyTopicView(DeviceMixin, Protected, ServiceFormView):
    """Save one answer of the questionnaire: inline through htmx, or as a page without it.
    The topic comes as `?topic=<key>` (keys carry dots)."""

    permission = perms.RISK_CHANGE
    template_name = "risk/safety_topic.html"
    section = "safety"

    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        key = request.GET.get("topic") or ""
        try:
            self.topic = catalogue.safety_topic(key)
        except KeyError:
            raise Http404("No such topic") from None
        self.prefix = topic_prefix(self.topic.key)
        self.item = self.stored()

    def stored(self):
        items = selectors.safety_characteristics(self.device, user=self.request.user)
        return items.filter(topic_key=self.topic.key).first()

    def get_template_names(self):
        return ["risk/_safety_row.html"] if is_htmx(self.request) else [self.template_name]

    def get_form(self, form_class=None):
        return SafetyAnswerForm(
            device=self.device,
            item=self.item,
            frozen=bool(self.item and self.item.current_version_frozen()),
            **self.get_form_kwargs(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["row"] = safety_row(self.topic, self.item, form=context["form"])
        return context

    def perform(self, data):
        return services.safety_characteristic_save(
            actor=self.request.user,
            device=self.device,
            topic_key=self.topic.key,
            answer=data["answer"],
            notes=data["notes"],
            hazards=list(data["hazards"]),
            reason=data.get("reason", ""),
        )

    def form_valid(self, form):
        response = super().form_valid(form)
        if is_htmx(self.request) and response.status_code == 302:
            item = self.stored()
            fresh = SafetyAnswerForm(
                prefix=topic_prefix(self.topic.key),
                device=self.device,
                item=item,
                frozen=item.current_version_frozen(),
            )
            return self.response_class(
                request=self.request,
                template=["risk/_safety_row.html"],
                context={
                    "row": safety_row(self.topic, item, form=fresh, saved=True),
                    "device": self.device,
                    "can_edit": True,
                },
            )
        return response

    def success_message_for(self, result):
        return "" if is_htmx(self.request) else _("The answer was saved.")

    def success_url_for(self, result):
        return reverse("risk:safety", args=[self.device.pk]) + "#" + topic_prefix(self.topic.key)


# --- Hazards and hazardous situations (5.4) ---------------------------------------------------


def category_title(key: str) -> str:
    return catalogue.category_title(key, get_language() or "en")


class HazardListView(DeviceMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/hazard_list.html"
    section = "hazards"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(self.request, selectors.hazards(self.device, user=self.request.user))
        for hazard in page:
            hazard.category_title = category_title(hazard.category_key)
        context["page"] = page
        context["categories"] = [
            {"key": g.key, "title": g.title(language()), "description": g.description(language())}
            for g in catalogue.hazard_categories()
        ]
        return context


class HazardMixin(RecordMixin):
    access = staticmethod(selectors.access_hazard_by_id)
    id_name = "hazard_id"
    context_name = "hazard"
    section = "hazards"


class HazardCreateView(FormPage, DeviceMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    section = "hazards"
    heading = _lazy("Add a hazard")

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        if self.request.method == "GET":
            category = self.request.GET.get("category") or ""
            initial = {"origin": "catalogue", "category_key": category}
            control = query_int(self.request, "introduced_by")
            if control is not None:
                initial["introduced_by"] = control
            kwargs["initial"] = initial
        return HazardForm(device=self.device, **kwargs)

    def cancel_url(self):
        return reverse("risk:file_hazards", args=[self.device.pk])

    def perform(self, data):
        return services.hazard_create(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("%(hazard)s was added.") % {"hazard": result}


class HazardView(HazardMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/hazard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        hazard = self.object
        situations = (
            selectors.situations(self.device, user=self.request.user)
            .filter(hazard=hazard)
            .annotate(risk_count=Count("risks"))
        )
        lang = language()
        topics = []
        for item in hazard.safety_characteristics.all():
            try:
                topics.append(catalogue.safety_topic(item.topic_key).title(lang))
            except KeyError:
                topics.append(item.topic_key)
        context.update(
            category=category_title(hazard.category_key),
            situations=situations,
            topics=topics,
            gaps=gaps_about(self.device, gap_kinds.HAZARD, hazard.pk),
            events=history(self.request, hazard),
        )
        return context


class HazardEditView(FormPage, HazardMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE

    def get_heading(self):
        return _("Edit %(record)s") % {"record": self.object}

    def get_form(self, form_class=None):
        return HazardForm(device=self.device, instance=self.object, **self.get_form_kwargs())

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        return services.hazard_update(actor=self.request.user, hazard=self.fresh(), **data)

    def success_message_for(self, result):
        return _("%(record)s was saved.") % {"record": result}


class HazardDeleteView(DeletePage, HazardMixin, Protected, ServiceFormView):
    list_url = "risk:file_hazards"

    def remove(self, record, reason):
        services.hazard_delete(actor=self.request.user, hazard=record, reason=reason)


class SituationCreateView(FormPage, HazardMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE

    def get_heading(self):
        return _("Add a hazardous situation to %(hazard)s") % {"hazard": self.object}

    def get_form(self, form_class=None):
        return SituationForm(device=self.device, **self.get_form_kwargs())

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        return services.situation_create(actor=self.request.user, hazard=self.object, **data)

    def success_message_for(self, result):
        return _("%(record)s was added.") % {"record": result}


class SituationMixin(RecordMixin):
    access = staticmethod(selectors.access_situation_by_id)
    id_name = "situation_id"
    context_name = "situation"
    section = "hazards"


def risk_rows(device, user, policy, **filters) -> list:
    rows = list(selectors.register(device, filters=filters, user=user))
    for risk in rows:
        risk.estimates = risk_estimates(risk, policy)
    return rows


class SituationView(SituationMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/situation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        situation = self.object
        context.update(
            risks=risk_rows(
                self.device, self.request.user, self.policy, situation=str(situation.pk)
            ),
            gaps=gaps_about(self.device, gap_kinds.SITUATION, situation.pk),
            events=history(self.request, situation),
        )
        return context


class SituationEditView(FormPage, SituationMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE

    def get_heading(self):
        return _("Edit %(record)s") % {"record": self.object.code}

    def get_form(self, form_class=None):
        return SituationForm(device=self.device, instance=self.object, **self.get_form_kwargs())

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        return services.situation_update(actor=self.request.user, situation=self.fresh(), **data)

    def success_message_for(self, result):
        return _("%(record)s was saved.") % {"record": result.code}


class SituationDeleteView(DeletePage, SituationMixin, Protected, ServiceFormView):
    def success_url_for(self, result):
        return reverse("risk:hazard", args=[self.object.hazard_id])

    def remove(self, record, reason):
        services.situation_delete(actor=self.request.user, situation=record, reason=reason)


class RiskCreateView(SituationMixin, Protected, ServiceFormView):
    """A harm the situation can lead to, with P1 and P2; P and the level are computed."""

    permission = perms.RISK_CHANGE
    template_name = "risk/risk_form.html"

    def get_form(self, form_class=None):
        return RiskCreateForm(
            device=self.device, situation=self.object, policy=self.policy, **self.get_form_kwargs()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Add a risk to %(situation)s") % {"situation": self.object.code}
        context["cancel_url"] = self.object.get_absolute_url()
        context["next"] = self.request.get_full_path()
        return context

    def perform(self, data):
        return services.risk_create(actor=self.request.user, situation=self.object, **data)

    def success_message_for(self, result):
        return _("%(record)s was added.") % {"record": result.code}


# --- Harms (5.5) ------------------------------------------------------------------------------


class HarmListView(DeviceMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/harm_list.html"
    section = "harms"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        harms = selectors.harms(self.device, user=self.request.user).order_by("-severity", "name")
        page = paginate(self.request, harms)
        levels = self.policy.severity.ordered() if self.policy else ()
        for harm in page:
            harm.severity_label = level_name(levels, harm.severity)
        context["page"] = page
        return context


class HarmMixin(RecordMixin):
    access = staticmethod(selectors.access_harm_by_id)
    id_name = "harm_id"
    context_name = "harm"
    section = "harms"


class HarmCreateView(FormPage, DeviceMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    section = "harms"
    heading = _lazy("Add a harm")

    def get_form(self, form_class=None):
        return HarmForm(policy=self.policy, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.GET.get("next") or self.request.POST.get("next") or ""
        return context

    def cancel_url(self):
        return safe_next(self.request, reverse("risk:file_harms", args=[self.device.pk]))

    def perform(self, data):
        return services.harm_create(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("The harm “%(harm)s” was added.") % {"harm": result.name}

    def success_url_for(self, result):
        return safe_next(self.request, result.get_absolute_url())


class HarmView(HarmMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/harm.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        levels = self.policy.severity.ordered() if self.policy else ()
        context.update(
            severity=level_name(levels, self.object.severity),
            severity_definition=next(
                (lv.definition(language()) for lv in levels if lv.rank == self.object.severity),
                "",
            ),
            risks=risk_rows(self.device, self.request.user, self.policy, harm=str(self.object.pk)),
            events=history(self.request, self.object),
        )
        return context


class HarmEditView(FormPage, HarmMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE

    def get_heading(self):
        return _("Edit the harm “%(harm)s”") % {"harm": self.object.name}

    def get_form(self, form_class=None):
        return HarmForm(policy=self.policy, instance=self.object, **self.get_form_kwargs())

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        return services.harm_update(actor=self.request.user, harm=self.fresh(), **data)

    def success_message_for(self, result):
        return _("The harm “%(harm)s” was saved.") % {"harm": result.name}


class HarmDeleteView(DeletePage, HarmMixin, Protected, ServiceFormView):
    list_url = "risk:file_harms"

    def remove(self, record, reason):
        services.harm_delete(actor=self.request.user, harm=record, reason=reason)


# --- Risks: estimate, evaluation, residual risk (5.5, 6, 7.3) ---------------------------------


class RiskMixin(RecordMixin):
    access = staticmethod(selectors.access_risk_by_id)
    id_name = "risk_id"
    context_name = "risk"
    section = "hazards"


class RiskView(RiskMixin, Protected, TemplateView):
    """One risk from hazard to residual risk, and what it still needs to be complete."""

    permission = perms.RECORD_VIEW
    template_name = "risk/risk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risk = self.object
        controls = list(risk.controls.order_by("number"))
        for control in controls:
            control.priority = ControlKind(control.kind).priority
        context.update(
            estimates=risk_estimates(risk, self.policy),
            controls=controls,
            analyses=list(risk.benefit_risk_analyses.order_by("number")),
            gaps=gaps_about(self.device, gap_kinds.RISK, risk.pk),
            events=history(self.request, risk),
        )
        return context


class RiskEditView(RiskMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/risk_form.html"

    def get_form(self, form_class=None):
        return RiskForm(policy=self.policy, instance=self.object, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Estimate and evaluate %(risk)s") % {"risk": self.object.code}
        context["cancel_url"] = self.object.get_absolute_url()
        context["controls"] = list(self.object.controls.order_by("number"))
        context["estimates"] = risk_estimates(self.object, self.policy)
        return context

    def perform(self, data):
        return services.risk_update(actor=self.request.user, risk=self.fresh(), **data)

    def success_message_for(self, result):
        return _("%(record)s was saved.") % {"record": result.code}


class RiskDeleteView(DeletePage, RiskMixin, Protected, ServiceFormView):
    def success_url_for(self, result):
        return reverse("risk:situation", args=[self.object.situation_id])

    def remove(self, record, reason):
        services.risk_delete(actor=self.request.user, risk=record, reason=reason)


def form_rank(request, name: str) -> int | None:
    value = str(request.GET.get(name) or "").strip()
    return int(value) if value.isdigit() and len(value) < 4 else None


class EstimateView(DeviceMixin, Protected, TemplateView):
    """P and the level for the ranks being chosen on a risk form (htmx), computed from the
    plan's policy: what the risk will show once saved."""

    permission = perms.RECORD_VIEW
    template_name = "risk/_estimate.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        severity = None
        harm_id = query_int(request, "harm")
        if harm_id is not None:
            try:
                harm = selectors.access_harm_by_id(user=request.user, harm_id=harm_id)
            except Http404:
                harm = None
            if harm is not None and harm.device_id == self.device.pk:
                severity = harm.severity
        residual_severity = form_rank(request, "residual_severity") or severity
        context["estimates"] = {
            "initial": estimate_row(
                self.policy, severity, form_rank(request, "p1"), form_rank(request, "p2")
            ),
            "residual": estimate_row(
                self.policy,
                residual_severity,
                form_rank(request, "residual_p1"),
                form_rank(request, "residual_p2"),
            ),
        }
        context["residual_asked"] = "residual_p1" in request.GET
        return context


# --- Control measures (7) ---------------------------------------------------------------------


class ControlListView(DeviceMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/control_list.html"
    section = "controls"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = paginate(
            self.request, selectors.controls(self.device, user=self.request.user)
        )
        return context


class ControlMixin(RecordMixin):
    access = staticmethod(selectors.access_control_by_id)
    id_name = "control_id"
    context_name = "control"
    section = "controls"


class ControlCreateView(FormPage, DeviceMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    section = "controls"
    heading = _lazy("Add a risk control measure")

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        risk = query_int(self.request, "risk")
        if self.request.method == "GET" and risk is not None:
            kwargs["initial"] = {"risks": [risk]}
        return ControlForm(device=self.device, **kwargs)

    def cancel_url(self):
        return reverse("risk:file_controls", args=[self.device.pk])

    def perform(self, data):
        return services.control_create(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("%(record)s was added. Record its verification next.") % {"record": result.code}


class ControlView(ControlMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/control.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        control = self.object
        risks = list(control.risks.select_related("situation", "harm").order_by("number"))
        for risk in risks:
            risk.estimates = risk_estimates(risk, self.policy)
        context.update(
            kind_help=KIND_HELP.get(control.kind, ""),
            priority=ControlKind(control.kind).priority
            if control.kind in ControlKindChoice.values
            else None,
            risks=risks,
            introduced_hazards=list(control.introduced_hazards.order_by("number")),
            introduced_situations=list(control.introduced_situations.order_by("number")),
            gaps=gaps_about(self.device, gap_kinds.CONTROL, control.pk),
            events=history(self.request, control),
        )
        return context


class ControlEditView(FormPage, ControlMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE

    def get_heading(self):
        return _("Edit %(record)s") % {"record": self.object.code}

    def get_form(self, form_class=None):
        return ControlForm(device=self.device, instance=self.object, **self.get_form_kwargs())

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        return services.control_update(actor=self.request.user, control=self.fresh(), **data)

    def success_message_for(self, result):
        return _("%(record)s was saved.") % {"record": result.code}


class ControlVerifyView(FormPage, ControlMixin, Protected, ServiceFormView):
    """Verification of implementation or of effectiveness (7.2); `?aspect=` picks one."""

    permission = perms.RISK_CHANGE
    submit_label = _lazy("Record the verification")

    def get_heading(self):
        return _("Verify %(record)s") % {"record": self.object.code}

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        if self.request.method == "GET":
            aspect = self.request.GET.get("aspect")
            kwargs["initial"] = {
                "aspect": aspect if aspect in services.VERIFICATION_ASPECTS else "implementation",
                "verified_by": self.request.user.pk,
            }
        return VerifyForm(**kwargs)

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        return services.control_verify(actor=self.request.user, control=self.fresh(), **data)

    def success_message_for(self, result):
        return _("The verification of %(record)s was recorded.") % {"record": result.code}


class ControlDeleteView(DeletePage, ControlMixin, Protected, ServiceFormView):
    list_url = "risk:file_controls"

    def remove(self, record, reason):
        services.control_delete(actor=self.request.user, control=record, reason=reason)


# --- Benefit-risk (7.4) -----------------------------------------------------------------------


class BenefitRiskListView(DeviceMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/benefit_risk_list.html"
    section = "benefit_risk"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        analyses = list(selectors.benefit_risk_analyses(self.device, user=self.request.user))
        signatures = core_selectors.current_signatures_by_pk(analyses)
        for analysis in analyses:
            analysis.current_signatures = signatures.get(str(analysis.pk), [])
        context["analyses"] = analyses
        context["needing"] = risk_rows(
            self.device, self.request.user, self.policy, residual_acceptable="no"
        )
        return context


class BenefitRiskMixin(RecordMixin):
    access = staticmethod(selectors.access_benefit_risk_by_id)
    id_name = "analysis_id"
    context_name = "analysis"
    section = "benefit_risk"

    def get_record(self):
        return self.object


class BenefitRiskCreateView(FormPage, DeviceMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    section = "benefit_risk"
    heading = _lazy("Add a benefit-risk analysis")

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        risk = query_int(self.request, "risk")
        if self.request.method == "GET" and risk is not None:
            kwargs["initial"] = {"risks": [risk]}
        return BenefitRiskForm(device=self.device, **kwargs)

    def cancel_url(self):
        return reverse("risk:file_benefit_risks", args=[self.device.pk])

    def perform(self, data):
        return services.benefit_risk_create(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("%(record)s was added. It counts once it is approved by signature.") % {
            "record": result.code
        }


class BenefitRiskView(BenefitRiskMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/benefit_risk.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risks = selectors.with_final(self.object.risks.select_related("situation", "harm"))
        risks = list(risks.order_by("number"))
        for risk in risks:
            risk.estimates = risk_estimates(risk, self.policy)
            risk.final = risk.estimates["residual" if risk.controlled else "initial"]
        context.update(signing(self.object), risks=risks, events=history(self.request, self.object))
        return context


class BenefitRiskEditView(FormPage, BenefitRiskMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE

    def get_heading(self):
        return _("Edit %(record)s") % {"record": self.object.code}

    def get_form(self, form_class=None):
        return BenefitRiskForm(device=self.device, instance=self.object, **self.get_form_kwargs())

    def cancel_url(self):
        return self.object.get_absolute_url()

    def perform(self, data):
        return services.benefit_risk_update(actor=self.request.user, analysis=self.fresh(), **data)

    def success_message_for(self, result):
        return _("%(record)s was saved.") % {"record": result.code}


class BenefitRiskSignView(BenefitRiskMixin, RecordSignView):
    pass


class BenefitRiskDeleteView(DeletePage, BenefitRiskMixin, Protected, ServiceFormView):
    list_url = "risk:file_benefit_risks"

    def remove(self, record, reason):
        services.benefit_risk_delete(actor=self.request.user, analysis=record, reason=reason)


# --- Overall residual risk and disclosures (8) ------------------------------------------------


class OverallMixin(DeviceMixin):
    def get_record(self):
        evaluation = selectors.overall_evaluation_for(self.device)
        if evaluation is None:
            raise Http404("No overall evaluation yet")
        return evaluation


def disclosures(device, user, policy) -> list:
    """Significant residual risks: ticked to disclose, or still not acceptable after control."""
    rows = selectors.register(device, user=user).filter(
        Q(disclose=True) | Q(final_acceptable=False)
    )
    rows = list(rows[:500])
    for risk in rows:
        risk.estimates = risk_estimates(risk, policy)
    return rows


class OverallView(DeviceMixin, Protected, TemplateView):
    """The overall residual risk evaluation by the plan's method, its signatures and the
    residual risks to disclose in the accompanying information."""

    permission = perms.RECORD_VIEW
    template_name = "risk/overall.html"
    section = "overall"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = selectors.overall_evaluation_for(self.device)
        context.update(
            evaluation=evaluation,
            plan=selectors.plan_for(self.device),
            counts=file_counts(self.device, self.request.user),
            disclosures=disclosures(self.device, self.request.user, self.policy),
        )
        if evaluation is not None:
            context.update(signing(evaluation), events=history(self.request, evaluation, 20))
        return context


class OverallEditView(FormPage, DeviceMixin, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    section = "overall"
    heading = _lazy("Evaluate the overall residual risk")

    def get_form(self, form_class=None):
        evaluation = selectors.overall_evaluation_for(self.device)
        kwargs = self.get_form_kwargs()
        if evaluation is not None:
            kwargs["instance"] = evaluation
        else:
            plan = selectors.plan_for(self.device)
            kwargs["initial"] = {"method": plan.overall_method if plan else ""}
        return OverallForm(**kwargs)

    def cancel_url(self):
        return reverse("risk:overall", args=[self.device.pk])

    def perform(self, data):
        return services.overall_evaluation_save(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("The overall residual risk evaluation was saved.")


class OverallSignView(OverallMixin, RecordSignView):
    pass


# --- Risk management review (9) ---------------------------------------------------------------


class FileReviewView(DeviceMixin, Protected, ServiceFormView):
    """Record that the risk management review is complete; refused while any gap is open."""

    permission = perms.RISK_CHANGE
    template_name = "risk/review_form.html"
    form_class = ReviewForm
    section = "review"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        gaps = selectors.risk_file_gaps(self.device)
        context.update(gaps=gap_rows(gaps, self.device), gap_count=len(gaps))
        return context

    def perform(self, data):
        return services.risk_review_complete(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("The risk management review is recorded as complete. Sign it to approve it.")


class ReviewMixin(RecordMixin):
    access = staticmethod(selectors.access_review_by_id)
    id_name = "review_id"
    context_name = "review"
    section = "review"

    def get_record(self):
        return self.object


class ReviewView(ReviewMixin, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(signing(self.object), events=history(self.request, self.object, 20))
        return context


class ReviewSignView(ReviewMixin, RecordSignView):
    pass
