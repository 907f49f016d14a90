"""Money as Vietnamese papers write it: 50.000 đồng (dot for thousands)."""

from django import template

from motcua.payments.words import amount_in_words

register = template.Library()


@register.filter
def vnd(amount) -> str:
    if amount in (None, ""):
        return ""
    return f"{int(amount):,}".replace(",", ".") + " đồng"


@register.filter
def vnd_words(amount) -> str:
    return amount_in_words(int(amount)) if amount not in (None, "") else ""
