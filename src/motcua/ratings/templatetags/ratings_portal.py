"""The citizen's rating link on the portal's dossier page."""

from types import SimpleNamespace

from django import template

from .. import selectors, services

register = template.Library()


@register.simple_tag
def citizen_rating(dossier):
    """`{% citizen_rating dossier as rating %}`: rating.done (the dossier was rated online),
    rating.open (it may be rated now: a result is ready or returned and it is not rated yet)."""
    done = selectors.online_rating_exists(dossier)
    return SimpleNamespace(done=done, open=dossier.status in services.RATEABLE and not done)
