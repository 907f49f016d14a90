"""{% load privacy %}: `mask_id` and `mask_phone` for every list that shows applicants."""

from django import template

from motcua.privacy import masking

register = template.Library()


@register.filter
def mask_id(value) -> str:
    return masking.mask_id_number(str(value or ""))


@register.filter
def mask_phone(value) -> str:
    return masking.mask_phone(str(value or ""))
