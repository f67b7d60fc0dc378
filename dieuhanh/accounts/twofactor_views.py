"""Pages of two-factor login: setting up an authenticator app, the code asked at login, recovery codes, turning it
off. Rules and middleware: dieuhanh/accounts/twofactor.py."""

from __future__ import annotations

import secrets

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from dieuhanh.accounts import twofactor

# The secret being set up travels in the form, signed for this person, instead of being saved before it is
# confirmed: opening the page writes nothing, and a secret the server did not make is refused.
SETUP_SALT = "dieuhanh.accounts.twofactor.setup"
SETUP_MAX_AGE = 3600


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _qr_svg(url: str) -> str:
    """The otpauth:// address as inline SVG (no script, no outside request), sized by its container."""
    return mark_safe(segno.make(url, error="m").svg_inline(scale=1, border=4, omitsize=True, dark="#000",
                                                           light="#fff", svgclass="twofactor-qr w-100 h-auto"))


def _setup_context(request, key_hex: str, error: str = "") -> dict:
    device = TOTPDevice(user=request.user, key=key_hex)
    return {"qr_svg": _qr_svg(device.config_url), "secret": twofactor.secret_for_display(key_hex),
            "signed_key": signing.dumps({"key": key_hex, "user": request.user.pk}, salt=SETUP_SALT),
            "error": error, "next": request.POST.get("next") or request.GET.get("next", ""),
            "required": twofactor.two_factor_required(request.user)}


def _codes_page(request, codes: list[str]):
    shown = [f"{code[:4]}-{code[4:]}" for code in codes]
    text = _("Recovery codes for %(user)s (Điều hành). Each works once.") % {"user": request.user.get_username()}
    return render(request, "twofactor_codes.html", {"codes": shown, "codes_text": "\r\n".join([text, "", *shown, ""]),
                                                     "continue_url": _next_url(request)})


@never_cache
@login_required
def setup(request):
    """With no authenticator yet: the QR code and the secret, confirmed by a first code, then the recovery codes.
    With one: its state, new recovery codes, turning it off."""
    if twofactor.has_authenticator(request.user):
        device = twofactor.authenticator_of(request.user)
        return render(request, "twofactor_manage.html", {
            "device": device, "codes_left": twofactor.recovery_codes_left(request.user),
            "required": twofactor.two_factor_required(request.user)})
    if request.method != "POST":
        return render(request, "twofactor_setup.html", _setup_context(request, secrets.token_hex(20)))
    try:
        signed = signing.loads(request.POST.get("key", ""), salt=SETUP_SALT, max_age=SETUP_MAX_AGE)
    except signing.BadSignature:
        messages.error(request, _("The set-up page was open too long. Scan the new QR code and try again."))
        return redirect("twofactor:setup")
    if signed.get("user") != request.user.pk:
        messages.error(request, _("The set-up page was open too long. Scan the new QR code and try again."))
        return redirect("twofactor:setup")
    time_step = twofactor.code_matches(signed["key"], request.POST.get("code", ""))
    if time_step is None:
        return render(request, "twofactor_setup.html", _setup_context(
            request, signed["key"], _("Wrong code. Check that the phone's clock is right and enter the 6 digits the "
                                      "app shows now.")), status=400)
    device, codes = twofactor.two_factor_enable(user=request.user, key_hex=signed["key"], time_step=time_step)
    twofactor.second_factor_passed(request, device)
    twofactor.two_factor_enabled.send(sender=TOTPDevice, request=request, user=request.user)
    messages.success(request, _("Two-factor login is on. Keep these recovery codes somewhere safe: they are shown "
                                "only now."))
    return _codes_page(request, codes)


@never_cache
@login_required
def verify(request):
    """The code asked after the password, from the authenticator app or a recovery code."""
    if request.user.is_verified() or not twofactor.has_authenticator(request.user):
        return redirect(_next_url(request))
    error = ""
    if request.method == "POST":
        try:
            device = twofactor.device_for_code(request.user, request.POST.get("code", ""))
        except twofactor.CodeRefused as refused:
            error = str(refused)
            twofactor.second_factor_failed.send(sender=TOTPDevice, request=request, user=request.user,
                                                throttled=refused.throttled)
        else:
            twofactor.second_factor_passed(request, device)
            if not isinstance(device, TOTPDevice):
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(request, _("You used a recovery code; %(left)d are left. Make new ones on the "
                                            "two-factor login page if you are running out.") % {"left": left})
            return redirect(_next_url(request))
    return render(request, "twofactor_verify.html", {"error": error, "next": request.GET.get("next") or
                                                     request.POST.get("next", "")}, status=400 if error else 200)


@never_cache
@login_required
@require_POST
def renew_codes(request):
    if not twofactor.has_authenticator(request.user):
        return redirect("twofactor:setup")
    codes = twofactor.recovery_codes_renew(user=request.user)
    twofactor.recovery_codes_renewed.send(sender=TOTPDevice, request=request, user=request.user)
    messages.success(request, _("New recovery codes made; the old ones no longer work. They are shown only now."))
    return _codes_page(request, codes)


@never_cache
@login_required
@require_POST
def disable(request):
    """Turning two-factor login off takes a current code, and is refused to those who must keep it."""
    if not twofactor.has_authenticator(request.user):
        return redirect("twofactor:setup")
    if twofactor.two_factor_required(request.user):
        messages.error(request, _("Two-factor login is required for your account; it cannot be turned off."))
        return redirect("twofactor:setup")
    try:
        twofactor.device_for_code(request.user, request.POST.get("code", ""))
    except twofactor.CodeRefused as refused:
        messages.error(request, str(refused))
        return redirect("twofactor:setup")
    twofactor.two_factor_disable(user=request.user)
    twofactor.two_factor_disabled.send(sender=TOTPDevice, request=request, user=request.user)
    messages.success(request, _("Two-factor login is off."))
    return redirect("twofactor:setup")


urlpatterns = [
    path("", setup, name="setup"),
    path("verify/", verify, name="verify"),
    path("codes/", renew_codes, name="codes"),
    path("disable/", disable, name="disable"),
]
urls = (urlpatterns, "twofactor")
