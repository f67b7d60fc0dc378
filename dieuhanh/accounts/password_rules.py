"""Password rules for a level-3 system (TCVN 11930:2017, Decree 85/2016): long enough, of several kinds of
character, not the person's own names, not one of their last few passwords.

The length is Django's MinimumLengthValidator with settings.PASSWORD_MIN_LENGTH; the checks below are validators in
settings.AUTH_PASSWORD_VALIDATORS, so that every form that sets a password (changing it, the reset by e-mail, the
admin) applies them. `create_user` and `set_password` do not validate: the demo and the tests set theirs directly.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dieuhanh.accounts.models import PasswordHistory
from dieuhanh.accounts.sessions import sessions_end_others


def _folded(text: str) -> str:
    """Lower case without Vietnamese marks or separators: "Nguyễn Văn An" → "nguyenvanan"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if ch.isalnum() and not unicodedata.combining(ch)).lower()


def character_kinds(password: str) -> int:
    """How many of the four kinds a password mixes: lower-case letters, capitals, digits, other characters."""
    return sum((any(ch.islower() for ch in password), any(ch.isupper() for ch in password),
                any(ch.isdigit() for ch in password), any(not ch.isalnum() for ch in password)))


class CharacterKindsValidator:
    """At least three of: lower-case letters, capitals, digits, symbols (Vietnamese letters count as letters)."""

    def __init__(self, min_kinds: int = 3):
        self.min_kinds = min_kinds

    def validate(self, password: str, user=None) -> None:
        if character_kinds(password) < self.min_kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _("Your password must mix at least %(kinds)d of: lower-case letters, capitals, digits, symbols.") % {
            "kinds": self.min_kinds}


class ContainsOwnNameValidator:
    """Not the person's user name, full name or e-mail name inside the password, whatever the case or the marks.
    Django's UserAttributeSimilarityValidator refuses passwords *like* them; this one refuses "Lanhdao@2026"."""

    MIN_PART = 3  # shorter names ("An") would refuse too many good passwords

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        folded = _folded(password)
        names = (user.get_username(), f"{user.first_name}{user.last_name}", f"{user.last_name}{user.first_name}",
                 (user.email or "").partition("@")[0])
        for name in names:
            name = _folded(name or "")
            if len(name) >= self.MIN_PART and name in folded:
                raise ValidationError(_("Your password must not contain your user name or your name."),
                                      code="password_contains_name")

    def get_help_text(self) -> str:
        return _("Your password must not contain your user name or your name.")


class PasswordHistoryValidator:
    """Not one of the person's last settings.PASSWORD_HISTORY passwords (the current one included).

    Its `password_changed` hook — which Django's `AbstractBaseUser.save()` calls whenever a password was set, by any
    form, the admin or `manage.py changepassword` — keeps the history and ends the person's other sessions."""

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None or not settings.PASSWORD_HISTORY:
            return
        hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)
                      [:settings.PASSWORD_HISTORY])
        if user.password and user.password not in hashes:  # a password set before the history was kept
            hashes.insert(0, user.password)
        if any(check_password(password, hashed) for hashed in hashes):
            raise ValidationError(self._message(), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        password_history_record(user=user, password=password)

    def get_help_text(self) -> str:
        return self._message()

    @staticmethod
    def _message() -> str:
        return ngettext("Your password must differ from your last password.",
                        "Your password must differ from your last %(count)d passwords.",
                        settings.PASSWORD_HISTORY) % {"count": settings.PASSWORD_HISTORY}


@transaction.atomic
def password_history_record(*, user, password: str) -> None:
    """Keep the hash `user` now has; end the person's other sessions. Django re-hashes a password when its hasher's
    cost rises (at a login): the same password again is no change, so nothing happens then."""
    latest = PasswordHistory.objects.filter(user=user).first()
    if latest is not None and check_password(password, latest.password):
        return
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[max(settings.PASSWORD_HISTORY, 1):]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    sessions_end_others(user=user)
