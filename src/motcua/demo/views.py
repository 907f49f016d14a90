from django.shortcuts import render

from motcua.accounts.gates import officer_required

from . import selectors


@officer_required
def messages(request):
    """/thong-bao/demo/: the demo SMS/Zalo messages, so a demonstration can show what the
    citizen's phone received. A staff page: officers only, each sees their dossiers' texts."""
    found = selectors.demo_messages(request.user)[:200]
    return render(request, "demo/messages.html", {"demo_messages": found})
