"""Catalogue text as citizens read it (issue #12)."""

import re

from django import template

register = template.Library()

# The demo catalogue's data files mark how sure each fact is — [C] confirmed, [S] secondary
# source, [M] modelled (src/motcua/demo/data/README.md). The markers are for the people who
# maintain the data; a citizen reads the fact without them.
CONFIDENCE_MARK = re.compile(r"\s*\[(?:C|S|M)\]")


@register.filter
def without_marks(text: str) -> str:
    return CONFIDENCE_MARK.sub("", text or "")


@register.filter
def says_optional(name: str) -> bool:
    """The paper's name already ends in "(nếu có)": the page adds no second one."""
    return "nếu có" in (name or "").lower()
