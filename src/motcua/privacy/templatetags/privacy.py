"""{% load privacy %}: `mask_id` and `mask_phone` for every list that shows applicants; `is_dpo` for
the desk's menu (the link to the access log only for those who may open it)."""

from django import template

from motcua.privacy import masking

register = template.Library()


@register.filter
def mask_id(value) -> str:
    return masking.mask_id_number(str(value or ""))


@register.filter
def mask_phone(value) -> str:
    return masking.mask_phone(str(value or ""))


@register.filter
def is_dpo(user) -> bool:
    from motcua.privacy.selectors import is_dpo as _is_dpo

    return _is_dpo(user)
