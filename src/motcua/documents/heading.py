"""What every official paper shares: the heading of NĐ 30/2020 (issuing body, place and date, QR
code), the form in force on the paper's date, and rendering to PDF."""

from datetime import date, datetime

from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.dossiers.models import Dossier

from . import qr
from .formatting import place_and_date
from .models import OfficialForm, PageSize
from .render import render_pdf
from .selectors import form_for


def place_of(agency: Agency) -> str:
    """The place in "Nghệ An, ngày …": the province of the nearest administrative unit on the
    agency's branch of the tree (one query: the ancestors are in the materialised path)."""
    ids = [int(pk) for pk in agency.path.strip("/").split("/") if pk] or [agency.pk]
    depth = {pk: i for i, pk in enumerate(ids)}
    with_unit = list(Agency.objects.filter(pk__in=ids, unit__isnull=False).select_related("unit__province"))
    if not with_unit:
        return agency.name
    nearest = max(with_unit, key=lambda a: depth.get(a.pk, -1))
    unit = nearest.unit
    return unit.province.name if unit.province_id else unit.name


def issuer_of(agency: Agency) -> dict:
    # NĐ 30/2020: the superior body's name in capitals, the issuing body's in bold capitals.
    parent = agency.parent if agency.parent_id else None
    return {
        "issuer_superior": parent.name.upper() if parent else "",
        "issuer_name": agency.name.upper(),
        "issuer_body": agency.name,
    }


def heading(form: OfficialForm, *, issuer: Agency, issued_at: date | datetime,
             dossier: Dossier | None) -> dict:
    context = {
        "form": form,
        "place_date": place_and_date(place_of(issuer), issued_at),
        # TT 01/2018 laid its slips out on A5: a smaller body size keeps them on one page.
        "small_print": form.page_size == PageSize.A5,
        **issuer_of(issuer),
    }
    if dossier is not None:
        context.update({
            "code": dossier.code,
            "qr_image": qr.qr_png_data_uri(qr.qr_payload(dossier, form.name)),
            "applicant": dossier.applicant,
            "procedure": dossier.procedure_version.procedure,
            "case": dossier.case,
        })
    return context


def render_form(form: OfficialForm, context: dict, *, landscape: bool = False) -> bytes:
    page_size = f"{form.page_size} landscape" if landscape else form.page_size
    return render_pdf(form.template_name, context, page_size=page_size)


def form_of(kind: str, moment: date | datetime | None) -> OfficialForm:
    if isinstance(moment, datetime):
        moment = timezone.localdate(moment)
    return form_for(kind, on=moment)
