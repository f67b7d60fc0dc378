"""API: values (being built)."""

from ninja import Router

router = Router(tags=["values"])
