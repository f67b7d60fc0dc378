"""Project-wide middleware."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


class HtmxLoginRedirectMiddleware:
    """An HTMX request whose session has expired gets `HX-Redirect` to the login page instead of a redirect.

    The browser's XHR follows a plain redirect silently, so HTMX would swap the whole login page into a
    fragment (a modal, a table cell). With `HX-Redirect` HTMX navigates the window to the login page, and
    `next` is the page the person was on (`HX-Current-URL`), not the fragment's URL. Other requests are untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.headers.get("HX-Request") or response.status_code not in (301, 302, 303, 307, 308):
            return response
        login_path = urlsplit(resolve_url(settings.LOGIN_URL)).path
        if urlsplit(response.get("Location", "")).path != login_path:
            return response
        redirected = HttpResponse(status=200)
        redirected["HX-Redirect"] = f"{login_path}?{urlencode({REDIRECT_FIELD_NAME: self._next(request)})}"
        return redirected

    @staticmethod
    def _next(request) -> str:
        current = request.headers.get("HX-Current-URL", "")
        if current and url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(current)
            return parts.path + (f"?{parts.query}" if parts.query else "")
        return request.get_full_path()
