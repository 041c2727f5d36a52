"""Device register pages: list, detail with versions and signatures, create, edit, sign."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from samsvar.core import permissions as perms
from samsvar.core import selectors as core_selectors
from samsvar.core.views import (
    HtmxPartialMixin,
    Protected,
    RecordSignView,
    ServiceFormView,
    SignatureRequestCreateView,
    paginate,
)
from samsvar.devices import selectors, services
from samsvar.devices.forms import DeviceFilterForm, DeviceForm
from samsvar.devices.implications import implications_for


class DeviceListView(Protected, HtmxPartialMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "devices/device_list.html"
    partial_template_name = "devices/_device_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = DeviceFilterForm(self.request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        devices = selectors.device_list(
            user=self.request.user,
            regime=filters.get("regime", ""),
            status=filters.get("status", ""),
            query=filters.get("q", ""),
        )
        context["filter_form"] = form
        context["page"] = paginate(self.request, devices)
        return context


class DeviceMixin:
    def get_record(self):
        return selectors.access_device_by_id(user=self.request.user, device_id=self.kwargs["pk"])


class DeviceDetailView(Protected, DeviceMixin, TemplateView):
    permission = perms.RECORD_VIEW
    template_name = "devices/device_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.get_record()
        context["device"] = device
        context["signatures"] = list(core_selectors.current_signatures(obj=device))
        context["approved"] = any(s.meaning == "approved" for s in context["signatures"])
        context["versions"] = core_selectors.record_versions(obj=device)
        context["events"] = core_selectors.record_history(user=self.request.user, obj=device)[:100]
        context["classification"] = getattr(device, "classification", None)
        context["implications"] = implications_for(device)
        return context


class DeviceVersionView(Protected, DeviceMixin, TemplateView):
    """A frozen version exactly as it was signed."""

    permission = perms.RECORD_VIEW
    template_name = "devices/device_version.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        device = self.get_record()
        version = (
            core_selectors.record_versions(obj=device)
            .filter(version=self.kwargs["version"])
            .first()
        )
        if version is None:
            raise Http404
        context["device"] = device
        context["frozen"] = version
        context["signatures"] = version.signatures.all()
        context["fields"] = [
            (device._meta.get_field(name).verbose_name, value)
            for name, value in version.content["fields"].items()
            if name in {f.name for f in device._meta.concrete_fields}
        ]
        return context


class DeviceCreateView(Protected, ServiceFormView):
    permission = perms.DEVICE_CREATE
    template_name = "devices/device_form.html"
    form_class = DeviceForm

    def get_initial(self):
        return {"target_markets": ["NO"]}

    def perform(self, data):
        return services.device_create(actor=self.request.user, **data)

    def success_message_for(self, result):
        return _("The device %(name)s was registered.") % {"name": result}


class DeviceEditView(Protected, DeviceMixin, ServiceFormView):
    permission = perms.DEVICE_CHANGE
    template_name = "devices/device_form.html"
    form_class = DeviceForm

    def prepare(self, request, *args, **kwargs):
        self.device = self.get_record()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.device
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["device"] = self.device
        context["frozen"] = self.device.current_version_frozen()
        return context

    def perform(self, data):
        # Re-read the stored record so a refused change leaves nothing behind in memory.
        device = selectors.access_device_by_id(user=self.request.user, device_id=self.device.pk)
        return services.device_update(actor=self.request.user, device=device, **data)

    def success_message_for(self, result):
        return _("Saved as version %(v)s.") % {"v": result.version}


class DeviceSignView(DeviceMixin, RecordSignView):
    pass


class DeviceSignatureRequestView(DeviceMixin, SignatureRequestCreateView):
    pass
