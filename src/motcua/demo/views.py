from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render

from . import selectors


def messages(request):
    """/thong-bao/demo/: the demo SMS/Zalo messages, so a demonstration can show what the
    citizen's phone received. Officers only (404 for anyone else)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.is_officer(request.user):
        raise Http404
    found = selectors.demo_messages(request.user)[:200]
    return render(request, "demo/messages.html", {"demo_messages": found})
