"""API: webhooks (being built)."""

from ninja import Router

router = Router(tags=["webhooks"])
