"""Officer-typed text placed inside a notice's sentence (issue #12: "… của chủ hộ.." when a reason
typed with its own full stop met the template's)."""

from django import template

register = template.Library()


@register.filter
def clause(text) -> str:
    """The text without the full stop (or ; ,) it was typed with: the notice ends the sentence."""
    return str(text or "").strip().rstrip(".;,… ").strip()
