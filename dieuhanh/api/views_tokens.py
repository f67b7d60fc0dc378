"""A person's own API keys (personal tokens): at most the person's own rights, on a subtree of their units, read or
read-write only if they may enter or approve figures there (accounts.keys.apikey_create checks it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from dieuhanh.accounts.keys import apikey_create, may_write_somewhere, token_roots
from dieuhanh.api.forms import KeyForm
from dieuhanh.api.views_clients import form_errors, keys_with_state, remember_for_one_page


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    roots = token_roots(request.user)
    form = KeyForm(request.POST or None, roots=roots, may_write=may_write_somewhere(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            key, raw = apikey_create(user=request.user, created_by=request.user, root=form.cleaned_data["root"],
                                     access=form.cleaned_data["access"], name=form.cleaned_data["name"],
                                     expires_at=form.expires_at())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            remember_for_one_page(request, key, raw)
            return redirect("api:key_made", pk=key.pk)
    keys = keys_with_state(request.user.api_keys.filter(client__isnull=True), request.user)
    return render(request, "api/token_list.html", {"keys": keys, "form": form, "has_units": roots.exists()})
