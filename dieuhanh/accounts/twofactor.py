"""Two-factor login with authenticator apps (TOTP, django-otp) and one-use recovery codes.

The password step is Django's login as before; django-otp's OTPMiddleware then tells for every request whether the
session also passed the second factor (`request.user.is_verified()`). Two middlewares make every page wait:

- `SecondFactorMiddleware` (before the forced password change): a person with a confirmed authenticator is asked
  for a code before anything else — also before choosing a new password, which someone holding only the password
  must not be able to do;
- `EnrolmentRequiredMiddleware` (after the forced password change): a person for whom two-factor login is required
  (`two_factor_required`) and who has no authenticator yet is sent to set one up.

API keys never carry a session, so they pass untouched. What the audit trail may listen to: the signals below.
"""

from __future__ import annotations

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dieuhanh.accounts.models import Role
from dieuhanh.accounts.passwords import SESSION_KEY as PASSWORD_CHANGE_KEY
from dieuhanh.accounts.selectors import holds_any

# Sent with `request`, `user` and `device` once a session has passed the second factor (at login, or when the
# person has just set up an authenticator): the moment a login is complete for people who use two-factor login.
second_factor_verified = Signal()
# Sent with `request`, `user` and `throttled` (True when the code was not even checked: too many wrong ones).
second_factor_failed = Signal()
# Sent with `request` and `user` when a person turns two-factor login on, off, or makes new recovery codes.
two_factor_enabled = Signal()
two_factor_disabled = Signal()
recovery_codes_renewed = Signal()

RECOVERY_CODE_COUNT = 10
# The devices' names, stored and shown in the admin beside the person's name (data in the province's language).
TOTP_NAME = "Ứng dụng xác thực"
RECOVERY_NAME = "Mã dự phòng"
# The forced password change waits, set aside under this key, until the second factor has been passed.
HELD_PASSWORD_CHANGE_KEY = "twofactor_held_password_change"


def required_roles() -> frozenset[str]:
    """Role codes whose holders must use two-factor login: always the administrators, plus the deployment's list."""
    listed = {code.strip() for code in settings.TWO_FACTOR_REQUIRED_ROLES if code.strip()}
    unknown = listed - set(Role.values)
    if unknown:
        # A misspelt role would leave the people the deployment meant to protect without a second factor.
        raise ImproperlyConfigured(f"TWO_FACTOR_REQUIRED_ROLES names unknown roles: {', '.join(sorted(unknown))}")
    return frozenset(listed | {Role.ADMIN.value})


def two_factor_required(user) -> bool:
    """Whether `user` may not work without two-factor login (never while TWO_FACTOR_ENFORCED is off: the demo)."""
    if not settings.TWO_FACTOR_ENFORCED or not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return holds_any(user, required_roles())


def authenticator_of(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_authenticator(user) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_for_display(key_hex: str) -> str:
    """The secret as an app asks for it typed by hand: base32 in groups of four."""
    b32 = b32encode(bytes.fromhex(key_hex)).decode("ascii").rstrip("=")
    return " ".join(b32[i:i + 4] for i in range(0, len(b32), 4))


def code_matches(key_hex: str, code: str) -> int | None:
    """The time step at which `code` is right for the secret `key_hex` (one step of clock drift either way), or
    None. Used while setting up, before the authenticator is saved."""
    code = normalised(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6)
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def normalised(code: str) -> str:
    """What the person typed, without the spaces and dashes an app or our code list shows in it."""
    return "".join(code.split()).replace("-", "").lower()


class CodeRefused(Exception):
    """A code that did not pass: wrong, or not checked at all because of too many wrong ones."""

    def __init__(self, message: str, *, throttled: bool = False):
        super().__init__(message)
        self.throttled = throttled


def _seconds_to_wait(device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return 0
    return max(1, int(((data or {}).get("locked_until", timezone.now()) - timezone.now()).total_seconds()) + 1)


def device_for_code(user, code: str):
    """The device that accepts `code` — the authenticator for six digits, else the recovery codes (each used once,
    then deleted) — or CodeRefused with a message. Both devices count wrong codes and make the next try wait
    1, 2, 4, 8 ... seconds (django-otp's throttling); a waiting device checks nothing."""
    code = normalised(code)
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            raise CodeRefused(_("Wrong code. Enter the 6 digits your authenticator app shows now, or one of your "
                                "recovery codes."))
        seconds = _seconds_to_wait(device)
        if seconds:
            raise CodeRefused(ngettext("Too many wrong codes. Try again in %(seconds)d second.",
                                       "Too many wrong codes. Try again in %(seconds)d seconds.", seconds)
                              % {"seconds": seconds}, throttled=True)
        if code and device.verify_token(code):
            return device
    # The wrong code was counted; say at once how long the next try must wait.
    seconds = _seconds_to_wait(device)
    wrong = _("Wrong code. Enter the 6 digits your authenticator app shows now, or one of your recovery codes.")
    if seconds:
        wrong += " " + ngettext("Wait %(seconds)d second before the next try.",
                                "Wait %(seconds)d seconds before the next try.", seconds) % {"seconds": seconds}
    raise CodeRefused(wrong)


def second_factor_passed(request, device) -> None:
    """Mark this session as having passed the second factor (django-otp keeps the device in the session)."""
    django_otp.login(request, device)
    if request.session.pop(HELD_PASSWORD_CHANGE_KEY, False):
        request.session[PASSWORD_CHANGE_KEY] = True
    second_factor_verified.send(sender=type(device), request=request, user=request.user, device=device)


def _new_tokens(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        code = StaticToken.random_token()  # 8 base32 characters: 40 random bits, each used once
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enable(*, user, key_hex: str, time_step: int) -> tuple[TOTPDevice, list[str]]:
    """Save the authenticator whose first code was right at `time_step` (that code may not serve again) and make the
    recovery codes. Any earlier devices of the person go."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=TOTP_NAME, key=key_hex, confirmed=True, last_t=time_step)
    device.full_clean()
    device.save()
    recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    return device, _new_tokens(recovery)


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """New recovery codes; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, confirmed=True,
                                                          defaults={"name": RECOVERY_NAME})
    return _new_tokens(device)


@transaction.atomic
def two_factor_disable(*, user) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


def _always_open() -> tuple[str, ...]:
    return (reverse("logout"), "/i18n/", "/" + settings.STATIC_URL.lstrip("/"))


def _send_to(request, url_name: str) -> HttpResponse:
    url = reverse(url_name)
    if request.method == "GET" and not request.headers.get("HX-Request"):
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # HTMX would swap the whole page into a fragment: make the window go there instead.
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SecondFactorMiddleware:
    """A session that passed the password but not yet the code of a person who has an authenticator reaches only
    the code page, logging out and the language switch. Goes after OTPMiddleware and before
    PasswordChangeRequiredMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response
        required_roles()  # a misspelt setting stops the server at start, not silently later

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and has_authenticator(user):
            if request.session.pop(PASSWORD_CHANGE_KEY, False):
                request.session[HELD_PASSWORD_CHANGE_KEY] = True  # the code first, then the new password
            if not request.path.startswith((reverse("twofactor:verify"), *_always_open())):
                return _send_to(request, "twofactor:verify")
        return self.get_response(request)


class EnrolmentRequiredMiddleware:
    """A person who must use two-factor login and has no authenticator yet reaches only the set-up page. Goes after
    PasswordChangeRequiredMiddleware: a forced password change comes first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (settings.TWO_FACTOR_ENFORCED and user.is_authenticated and not user.is_verified()
                and not request.session.get(PASSWORD_CHANGE_KEY)  # the middleware before it answers that first
                and request.path != reverse("twofactor:setup") and not request.path.startswith(_always_open())
                and two_factor_required(user) and not has_authenticator(user)):
            return _send_to(request, "twofactor:setup")
        return self.get_response(request)
