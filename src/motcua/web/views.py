"""Public pages: the catalogue (search and filters by plain GET forms, no JavaScript), a
procedure's page with its QR code, and the printable listing board (bảng niêm yết) per agency."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.catalog import selectors
from motcua.catalog.models import OnlineLevel
from motcua.uploads import serve_upload

from .display import fee_summary, limit_summary, procedure_url, qr
from .params import choice_param

PAGE_SIZE = 50


def home(request):
    fields = selectors.fields_with_published_procedures()
    return render(request, "web/home.html", {"fields": fields, "total": sum(len(f.items) for f in fields)})


def catalogue(request):
    query = request.GET.get("q", "")[:200]
    fields = list(selectors.catalogue_fields())
    agencies = list(selectors.catalogue_agencies())
    levels = selectors.catalogue_levels()
    online = selectors.online_levels()
    chosen = {
        # Only an offered option reaches the database; anything else is ignored with a message.
        "field": choice_param(request, "linh_vuc", {f.code for f in fields}),
        "agency": choice_param(request, "co_quan", {a.code for a in agencies}),
        "level": choice_param(request, "cap", {value for value, _label in levels}),
        "online": choice_param(request, "muc_do", set(OnlineLevel.values)),
    }
    agency = next((a for a in agencies if a.code == chosen["agency"]), None)
    result = selectors.catalogue_search(
        query=query, field_code=chosen["field"] or None, agency=agency,
        level=chosen["level"] or None, online_level=chosen["online"] or None,
    )
    page = Paginator(result.versions, PAGE_SIZE).get_page(request.GET.get("trang"))
    params = request.GET.copy()
    params.pop("trang", None)
    return render(request, "web/catalogue.html", {
        "page": page, "versions": page.object_list, "query": query, "approximate": result.approximate,
        "fields": fields, "agencies": agencies, "levels": levels, "online_levels": online,
        "chosen": chosen, "filtered": any(chosen.values()) or bool(query.strip()),
        "params": params.urlencode(),
    })


def procedure_detail(request, code):
    version = selectors.published_version(code)
    if version is None:
        raise Http404
    url = procedure_url(version.procedure.code)
    return render(request, "web/procedure.html", {
        "version": version, "procedure": version.procedure, "page_url": url, "qr": qr(url),
        "agencies": list(version.procedure.agencies.all()),
    })


def form_download(request, code, form_id):
    # Forms of published versions are public documents; nothing else is served from here.
    form = selectors.published_form(code, form_id)
    if form is None or not form.file:
        raise Http404
    # Uploaded by an administrator, not rendered by us: served like any upload (an attachment).
    return serve_upload(form.file.open("rb"), filename=form.file.name.rsplit("/", 1)[-1], content_type=None)


def boards(request):
    """Agencies with a listing board: those that handle procedures, and the centres that
    receive for them."""
    agencies = list(selectors.catalogue_agencies())
    centres = Agency.objects.filter(level=Agency.Level.CENTRE, parent__in=agencies).order_by("path")
    return render(request, "web/boards.html", {"agencies": agencies, "centres": centres})


def board(request, code):
    agency = selectors.agency_by_code(code)
    if agency is None:
        raise Http404
    rows = []
    for version in selectors.board_versions(agency):
        url = procedure_url(version.procedure.code)
        cases = version.cases.all()
        rows.append({
            "version": version, "procedure": version.procedure, "limit": limit_summary(cases),
            "fees": fee_summary(version.fees.all()), "url": url, "qr": qr(url),
        })
    return render(request, "web/board.html", {
        "agency": agency, "rows": rows, "printed_on": timezone.localdate(),
    })
