"""Pages for administrators: the external systems registered to use the API (clients) and their keys.

A key's text is shown once: the page that makes it keeps the text in the session only until the next page (the key's
"made" page) has shown it, then it is gone; the database holds only its hash."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dieuhanh.accounts.keys import (
    apiclient_create,
    apikey_create,
    apikey_revoke,
    apikey_state,
    client_key_roots,
    may_manage_clients,
    may_revoke,
)
from dieuhanh.accounts.models import ApiClient, ApiKey
from dieuhanh.api.forms import ClientForm, KeyForm

SHOWN_ONCE = "api-key-text-{pk}"


def _admin_only(request) -> None:
    if not may_manage_clients(request.user):
        raise PermissionDenied(_("Only administrators register systems for the API."))


def form_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError (keyed by field, or not) onto the form's fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def remember_for_one_page(request, key: ApiKey, raw: str) -> None:
    request.session[SHOWN_ONCE.format(pk=key.pk)] = raw


def keys_with_state(keys, user) -> list[ApiKey]:
    """The keys with their state and whether `user` may revoke each, for the keys table."""
    now = timezone.now()
    out = list(keys.select_related("root", "client", "user", "created_by"))
    for key in out:
        key.state = apikey_state(key, now)
        key.revocable = key.state != "revoked" and may_revoke(user, key)
    return out


@login_required
def client_list(request):
    _admin_only(request)
    now = timezone.now()
    usable = Q(keys__revoked_at__isnull=True) & (Q(keys__expires_at__isnull=True) | Q(keys__expires_at__gt=now))
    clients = ApiClient.objects.annotate(keys_active=Count("keys", filter=usable),
                                         last_used=Max("keys__last_used_at")).order_by("name")
    return render(request, "api/client_list.html", {"clients": clients})


@login_required
@require_http_methods(["GET", "POST"])
def client_new(request):
    _admin_only(request)
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = apiclient_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(name)s is registered. Make it a key.") % {"name": client.name})
            return redirect("api:client", pk=client.pk)
    return render(request, "api/client_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def client_detail(request, pk: int):
    """The system, its keys (state, reach, last use, expiry), and the form that makes a key."""
    _admin_only(request)
    client = get_object_or_404(ApiClient.objects.select_related("user", "created_by"), pk=pk)
    form = KeyForm(request.POST or None, roots=client_key_roots(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = apikey_create(client=client, created_by=request.user, root=form.cleaned_data["root"],
                                     access=form.cleaned_data["access"], name=form.cleaned_data["name"],
                                     expires_at=form.expires_at())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            remember_for_one_page(request, key, raw)
            return redirect("api:key_made", pk=key.pk)
    keys = keys_with_state(client.keys.all(), request.user)
    return render(request, "api/client_detail.html", {"client": client, "keys": keys, "form": form})


def _own_or_administered(request, pk: int) -> ApiKey:
    key = get_object_or_404(ApiKey.objects.select_related("client", "user", "root"), pk=pk)
    if not may_revoke(request.user, key):
        raise PermissionDenied
    return key


def _back(key: ApiKey) -> tuple[str, dict]:
    return ("api:client", {"pk": key.client_id}) if key.client_id else ("api:tokens", {})


@never_cache
@login_required
def key_made(request, pk: int):
    """The new key's text, shown this once (a reload or a later visit no longer shows it)."""
    key = _own_or_administered(request, pk)
    raw = request.session.pop(SHOWN_ONCE.format(pk=key.pk), None)
    name, kwargs = _back(key)
    return render(request, "api/key_made.html", {"key": key, "raw": raw, "back_url": reverse(name, kwargs=kwargs)})


@login_required
@require_http_methods(["GET", "POST"])
def key_revoke(request, pk: int):
    """Asks first; revoking is final (the key is refused from then on, its history stays)."""
    key = _own_or_administered(request, pk)
    name, kwargs = _back(key)
    if request.method == "POST":
        apikey_revoke(key=key, by=request.user)
        messages.success(request, _("The key %(prefix)s… is revoked; calls with it are refused from now on.") % {
            "prefix": key.prefix})
        return redirect(name, **kwargs)
    key.state = apikey_state(key)
    return render(request, "api/key_revoke.html", {"key": key, "back_url": reverse(name, kwargs=kwargs)})
