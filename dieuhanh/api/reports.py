"""API: reports (being built)."""

from ninja import Router

router = Router(tags=["reports"])
