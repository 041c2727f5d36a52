"""Reads of people and PRRCs, starting from what the user may see."""

from django.contrib.auth import get_user_model
from django.http import Http404

from samsvar.accounts.models import Prrc
from samsvar.core import permissions as perms


def user_list(*, user):
    """Everyone's account, for those who manage users (ISO 13485 6.2)."""
    if not perms.has_perm(user, perms.USER_MANAGE):
        return get_user_model().objects.none()
    return get_user_model().objects.order_by("-is_active", "full_name", "username", "pk")


def access_user_by_id(*, user, user_id):
    try:
        return user_list(user=user).get(pk=int(user_id))
    except (get_user_model().DoesNotExist, ValueError, TypeError):
        raise Http404("No such user") from None


def prrc_list(*, user):
    if not perms.has_perm(user, perms.RECORD_VIEW):
        return Prrc.objects.none()
    return Prrc.objects.select_related("user").order_by("-active", "full_name", "pk")


def access_prrc_by_id(*, user, prrc_id):
    try:
        return prrc_list(user=user).get(pk=int(prrc_id))
    except (Prrc.DoesNotExist, ValueError, TypeError):
        raise Http404("No such PRRC") from None
