"""Project-wide middleware."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme


def chosen_language(request) -> str:
    """The language the person chose with the language switcher (the cookie /i18n/setlang/ sets), if it is one
    of ours, else the site's language (Vietnamese). The browser's Accept-Language is never consulted."""
    value = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if value:
        try:
            return translation.get_supported_language_variant(value)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware:
    """In place of Django's LocaleMiddleware: the UI speaks Vietnamese unless the person switched to English.

    An official whose browser is set to English still gets Vietnamese. Like LocaleMiddleware it activates the
    language for the request, sets `request.LANGUAGE_CODE` and answers with Content-Language; the page varies
    with the cookie (not with Accept-Language), which `Vary: Cookie` tells caches.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


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


class PermissionsPolicyMiddleware:
    """Every response says which browser features the pages may use (settings.PERMISSIONS_POLICY): none of the
    camera, microphone, location, payment or USB, so a script that slipped in cannot ask for them either."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy:
            response.headers.setdefault("Permissions-Policy", self.policy)
        return response
