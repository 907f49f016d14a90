from django.http import Http404
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
