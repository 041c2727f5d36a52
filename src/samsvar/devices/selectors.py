"""Reads of the device register, starting from what the user may see."""

from django.http import Http404

from samsvar.core import permissions as perms
from samsvar.devices.models import Device


def device_list(*, user, regime: str = "", status: str = "", query: str = ""):
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return Device.objects.none()
    qs = Device.objects.all()
    if regime:
        qs = qs.filter(regime=regime)
    if status:
        qs = qs.filter(lifecycle_status=status)
    if query:
        qs = qs.filter(name__icontains=query) | qs.filter(model_number__icontains=query)
    return qs.order_by("name")


def access_device_by_id(*, user, device_id) -> Device:
    """The device, or 404 whether it does not exist or the user may not see it."""
    try:
        return device_list(user=user).get(pk=int(device_id))
    except (Device.DoesNotExist, ValueError, TypeError):
        raise Http404("No such device") from None
