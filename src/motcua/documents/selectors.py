"""Which official form applies to a paper issued on a given day."""

from datetime import date

from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PREFERRED_SCHEME, OfficialForm


class FormNotConfigured(LookupError):
    pass


def form_for(kind: str, on: date | None = None) -> OfficialForm:
    """The active form of `kind` in force on `on` (default: today, local).

    No setting chooses the scheme: TT 03/2025 wins whenever one of its rows is active and in force;
    a province that keeps the TT 01/2018 numbering deactivates the TT 03/2025 rows in the admin.
    A paper dated before TT 03/2025 took effect gets the TT 01/2018 form it was issued under.
    """
    on = on or timezone.localdate()
    form = (
        OfficialForm.objects.filter(kind=kind, active=True, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .annotate(preferred=Case(When(scheme=PREFERRED_SCHEME, then=Value(0)), default=Value(1),
                                 output_field=IntegerField()))
        .order_by("preferred", "-valid_from")
        .first()
    )
    if form is None:
        raise FormNotConfigured(
            _("Chưa có biểu mẫu “%(kind)s” đang áp dụng vào ngày %(day)s; hãy kiểm tra danh mục biểu mẫu.")
            % {"kind": kind, "day": on.strftime("%d/%m/%Y")}
        )
    return form
