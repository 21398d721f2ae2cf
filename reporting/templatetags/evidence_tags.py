"""Evidence in templates: why a file was refused, in the reader's language."""

from django import template

from reporting.tips.services import evidence as evidence_service

register = template.Library()


@register.filter
def refusal_reason(item):
    """The reason an evidence file was refused after upload (empty for any other file)."""
    if item.state != item.State.REFUSED:
        return ""
    return evidence_service.refusal_message(item.refusal, item.original_name)
