"""Pages of the risk register, the risk matrix heatmaps, traceability and the history of a risk,
production and post-production information (ISO 14971:2019 10) and the FMEA worksheets."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import HtmxPartialMixin, Protected, ServiceFormView, paginate, redirect_back
from samsvar.devices.selectors import access_device_by_id
from samsvar.regulatory.risk import (
    ControlFacts,
    HazardFacts,
    RiskFileFacts,
    SituationFacts,
    catalogue,
    completeness,
)
from samsvar.regulatory.risk import fmea as fmea_rules
from samsvar.regulatory.risk.gap import CONTROL, HAZARD, RISK, SITUATION
from samsvar.risk import selectors, services
from samsvar.risk.facts import RISK_VALUES, benefit_risk_facts, risk_facts_from_row
from samsvar.risk.models import (
    ControlMeasure,
    Hazard,
    HazardousSituation,
    Risk,
)
from samsvar.risk.register_forms import (
    DeleteForm,
    FmeaHazardForm,
    FmeaRowForm,
    InfoFilterForm,
    NoteForm,
    ProductionInfoForm,
    RegisterFilterForm,
    WorksheetForm,
)

TRACE_HAZARDS_PER_PAGE = 10


def url_or_blank(name: str, *args) -> str:
    """A page of the risk file that another part of the app provides, or "" while it has none."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def language() -> str:
    return get_language() or "en"


def is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


class DevicePage:
    """A page about one device's risk file: the device is found (or 404) once access is
    settled, and the pages of the file are linked from each other."""

    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.device = access_device_by_id(user=request.user, device_id=kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(file_context(self.request, self.device))
        return context


def file_context(request, device) -> dict:
    return {
        "device": device,
        "risk_file_url": url_or_blank("risk:file", device.pk),
        "can_edit": perms.has_perm(request.user, perms.RISK_CHANGE),
    }


# --- The register -----------------------------------------------------------------------------


class RegisterView(DevicePage, Protected, HtmxPartialMixin, TemplateView):
    """The risk register: one row per hazardous situation-harm pair, filtered, sorted, grouped
    and paginated; two queries per page however large the file."""

    permission = perms.RECORD_VIEW
    template_name = "risk/register.html"
    partial_template_name = "risk/register_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = selectors.plan_policy(self.device)
        form = RegisterFilterForm(self.request.GET or None, device=self.device, policy=policy)
        context["filter_form"] = form
        context["page"] = None
        context["groups"] = []
        if form.is_bound and not form.is_valid():
            return context
        data = form.cleaned_data if form.is_bound else {}
        group = data.get("group") or ""
        try:
            rows = selectors.register(
                self.device,
                filters=form.selector_filters() if form.is_bound else {},
                sort=data.get("sort") or "number",
                group=group,
                user=self.request.user,
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
            return context
        cell = form.final_cell() if form.is_bound else {}
        if cell:
            rows = rows.filter(**cell)
        page = paginate(self.request, rows)
        context["page"] = page
        context["group"] = group
        context["groups"] = selectors.group_rows(page.object_list, group)
        return context


# --- The matrix -------------------------------------------------------------------------------


class MatrixView(DevicePage, Protected, TemplateView):
    """Heatmaps of the risk matrix before and after control, counts per cell; each cell opens
    the register filtered to it."""

    permission = perms.RECORD_VIEW
    template_name = "risk/matrix.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["before"] = selectors.matrix(self.device, user=user)
        context["after"] = selectors.matrix(self.device, residual=True, user=user)
        context["register_url"] = reverse("risk:register", args=[self.device.pk])
        return context


# --- Traceability -----------------------------------------------------------------------------


def _gap_index(gaps) -> dict[tuple[str, int], list]:
    lang = language()
    index: dict[tuple[str, int], list] = defaultdict(list)
    for gap in gaps:
        index[(gap.ref.kind, gap.ref.id)].append(
            {"message": gap.message(lang), "clause": gap.clause, "code": gap.code}
        )
    return index


def trace_page(device, hazards: list) -> list:
    """Hazard → hazardous situations → risks (harm, estimates) → controls (verification) for
    one page of hazards, in a fixed number of queries, with the gaps of each record from the
    completeness rules of `samsvar.regulatory.risk`.

    Each hazard carries `trace_situations` and `gaps`; each situation `trace_risks`, `observed`
    and `gaps`; each risk `trace_controls` and `gaps`; each control `gaps`. Gaps of the plan
    and of the overall evaluation are outside the tree and not shown here.
    """
    if not hazards:
        return []
    ids = [hazard.pk for hazard in hazards]
    situations = list(
        HazardousSituation.objects.filter(device=device, hazard_id__in=ids).order_by("number")
    )
    risks = list(
        Risk.objects.filter(device=device, situation__hazard_id__in=ids)
        .select_related("harm")
        .order_by("number")
    )
    links = list(
        ControlMeasure.risks.through.objects.filter(
            risk__device=device, risk__situation__hazard_id__in=ids
        )
        .order_by("controlmeasure_id")
        .values_list("risk_id", "controlmeasure_id")
    )
    controls = {
        control.pk: control
        for control in ControlMeasure.objects.filter(
            pk__in={control_id for _risk, control_id in links}
        ).select_related("implementation_verified_by", "effectiveness_verified_by")
    }
    observed = selectors.observed_occurrences(device)
    benefit_risk = benefit_risk_facts(device)

    control_ids: dict[int, list[int]] = defaultdict(list)
    for risk_id, control_id in links:
        control_ids[risk_id].append(control_id)
    facts = RiskFileFacts(
        hazards=tuple(HazardFacts(id=h.pk, name=str(h)) for h in hazards),
        situations=tuple(
            SituationFacts(id=s.pk, hazard_id=s.hazard_id, name=s.code) for s in situations
        ),
        risks=tuple(
            risk_facts_from_row(
                {name: getattr(risk, name) for name in RISK_VALUES},
                tuple(control_ids.get(risk.pk, ())),
                benefit_risk.get(risk.pk),
            )
            for risk in risks
        ),
        controls=tuple(
            ControlFacts(
                id=c.pk,
                kind=c.kind,
                name=c.code,
                implementation_verified=c.implementation_verified,
                effectiveness_verified=c.effectiveness_verified,
                safety_information=c.safety_information_text,
                new_risks_reviewed=c.new_risks_reviewed,
            )
            for c in controls.values()
        ),
    )
    gaps = _gap_index(completeness(facts))

    for control in controls.values():
        control.gaps = gaps.get((CONTROL, control.pk), [])
    by_situation: dict[int, list] = defaultdict(list)
    for risk in risks:
        risk.trace_controls = [controls[pk] for pk in control_ids.get(risk.pk, ())]
        risk.gaps = gaps.get((RISK, risk.pk), [])
        risk.has_gap = bool(risk.gaps) or any(c.gaps for c in risk.trace_controls)
        by_situation[risk.situation_id].append(risk)
    by_hazard: dict[int, list] = defaultdict(list)
    for situation in situations:
        situation.trace_risks = by_situation.get(situation.pk, [])
        situation.observed = observed.get(situation.pk)
        situation.gaps = gaps.get((SITUATION, situation.pk), [])
        situation.has_gap = bool(situation.gaps) or any(r.has_gap for r in situation.trace_risks)
        by_hazard[situation.hazard_id].append(situation)
    for hazard in hazards:
        hazard.trace_situations = by_hazard.get(hazard.pk, [])
        hazard.gaps = gaps.get((HAZARD, hazard.pk), [])
        hazard.has_gap = bool(hazard.gaps) or any(s.has_gap for s in hazard.trace_situations)
    return hazards


def category_title(key: str) -> str:
    return catalogue.category_title(key, get_language() or "en")


class TraceabilityView(DevicePage, Protected, TemplateView):
    """Hazard → hazardous situation → harm → control measures → verification, a page of
    hazards at a time, with the gaps of each record highlighted."""

    permission = perms.RECORD_VIEW
    template_name = "risk/trace.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page needs no per-hazard count, so it skips the selector's GROUP BY over the file.
        hazards = Hazard.objects.filter(device=self.device).order_by("number")
        page = paginate(self.request, hazards, per_page=TRACE_HAZARDS_PER_PAGE)
        context["page"] = page
        hazards = trace_page(self.device, list(page.object_list))
        for hazard in hazards:
            hazard.category_title = category_title(hazard.category_key)
        context["hazards"] = hazards
        return context


# --- History of a risk ------------------------------------------------------------------------


class RiskPage:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.risk = selectors.access_risk_by_id(user=request.user, risk_id=kwargs["pk"])
        self.device = self.risk.device

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(file_context(self.request, self.device))
        context["risk"] = self.risk
        return context


class RiskHistoryView(RiskPage, Protected, TemplateView):
    """Every audit event of a risk and of the control measures that control it, with the
    values before and after each change."""

    permission = perms.RECORD_VIEW
    template_name = "risk/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = paginate(self.request, selectors.risk_history(self.risk, user=self.request.user))
        context["page"] = page
        context["events"] = page.object_list
        context["controls"] = self.risk.controls.order_by("number")
        return context


class RiskFlagClearView(RiskPage, Protected, ServiceFormView):
    """ISO 14971:2019 10.4 — record the review of a risk flagged by production or
    post-production information; the note is required and clears the flag."""

    permission = perms.RISK_CHANGE
    template_name = "risk/postmarket_flag.html"
    form_class = NoteForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next_url"] = self.request.POST.get("next") or self.request.GET.get("next") or ""
        return context

    def perform(self, data):
        risk = selectors.access_risk_by_id(user=self.request.user, risk_id=self.risk.pk)
        return services.risk_flag_clear(actor=self.request.user, risk=risk, note=data["note"])

    def success_message_for(self, result):
        return _("The review of %(risk)s is recorded; the flag is cleared.") % {"risk": result.code}

    def form_valid(self, form):
        response = super().form_valid(form)
        if response.status_code == 302:
            return redirect_back(self.request, reverse("risk:postmarket", args=[self.device.pk]))
        return response


class FlaggedRisksView(Protected, TemplateView):
    """Risks of every device flagged for review by production or post-production information,
    oldest flag first."""

    permission = perms.RECORD_VIEW
    template_name = "risk/postmarket_flagged.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = paginate(self.request, selectors.flagged_risks(user=self.request.user))
        context["can_edit"] = perms.has_perm(self.request.user, perms.RISK_CHANGE)
        return context


# --- Production and post-production information (10) ------------------------------------------

FLAGGED_SHOWN = 100


def observed_rows(device) -> list[dict]:
    """Observed occurrence per hazardous situation beside its P1 estimate, situations in
    number order."""
    observed = selectors.observed_occurrences(device)
    if not observed:
        return []
    policy = selectors.plan_policy(device)
    lang = language()

    def level_name(rank):
        if policy is None or rank is None or not policy.probability.has(rank):
            return ""
        return policy.probability.level(rank).name(lang)

    situations = HazardousSituation.objects.filter(pk__in=list(observed)).order_by("number")
    return [
        {
            "situation": situation,
            "observed": observed[situation.pk],
            "rank_name": level_name(observed[situation.pk].rank),
            "p1_name": level_name(observed[situation.pk].p1),
        }
        for situation in situations
    ]


class PostmarketView(DevicePage, Protected, HtmxPartialMixin, TemplateView):
    """Production and post-production information of a device, the risks it flagged, and the
    observed occurrence of each hazardous situation beside its estimate."""

    permission = perms.RECORD_VIEW
    template_name = "risk/postmarket.html"
    partial_template_name = "risk/postmarket_items.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = InfoFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        items = selectors.production_information(
            self.device, user=user, open_only=filters.get("open") == "yes"
        )
        if filters.get("open") == "no":
            items = items.filter(is_open=False)
        if filters.get("source"):
            items = items.filter(source=filters["source"])
        context["filter_form"] = form
        context["page"] = paginate(self.request, items, per_page=25)
        flagged = selectors.register(self.device, filters={"flagged": True}, user=user)
        context["flagged"] = list(flagged[:FLAGGED_SHOWN])
        context["flagged_count"] = flagged.count()
        context["observed"] = observed_rows(self.device)
        return context


class InfoPage:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.item = selectors.access_production_info_by_id(user=request.user, item_id=kwargs["pk"])
        self.device = self.item.device

    def fresh_item(self):
        """The stored record again, so a refused change leaves nothing behind in memory."""
        return selectors.access_production_info_by_id(user=self.request.user, item_id=self.item.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(file_context(self.request, self.device))
        context["item"] = self.item
        return context


class ProductionInfoDetailView(InfoPage, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/postmarket_item.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item = self.item
        context["hazards"] = item.hazards.order_by("number")
        context["risks"] = item.risks.select_related("harm", "situation").order_by("number")
        context["observed"] = (
            selectors.observed_occurrence(item.situation) if item.situation_id else None
        )
        context["review_form"] = NoteForm()
        context["events"] = core_selectors.record_history(user=self.request.user, obj=item)[:100]
        return context


class ProductionInfoCreateView(DevicePage, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/postmarket_form.html"

    def get_form(self, form_class=None):
        return ProductionInfoForm(device=self.device, **self.get_form_kwargs())

    def perform(self, data):
        return services.production_info_create(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        if result.is_open:
            return _("%(item)s was recorded; the risks it concerns are flagged for review.") % {
                "item": result.code
            }
        return _("%(item)s was recorded.") % {"item": result.code}


class ProductionInfoEditView(InfoPage, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/postmarket_form.html"

    def get_form(self, form_class=None):
        return ProductionInfoForm(device=self.device, item=self.item, **self.get_form_kwargs())

    def perform(self, data):
        return services.production_info_update(
            actor=self.request.user, item=self.fresh_item(), **data
        )

    def success_message_for(self, result):
        return _("Saved.")


class ProductionInfoReviewView(InfoPage, Protected, ServiceFormView):
    """ISO 14971:2019 10.4 — close an open information item with the review's conclusion."""

    permission = perms.RISK_CHANGE
    template_name = "risk/postmarket_review.html"
    form_class = NoteForm

    def perform(self, data):
        return services.production_info_review(
            actor=self.request.user, item=self.fresh_item(), note=data["note"]
        )

    def success_message_for(self, result):
        return _("%(item)s is reviewed and closed.") % {"item": result.code}


class ProductionInfoDeleteView(InfoPage, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/postmarket_delete.html"
    form_class = DeleteForm

    def perform(self, data):
        code = self.item.code
        services.production_info_delete(
            actor=self.request.user, item=self.fresh_item(), reason=data["reason"]
        )
        return code

    def success_url_for(self, result):
        return reverse("risk:postmarket", args=[self.device.pk])

    def success_message_for(self, result):
        return _("%(item)s was deleted.") % {"item": result}


# --- FMEA -------------------------------------------------------------------------------------

FMEA_SORTS = {"position": ("position",), "rpn": ("-rpn", "position")}


def threshold_context() -> dict:
    threshold = fmea_rules.DEFAULT_THRESHOLD
    return {"threshold_rpn": threshold.rpn, "threshold_severity": threshold.severity}


def with_actions(rows) -> list:
    """The rows with the reasons each needs an action (RPN or severity at the threshold)."""
    rows = list(rows)
    for row in rows:
        row.action_reasons = fmea_rules.action_reasons(row.severity, row.occurrence, row.detection)
    return rows


class FmeaListView(DevicePage, Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "risk/fmea_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["worksheets"] = selectors.fmea_worksheets(self.device, user=self.request.user)
        context["form"] = WorksheetForm()
        return context


class FmeaCreateView(DevicePage, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/fmea_form.html"
    form_class = WorksheetForm

    def perform(self, data):
        return services.fmea_worksheet_create(actor=self.request.user, device=self.device, **data)

    def success_message_for(self, result):
        return _("The worksheet %(title)s was created.") % {"title": result.title}


class WorksheetPage:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.worksheet = selectors.access_fmea_worksheet_by_id(
            user=request.user, worksheet_id=kwargs["pk"]
        )
        self.device = self.worksheet.device

    def worksheet_context(self, add_form=None) -> dict:
        sort = self.request.GET.get("sort", "")
        sort = sort if sort in FMEA_SORTS else "position"
        rows = selectors.fmea_rows(self.worksheet, user=self.request.user)
        rows = with_actions(rows.order_by(*FMEA_SORTS[sort]))
        if self.request.GET.get("action") == "yes":
            rows = [row for row in rows if row.action_reasons]
        return {
            "worksheet": self.worksheet,
            "rows": rows,
            "sort": sort,
            "action_only": self.request.GET.get("action") == "yes",
            "add_form": add_form or FmeaRowForm(device=self.device),
            **threshold_context(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(file_context(self.request, self.device))
        context["worksheet"] = self.worksheet
        return context


class FmeaWorksheetView(WorksheetPage, Protected, TemplateView):
    """An FMEA worksheet: its rows with RPN, sorted by position or RPN, rows that need an
    action highlighted; rows are added and edited in place."""

    permission = perms.RECORD_VIEW
    template_name = "risk/fmea.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.worksheet_context())
        context["events"] = core_selectors.record_history(
            user=self.request.user, obj=self.worksheet
        )[:50]
        return context


class FmeaEditView(WorksheetPage, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/fmea_form.html"

    def get_form(self, form_class=None):
        kwargs = self.get_form_kwargs()
        kwargs.setdefault("initial", {})
        kwargs["initial"].update({"kind": self.worksheet.kind, "title": self.worksheet.title})
        return WorksheetForm(**kwargs)

    def perform(self, data):
        worksheet = selectors.access_fmea_worksheet_by_id(
            user=self.request.user, worksheet_id=self.worksheet.pk
        )
        return services.fmea_worksheet_update(actor=self.request.user, worksheet=worksheet, **data)

    def success_message_for(self, result):
        return _("Saved.")


class FmeaDeleteView(WorksheetPage, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/fmea_delete.html"
    form_class = DeleteForm

    def perform(self, data):
        title = self.worksheet.title
        services.fmea_worksheet_delete(
            actor=self.request.user, worksheet=self.worksheet, reason=data["reason"]
        )
        return title

    def success_url_for(self, result):
        return reverse("risk:device_fmea", args=[self.device.pk])

    def success_message_for(self, result):
        return _("The worksheet %(title)s was deleted.") % {"title": result}


class FmeaRowAddView(WorksheetPage, Protected, ServiceFormView):
    """Add a row below the worksheet's table; through htmx the table is answered in place."""

    permission = perms.RISK_CHANGE
    template_name = "risk/fmea.html"

    def get_template_names(self):
        return ["risk/fmea_body.html"] if is_htmx(self.request) else [self.template_name]

    def get_form(self, form_class=None):
        return FmeaRowForm(device=self.device, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.worksheet_context(add_form=context["form"]))
        return context

    def perform(self, data):
        return services.fmea_row_create(actor=self.request.user, worksheet=self.worksheet, **data)

    def form_valid(self, form):
        response = super().form_valid(form)
        if is_htmx(self.request) and response.status_code == 302:
            context = file_context(self.request, self.device)
            context.update(self.worksheet_context())
            context["add_open"] = True
            return self.response_class(
                request=self.request, template=["risk/fmea_body.html"], context=context
            )
        return response

    def success_message_for(self, result):
        return "" if is_htmx(self.request) else _("Row %(n)s was added.") % {"n": result.position}


class RowPage:
    def prepare(self, request, *args, **kwargs):
        super().prepare(request, *args, **kwargs)
        self.row = selectors.access_fmea_row_by_id(user=request.user, row_id=kwargs["pk"])
        self.worksheet = self.row.worksheet
        self.device = self.worksheet.device

    def fresh_row(self):
        return selectors.access_fmea_row_by_id(user=self.request.user, row_id=self.row.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(file_context(self.request, self.device))
        context.update({"row": self.row, "worksheet": self.worksheet, **threshold_context()})
        return context

    def success_url_for(self, result):
        return reverse("risk:fmea", args=[self.worksheet.pk])


class FmeaRowEditView(RowPage, Protected, ServiceFormView):
    """Edit a row in place (htmx answers with the table row) or on a page of its own."""

    permission = perms.RISK_CHANGE
    template_name = "risk/fmea_row_edit.html"

    def get_template_names(self):
        return ["risk/fmea_row_form.html"] if is_htmx(self.request) else [self.template_name]

    def get_form(self, form_class=None):
        return FmeaRowForm(device=self.device, row=self.row, **self.get_form_kwargs())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delete_form"] = DeleteForm()
        return context

    def perform(self, data):
        return services.fmea_row_update(actor=self.request.user, row=self.fresh_row(), **data)

    def form_valid(self, form):
        response = super().form_valid(form)
        if is_htmx(self.request) and response.status_code == 302:
            (row,) = with_actions([self.fresh_row()])
            context = file_context(self.request, self.device)
            context.update({"row": row, "worksheet": self.worksheet, **threshold_context()})
            return self.response_class(
                request=self.request, template=["risk/fmea_row.html"], context=context
            )
        return response

    def success_message_for(self, result):
        return "" if is_htmx(self.request) else _("Saved.")


class FmeaRowView(RowPage, Protected, TemplateView):
    """One row as a table row: what an inline edit returns to when it is cancelled."""

    permission = perms.RECORD_VIEW
    template_name = "risk/fmea_row.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        (context["row"],) = with_actions([self.row])
        return context

    def get(self, request, *args, **kwargs):
        if not is_htmx(request):
            return redirect("risk:fmea", self.worksheet.pk)
        return super().get(request, *args, **kwargs)


class FmeaRowDeleteView(RowPage, Protected, ServiceFormView):
    permission = perms.RISK_CHANGE
    template_name = "risk/fmea_row_delete.html"
    form_class = DeleteForm

    def perform(self, data):
        position = self.row.position
        services.fmea_row_delete(actor=self.request.user, row=self.fresh_row(), **data)
        return position

    def success_message_for(self, result):
        return _("Row %(n)s was deleted.") % {"n": result}


class FmeaRowHazardView(RowPage, Protected, ServiceFormView):
    """Carry a failure mode into the risk analysis as a new hazard linked to the row."""

    permission = perms.RISK_CHANGE
    template_name = "risk/fmea_hazard.html"

    def get_form(self, form_class=None):
        return FmeaHazardForm(row=self.row, **self.get_form_kwargs())

    def perform(self, data):
        return services.fmea_row_create_hazard(
            actor=self.request.user, row=self.fresh_row(), **data
        )

    def success_message_for(self, result):
        return _("%(hazard)s was created from row %(n)s and linked to it.") % {
            "hazard": result,
            "n": self.row.position,
        }

    def success_url_for(self, result):
        return reverse("risk:fmea", args=[self.worksheet.pk])
