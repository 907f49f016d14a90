from django import template

register = template.Library()


@register.filter
def may_see_sync(user) -> bool:
    """The "Đồng bộ" link in the staff menu: managers and administrators."""
    from motcua.interop.sync_selectors import may_see_sync as _may

    return _may(user)
