"""The Annex VIII classification wizard and the classification record of a device."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import Protected, RecordSignView
from samsvar.devices import selectors, services
from samsvar.regulatory import classification as engine

QUESTIONS_PER_STEP = 5


def _text(item, name: str) -> str:
    norwegian = (get_language() or "en").startswith("nb")
    return getattr(item, f"{name}_nb" if norwegian else f"{name}_en")


def rule_name(rule: str) -> str:
    """'Rule 4' / 'Implementing rule 1.4' in the interface language."""
    if not (get_language() or "en").startswith("nb"):
        return rule
    return rule.replace("Implementing rule", "Gjennomføringsregel").replace("Rule", "Regel")


def relevant(regime: str, answers: dict) -> tuple[dict, list]:
    """Drop answers that earlier answers made irrelevant, until nothing changes."""
    while True:
        asked = engine.questions(regime, answers)
        attributes = {q.attribute for q in asked}
        kept = {name: value for name, value in answers.items() if name in attributes}
        if kept == answers:
            return answers, asked
        answers = kept


def read_answer(question, post) -> tuple[bool, object]:
    """(answered, value) for one question from the submitted form."""
    field = f"q_{question.attribute}"
    if question.kind == "multi":
        return True, post.getlist(field)
    raw = post.get(field, "")
    if question.kind == "bool":
        if raw in {"yes", "no"}:
            return True, raw == "yes"
        return False, None
    allowed = {choice.value for choice in question.choices}
    return (raw in allowed), raw


def question_rows(asked, answers, errors):
    rows = []
    for q in asked:
        value = answers.get(q.attribute)
        rows.append(
            {
                "attribute": q.attribute,
                "field": f"q_{q.attribute}",
                "kind": q.kind,
                "text": _text(q, "text"),
                "help": _text(q, "help"),
                "rules": ", ".join(rule_name(rule) for rule in q.rules),
                "answered": q.attribute in answers,
                "value": value,
                "value_key": "yes" if value is True else "no" if value is False else value,
                "choices": [
                    {
                        "value": c.value,
                        "label": _text(c, "text"),
                        "checked": (
                            c.value in value if isinstance(value, list) else c.value == value
                        ),
                    }
                    for c in q.choices
                ],
                "error": errors.get(q.attribute, ""),
            }
        )
    return rows


class ClassificationWizardView(Protected, TemplateView):
    """Asks only the questions that still matter, shows the result, saves it with a rationale."""

    permission = perms.CLASSIFICATION_CHANGE
    template_name = "devices/classification_wizard.html"

    def prepare(self, request, *args, **kwargs):
        self.device = selectors.access_device_by_id(user=request.user, device_id=kwargs["pk"])
        existing = getattr(self.device, "classification", None)
        self.existing = existing if existing and existing.regime == self.device.regime else None

    def get(self, request, *args, **kwargs):
        answers = dict(self.existing.profile) if self.existing else {}
        return self.render_wizard(answers, {}, {})

    def post(self, request, *args, **kwargs):
        try:
            answers = json.loads(request.POST.get("answers") or "{}")
            if not isinstance(answers, dict):
                answers = {}
        except ValueError:
            answers = {}
        try:
            answers, asked = relevant(self.device.regime, answers)
        except engine.ProfileError:
            answers, asked = relevant(self.device.regime, {})
        errors = {}
        shown = set(request.POST.getlist("shown"))
        for question in asked:
            if question.attribute not in shown:
                continue
            answered, value = read_answer(question, request.POST)
            if answered:
                answers[question.attribute] = value
            else:
                answers.pop(question.attribute, None)
                if request.POST.get("action") == "save":
                    errors[question.attribute] = _("Answer this question.")
        answers, asked = relevant(self.device.regime, answers)
        form_errors = {}
        if request.POST.get("action") == "save" and not errors:
            try:
                services.classification_save(
                    actor=request.user,
                    device=self.device,
                    profile=answers,
                    rationale=request.POST.get("rationale", ""),
                    reason=request.POST.get("reason", ""),
                )
            except ValidationError as exc:
                form_errors = exc.message_dict
            except PermissionDenied as exc:
                form_errors = {"__all__": [str(exc)]}
            else:
                messages.success(request, _("The classification was saved."))
                target = reverse("devices:classification", args=[self.device.pk])
                if request.headers.get("HX-Request"):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        return self.render_wizard(answers, errors, form_errors)

    def render_wizard(self, answers, errors, form_errors):
        answers, asked = relevant(self.device.regime, answers)
        pending = [q for q in asked if q.attribute not in answers]
        result = None
        if not pending:
            try:
                result = engine.classify(self.device.regime, answers)
            except engine.ProfileError as exc:
                form_errors = {**form_errors, "profile": [str(exc)]}
        # Answered questions stay on the page (to change them); new ones come a few at a time.
        shown = [q for q in asked if q.attribute in answers] + pending[:QUESTIONS_PER_STEP]
        context = self.get_context_data(
            device=self.device,
            rows=question_rows(shown, answers, errors),
            answers_json=json.dumps(answers),
            pending=len(pending),
            result=result,
            form_errors=form_errors,
            rationale=self.request.POST.get("rationale")
            or (self.existing.rationale if self.existing else ""),
            reason=self.request.POST.get("reason", ""),
            existing=self.existing,
        )
        return self.render_to_response(context)


class ClassificationDetailView(Protected, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "devices/classification_detail.html"

    def get_context_data(self, **kwargs):
        from samsvar.devices.implications import implications_for

        context = super().get_context_data(**kwargs)
        device = selectors.access_device_by_id(user=self.request.user, device_id=kwargs["pk"])
        record = getattr(device, "classification", None)
        if record is None:
            raise Http404
        by_attribute = {q.attribute: q for q in engine.questions(record.regime, record.profile)}
        context["device"] = device
        context["record"] = record
        context["answers"] = [
            (
                _text(by_attribute[name], "text") if name in by_attribute else name,
                _answer_text(by_attribute.get(name), value),
            )
            for name, value in record.profile.items()
        ]
        context["signatures"] = core_selectors.current_signatures(obj=record)
        context["versions"] = core_selectors.record_versions(obj=record)
        context["events"] = core_selectors.record_history(user=self.request.user, obj=record)[:50]
        context["implications"] = implications_for(device, record)
        return context


def _answer_text(question, value) -> str:
    if question is None:
        return json.dumps(value, ensure_ascii=False)
    labels = {c.value: _text(c, "text") for c in question.choices}
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(labels.get(v, v) for v in value) or _("None of these")
    return labels.get(value, str(value))


class ClassificationSignView(RecordSignView):
    def get_record(self):
        device = selectors.access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])
        record = getattr(device, "classification", None)
        if record is None:
            raise Http404
        return record
