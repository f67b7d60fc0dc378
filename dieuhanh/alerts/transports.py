"""Transports: how a notification reaches a person through one channel, as small classes picked from `TRANSPORTS`
(healthchecks' pluggable transports). Each `send` returns normally when the message left, or raises
`TransportError(message, permanent=...)`: temporary errors (no answer, 408, 429, 5xx, a rate limit) are retried
with backoff by sending.py, permanent ones (a refused address, a 4xx, a channel not set up) are not.

HTTP goes through the webhooks app's sender (`dieuhanh.webhooks.sending.post`: no redirects followed, the same
temporary/permanent sorting) and its signer, so there is one HTTP client and one signature scheme in the product."""

from __future__ import annotations

import json
import smtplib
import time

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from dieuhanh.webhooks.sending import Outcome, post, signature

from .models import Channel, Delivery, Notification, NotificationPreference

# Zalo answers HTTP 200 with {"error": <code>}; these codes say "later" rather than "never" (-32: the app's rate
# limit, -100: unknown error, try again; Zalo's code table, 2025). Every other non-zero code is permanent.
ZALO_TEMPORARY_ERRORS = frozenset({-32, -100})


class TransportError(Exception):
    def __init__(self, message: str, *, permanent: bool = False, status: int | None = None,
                 retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.status = status
        self.retry_after = retry_after


def _timeout() -> float:
    return float(getattr(settings, "ALERTS_HTTP_TIMEOUT_SECONDS", settings.WEBHOOK_TIMEOUT_SECONDS))


def _raise_unless_delivered(outcome: Outcome) -> None:
    if not outcome.delivered:
        raise TransportError(outcome.error, permanent=outcome.permanent, status=outcome.status,
                             retry_after=outcome.retry_after)


def message_text(notification: Notification) -> str:
    """The plain text sent through chat channels: title, text, and the link made absolute."""
    parts = [notification.title]
    if notification.body:
        parts.append(notification.body)
    if notification.link:
        parts.append(absolute_link(notification.link))
    return "\n\n".join(parts)


def absolute_link(link: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if base and link.startswith("/") else link


class Transport:
    """One channel. `send` is given the delivery (with its notification and user) and the person's settings."""

    kind: str = ""

    def __init__(self, delivery: Delivery, preference: NotificationPreference):
        self.delivery = delivery
        self.notification = delivery.notification
        self.user = self.notification.user
        self.preference = preference

    def send(self) -> None:
        raise NotImplementedError

    def _require(self, value: str, missing: str) -> str:
        if not value:
            raise TransportError(missing, permanent=True)
        return value


class InApp(Transport):
    """The notification row is the message: the bell shows it."""

    kind = Channel.IN_APP

    def send(self) -> None:
        return None


class Email(Transport):
    kind = Channel.EMAIL

    def send(self) -> None:
        address = self._require(self.preference.email or self.user.email,
                                _("No e-mail address: add one in the notification settings"))
        body = self.notification.body
        if self.notification.link:
            body = f"{body}\n\n{absolute_link(self.notification.link)}".strip()
        try:
            send_mail(self.notification.title[:255], body, None, [address], fail_silently=False)
        except OSError as exc:  # smtplib's errors are OSErrors; a refused address or a 5xx reply will not change
            permanent = isinstance(exc, smtplib.SMTPRecipientsRefused) or getattr(exc, "smtp_code", 0) >= 500
            raise TransportError(f"{type(exc).__name__}: {exc}", permanent=permanent) from exc


class Webhook(Transport):
    """A JSON POST to the person's own URL, signed as the webhooks app signs its events."""

    kind = Channel.WEBHOOK

    def send(self) -> None:
        url = self._require(self.preference.webhook_url, _("No webhook URL: add one in the notification settings"))
        notification = self.notification
        body = json.dumps({
            "id": notification.pk, "title": notification.title, "body": notification.body,
            "link": absolute_link(notification.link), "level": notification.level,
            "event_key": notification.event_key, "created_at": notification.created_at.isoformat(),
        }, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(time.time())
        headers = {"X-DieuHanh-Event": "notification", "X-DieuHanh-Delivery": str(self.delivery.pk),
                   "X-DieuHanh-Timestamp": str(timestamp)}
        if self.preference.webhook_secret:
            headers["X-DieuHanh-Signature"] = signature(self.preference.webhook_secret, timestamp, body)
        _raise_unless_delivered(post(url, body, headers, _timeout()))


class Telegram(Transport):
    """The Bot API's sendMessage. Telegram answers errors with HTTP statuses (400 chat not found, 403 blocked by
    the user: permanent; 429 with Retry-After: temporary), which the shared sender sorts."""

    kind = Channel.TELEGRAM

    def send(self) -> None:
        token = self._require(getattr(settings, "TELEGRAM_BOT_TOKEN", ""),
                              _("The Telegram bot is not configured (TELEGRAM_BOT_TOKEN)"))
        chat_id = self._require(self.preference.telegram_chat_id,
                                _("No Telegram chat id: add one in the notification settings"))
        base = getattr(settings, "TELEGRAM_API_BASE", "https://api.telegram.org").rstrip("/")
        body = json.dumps({"chat_id": chat_id, "text": message_text(self.notification)[:4096],
                           "disable_web_page_preview": True}, ensure_ascii=False).encode()
        _raise_unless_delivered(post(f"{base}/bot{token}/sendMessage", body, {}, _timeout()))


class Zalo(Transport):
    """A Zalo Official Account's customer-service message. Zalo answers HTTP 200 with {"error": 0} when the
    message left, and a non-zero code otherwise."""

    kind = Channel.ZALO

    def send(self) -> None:
        token = self._require(getattr(settings, "ZALO_OA_ACCESS_TOKEN", ""),
                              _("The Zalo Official Account is not configured (ZALO_OA_ACCESS_TOKEN)"))
        user_id = self._require(self.preference.zalo_user_id,
                                _("No Zalo user id: add one in the notification settings"))
        base = getattr(settings, "ZALO_API_BASE", "https://openapi.zalo.me").rstrip("/")
        body = json.dumps({"recipient": {"user_id": user_id},
                           "message": {"text": message_text(self.notification)[:2000]}},
                          ensure_ascii=False).encode()
        outcome = post(f"{base}/v3.0/oa/message/cs", body, {"access_token": token}, _timeout())
        answer = outcome.text
        _raise_unless_delivered(outcome)
        try:
            reply = json.loads(answer or "null")
            code = int(reply.get("error", 0)) if isinstance(reply, dict) else None
        except (ValueError, TypeError):
            code = None
        if code is None:
            raise TransportError(_("Zalo answered something that is not its JSON: %(text)s") % {
                "text": answer[:200]}, status=outcome.status)
        if code != 0:
            text = _("Zalo refused the message: error %(code)s %(message)s") % {
                "code": code, "message": str(reply.get("message", ""))[:200]}
            raise TransportError(text.strip(), permanent=code not in ZALO_TEMPORARY_ERRORS, status=outcome.status)


TRANSPORTS: dict[str, type[Transport]] = {
    t.kind: t for t in (InApp, Email, Webhook, Telegram, Zalo)
}
