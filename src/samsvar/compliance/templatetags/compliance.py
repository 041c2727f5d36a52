"""Template filters for the compliance pages and documents."""

from django import template
from django.utils.translation import get_language

from samsvar.compliance.models import ObligationStatus
from samsvar.devices.models import Regime

register = template.Library()


@register.filter
def status_label(value) -> str:
    """The translated label of an obligation status value."""
    try:
        return ObligationStatus(value).label
    except ValueError:
        return value or ""


@register.filter
def regime_label(value) -> str:
    try:
        return Regime(value).label
    except ValueError:
        return value or ""


@register.filter
def in_language(row, name: str) -> str:
    """`row|in_language:"title"`: row["title_nb"] in Norwegian, else row["title_en"]."""
    suffix = "nb" if (get_language() or "en").startswith("nb") else "en"
    return row.get(f"{name}_{suffix}", "") if hasattr(row, "get") else ""
