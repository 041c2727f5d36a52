from django import template

register = template.Library()


@register.filter
def display_value(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return value
