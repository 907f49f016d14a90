from django.http import FileResponse, Http404
from django.shortcuts import render

from motcua.catalog import selectors


def home(request):
    fields = selectors.fields_with_published_procedures()
    return render(request, "web/home.html", {"fields": fields, "total": sum(len(f.items) for f in fields)})


def catalogue(request):
    query = request.GET.get("q", "")[:200]
    procedures = selectors.published_versions(query=query)
    return render(request, "web/catalogue.html", {"versions": procedures, "query": query})


def procedure_detail(request, code):
    version = selectors.published_version(code)
    if version is None:
        raise Http404
    return render(request, "web/procedure.html", {"version": version, "procedure": version.procedure})


def form_download(request, code, form_id):
    # Forms of published versions are public documents; nothing else is served from here.
    form = selectors.published_form(code, form_id)
    if form is None or not form.file:
        raise Http404
    return FileResponse(form.file.open("rb"), as_attachment=True, filename=form.file.name.rsplit("/", 1)[-1])
