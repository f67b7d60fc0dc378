"""API: tasks (being built)."""

from ninja import Router

router = Router(tags=["tasks"])
