"""The citizen's rating link on the portal's dossier page."""

from types import SimpleNamespace

from django import template

from motcua.dossiers import policy

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def citizen_rating(context, dossier):
    """`{% citizen_rating dossier as rating %}`: rating.done (the dossier was rated online),
    rating.open (it may be rated now: a result is ready or returned and it is not rated yet)."""
    done = selectors.online_rating_exists(dossier)
    return SimpleNamespace(done=done, open=bool(policy.can(context["request"].user, "rate", dossier)))
