"""API: analytics (being built)."""

from ninja import Router

router = Router(tags=["analytics"])
