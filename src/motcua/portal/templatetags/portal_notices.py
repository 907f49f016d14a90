"""Template tags for citizen notices and portal pages."""

from types import SimpleNamespace

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def reception_guard(dossier):
    """The online reception guard of a submitted dossier: how many working hours the desk has
    to accept or refuse it, and the moment that ends (docs/architecture.md §10)."""
    from motcua.dossiers.clock import reception_guard_deadline

    deadline = reception_guard_deadline(dossier) if dossier.submitted_at else None
    return SimpleNamespace(hours=settings.RECEPTION_GUARD_HOURS, deadline=deadline)
