"""REST settings hooks: pagination and JSON errors that name the field.

Referenced from settings.REST_FRAMEWORK, so this module must not import DRF views.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination
from rest_framework.views import exception_handler as drf_exception_handler

from samsvar.core.controlled import AuditBypassError


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def validation_detail(exc: DjangoValidationError) -> dict | list:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {"non_field_errors": [str(m) for m in exc.messages]}


def exception_handler(exc, context):
    """Turn service-level errors into DRF errors so every failure is JSON with field names."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError(
            {"non_field_errors": [_("This conflicts with a record that was saved meanwhile.")]}
        )
    elif isinstance(exc, AuditBypassError):
        exc = exceptions.APIException(str(exc))
    return drf_exception_handler(exc, context)
