"""A person's logged-in sessions: ended after settings.SESSION_IDLE_MINUTES without activity, listed on their own page
(/account/sessions/) where they can end any other one, and all ended but the current one when the password changes.

Each session has a `UserSession` row beside Django's session store: made at login (`session_started`), then kept by
`SessionActivityMiddleware`: moved when Django gives the session a new key (a password change does), dropped at
logout, its `last_seen` written at most once a minute (TOUCH_SECONDS) so that a page costs no query.

A poll is not a person. `js/activity.js` (loaded by base.html) marks every HTMX request that no event of the person
caused — `hx-trigger="every …"`, `load`, `htmx.ajax` — with the header `X-Background-Request: 1`; such a request
neither counts as activity nor moves `last_seen`, so a page left open on a desk still times out. The IOC room's wall
screens (WALL_VIEWS) are meant to stay up all day: their refresh always counts as activity (they do not load
activity.js either, being pages of their own).
"""

from __future__ import annotations

import datetime
import time
from contextvars import ContextVar
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.accounts.lockout import client_ip
from dieuhanh.accounts.models import UserSession

ACTIVITY_KEY = "_last_activity"  # in the session: when the person last did something (seconds since the epoch)
TOUCH_SECONDS = 60  # ACTIVITY_KEY and UserSession.last_seen are written at most this often
BACKGROUND_HEADER = "X-Background-Request"
# The wall screens of the IOC room: their refreshes keep the session (the systems board only with ?wall=1).
WALL_VIEWS = {"dashboard:wall", "dashboard:wall_panels"}
WALL_VIEWS_WITH_PARAMETER = {"monitoring:board": ("wall", "1")}

# The session key of the request being served, so that a password change made in it ends the person's *other*
# sessions only (the hook that ends them, password_rules.PasswordHistoryValidator, is not given the request).
_current_session_key: ContextVar[str | None] = ContextVar("current_session_key", default=None)


def is_person_activity(request) -> bool:
    """Whether a request is the person's doing (or a wall screen's refresh), not a page polling by itself."""
    if request.headers.get(BACKGROUND_HEADER) != "1":
        return True
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    if match.view_name in WALL_VIEWS:
        return True
    parameter = WALL_VIEWS_WITH_PARAMETER.get(match.view_name)
    return parameter is not None and request.GET.get(parameter[0]) == parameter[1]


def browser_name(user_agent: str) -> str:
    """ "Chrome · Windows" from a User-Agent string; the start of the string when it is none we know."""
    browsers = (("Edg/", "Edge"), ("OPR/", "Opera"), ("coc_coc_browser", "Cốc Cốc"), ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"), ("Safari/", "Safari"))  # Edge, Opera, Cốc Cốc also say Chrome and Safari
    systems = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
               ("CrOS", "ChromeOS"), ("Mac OS X", "macOS"), ("Linux", "Linux"))  # Android says Linux, iPhone Mac OS
    browser = next((name for mark, name in browsers if mark in user_agent), "")
    system = next((name for mark, name in systems if mark in user_agent), "")
    if browser or system:
        return " · ".join(part for part in (browser, system) if part)
    return user_agent[:40]


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@transaction.atomic
def sessions_end(*, user, session_keys: list[str]) -> int:
    """End `user`'s sessions with these keys: out of Django's store (the next request is anonymous) and the list."""
    rows = UserSession.objects.filter(user=user, session_key__in=session_keys)
    keys = list(rows.values_list("session_key", flat=True))
    store = _session_store()
    for key in keys:
        store(session_key=key).delete()
    rows.delete()
    return len(keys)


def sessions_end_others(*, user, keep: str | None = None) -> int:
    """End all of `user`'s sessions but `keep`, by default the one serving this request (after a password change or
    reset, whose hook is not given the request).

    Sessions that were never listed (opened before this list was kept) need no help: Django ends any session whose
    stored password hash is no longer the person's at its next request."""
    keys = UserSession.objects.filter(user=user).exclude(session_key=keep or _current_session_key.get() or "")
    return sessions_end(user=user, session_keys=list(keys.values_list("session_key", flat=True)))


def sessions_prune(*, user) -> int:
    """End `user`'s sessions that can no longer be used, so that the list shows only live ones: unused past the idle
    limit (their next request would end them anyway), or past SESSION_COOKIE_AGE when there is no idle limit."""
    idle = settings.SESSION_IDLE_MINUTES
    dead_after = idle * 60 + TOUCH_SECONDS if idle else settings.SESSION_COOKIE_AGE
    dead = UserSession.objects.filter(user=user, last_seen__lt=timezone.now() - datetime.timedelta(seconds=dead_after))
    dead = dead.exclude(session_key=_current_session_key.get() or "")
    return sessions_end(user=user, session_keys=list(dead.values_list("session_key", flat=True)))


def _touch(request, *, user, key: str) -> None:
    request.session[ACTIVITY_KEY] = time.time()
    UserSession.objects.update_or_create(session_key=key, defaults={
        "user": user, "last_seen": timezone.now(), "ip": client_ip(request) or None,
        "user_agent": request.headers.get("User-Agent", "")[:300]})


def session_started(sender, request, user, **kwargs) -> None:
    """At login (Django's user_logged_in, connected in apps.py): the session is listed and its activity starts, so
    that the pages after it write nothing for a minute."""
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        _touch(request, user=user, key=request.session.session_key)
        sessions_prune(user=user)


class SessionActivityMiddleware:
    """Ends a session idle for settings.SESSION_IDLE_MINUTES, and keeps the session list (see the module's text).

    Placed after the authentication and message middleware. An ended session's request goes on anonymous: a page
    that needs a login then sends the person to the login page (HTMX requests get HX-Redirect there), where the
    message says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key_before = request.session.session_key
        token = _current_session_key.set(key_before)
        try:
            if request.user.is_authenticated:
                self._end_if_idle(request)
            response = self.get_response(request)
            self._keep_list(request, key_before)
        finally:
            _current_session_key.reset(token)
        return response

    @staticmethod
    def _end_if_idle(request) -> None:
        last = request.session.get(ACTIVITY_KEY)
        minutes = settings.SESSION_IDLE_MINUTES
        # ACTIVITY_KEY lags the last activity by up to TOUCH_SECONDS: a session ends 30 to 31 minutes after it.
        if minutes and last is not None and time.time() - last > minutes * 60 + TOUCH_SECONDS:
            logout(request)  # flushes the session; _keep_list then drops its row
            messages.warning(request, _("Your session has expired after %(minutes)d minutes without activity. "
                                        "Please log in again.") % {"minutes": minutes})

    @staticmethod
    def _keep_list(request, key_before: str | None) -> None:
        key = request.session.session_key
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated and key)
        moved = key != key_before
        if moved and key_before:
            # A new key for the same person (a password change) keeps its row, unless the login that gave the key
            # has listed it already (logging in again over one's own session).
            if signed_in and not UserSession.objects.filter(session_key=key).exists():
                UserSession.objects.filter(session_key=key_before, user=user).update(session_key=key)
            UserSession.objects.filter(session_key=key_before).delete()
        if not signed_in:
            return
        last = request.session.get(ACTIVITY_KEY)
        if last is None or (time.time() - last >= TOUCH_SECONDS and is_person_activity(request)):
            _touch(request, user=user, key=key)


@login_required
def session_list(request):
    current = request.session.session_key
    sessions_prune(user=request.user)
    sessions = [{"row": row, "current": row.session_key == current, "browser": browser_name(row.user_agent)}
                for row in UserSession.objects.filter(user=request.user).order_by("-last_seen")]
    sessions.sort(key=lambda item: not item["current"])  # this one first
    return render(request, "account_sessions.html", {"sessions": sessions,
                                                     "others": sum(not item["current"] for item in sessions),
                                                     "idle_minutes": settings.SESSION_IDLE_MINUTES})


@require_POST
@login_required
def session_end(request, pk: int):
    row = get_object_or_404(UserSession, pk=pk, user=request.user)
    if row.session_key == request.session.session_key:
        logout(request)
        return redirect("login")
    sessions_end(user=request.user, session_keys=[row.session_key])
    messages.success(request, _("The session has been ended."))
    return redirect("account_sessions")


@require_POST
@login_required
def sessions_end_all_others(request):
    ended = sessions_end_others(user=request.user, keep=request.session.session_key)
    messages.success(request, _("Other sessions ended: %(count)d.") % {"count": ended})
    return redirect("account_sessions")
