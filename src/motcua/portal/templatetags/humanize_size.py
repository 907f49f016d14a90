from django import template

register = template.Library()


@register.filter
def file_size(value) -> str:
    """1536 → "1,5 KB" (Vietnamese decimal comma)."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    for unit in ("byte", "KB", "MB"):
        if size < 1024 or unit == "MB":
            number = f"{size:.1f}".rstrip("0").rstrip(".") if unit != "byte" else str(size)
            return f"{number.replace('.', ',')} {unit}"
        size /= 1024
    return ""
