"""The API's own records (no domain data): the first answer to each idempotent POST (dieuhanh/api/idempotency.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdempotentRequest(models.Model):
    """A POST sent with an `Idempotency-Key`, claimed before it runs (`status` None while it runs) and then holding
    its answer, replayed to a repeat of the same request for `idempotency.KEPT`. In the database, so every web
    process sees it, and unique per API key, so two concurrent duplicates cannot both claim it."""

    api_key = models.ForeignKey("accounts.ApiKey", verbose_name=_("API key"), on_delete=models.CASCADE,
                                related_name="+")
    key = models.CharField(_("idempotency key"), max_length=255)
    # SHA-256 of method, path with query and body: the same key with another request is refused.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=255, blank=True)
    body = models.BinaryField(_("body"), blank=True, default=b"")
    created_at = models.DateTimeField(_("created at"), db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["api_key", "key"], name="unique_idempotency_key_per_api_key")]

    def __str__(self) -> str:
        return f"{self.api_key_id} · {self.key}"
