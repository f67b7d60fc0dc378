"""Login throttling (django-axes): which address a login comes from, and the page a locked-out person sees.

Behind nginx every request comes from the proxy's address, so counting failures by REMOTE_ADDR would lock the
whole province out at once. The forwarded address is believed only from the proxies the deployment names in
TRUSTED_PROXIES; anyone else could write any X-Forwarded-For and never be counted."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_ip(request: HttpRequest) -> str:
    """The address a request comes from: the last hop before our trusted proxies, else REMOTE_ADDR."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    for hop in reversed(hops):  # the right-most hop our proxy did not add itself
        if hop not in trusted:
            return hop
    return remote


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """The page a locked-out login gets (429), in the reader's language, saying for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "locked_out.html", {"failure_limit": settings.AXES_FAILURE_LIMIT,
                                               "lockout_minutes": minutes}, status=429)
