"""Writes to dashboards and their cards: keyword-only, atomic, validated with full_clean.

The views check that the user configures the dashboard (selectors.configurable_dashboard_or_404) before calling.
Cards keep a dense order 1..n so that moving a card is swapping it with its neighbour.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from dieuhanh.dashboard.models import Card, Dashboard

DASHBOARD_FIELDS = ("name", "sector", "orgunit", "is_default", "order", "wall_seconds", "active")


@transaction.atomic
def dashboard_create(*, name: str, sector=None, orgunit=None, is_default: bool = False, order: int = 0,
                     wall_seconds: int = 20, active: bool = True, users: Iterable = (),
                     orgunits: Iterable = ()) -> Dashboard:
    dashboard = Dashboard(name=name, sector=sector, orgunit=orgunit, is_default=is_default, order=order,
                          wall_seconds=wall_seconds, active=active)
    dashboard.full_clean()
    dashboard.save()
    dashboard.users.set(list(users))
    dashboard.orgunits.set(list(orgunits))
    return dashboard


@transaction.atomic
def dashboard_update(*, dashboard: Dashboard, users: Iterable | None = None, orgunits: Iterable | None = None,
                     **changes) -> Dashboard:
    """Change the named fields (see DASHBOARD_FIELDS) and, when given, replace the assigned users and units."""
    unknown = set(changes) - set(DASHBOARD_FIELDS)
    if unknown:
        raise TypeError(f"dashboard_update() got unexpected fields: {', '.join(sorted(unknown))}")
    dashboard = Dashboard.objects.select_for_update().get(pk=dashboard.pk)
    for name, value in changes.items():
        setattr(dashboard, name, value)
    dashboard.full_clean()
    dashboard.save()
    if users is not None:
        dashboard.users.set(list(users))
    if orgunits is not None:
        dashboard.orgunits.set(list(orgunits))
    return dashboard


def _renumber(dashboard: Dashboard) -> list[Card]:
    cards = list(Card.objects.select_for_update().filter(dashboard=dashboard).order_by("order", "id"))
    for position, card in enumerate(cards, start=1):
        if card.order != position:
            card.order = position
            card.save(update_fields=["order"])
    return cards


@transaction.atomic
def card_add(*, dashboard: Dashboard, kind: str, indicator=None, span: str = Card.Span.YEAR_TO_DATE,
             title: str = "") -> Card:
    """Add a card at the end of `dashboard`."""
    Dashboard.objects.select_for_update().get(pk=dashboard.pk)  # one writer of the order at a time
    cards = _renumber(dashboard)
    card = Card(dashboard=dashboard, kind=kind, indicator=indicator, span=span, title=title.strip(),
                order=len(cards) + 1)
    card.full_clean()
    card.save()
    return card


@transaction.atomic
def card_move(*, card: Card, direction: str) -> Card:
    """Swap `card` with the one before ("up") or after ("down"); at either end nothing changes."""
    if direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up' or 'down', not {direction!r}")
    Dashboard.objects.select_for_update().get(pk=card.dashboard_id)
    cards = _renumber(card.dashboard)
    index = next(i for i, c in enumerate(cards) if c.pk == card.pk)
    other_index = index - 1 if direction == "up" else index + 1
    if 0 <= other_index < len(cards):
        mine, other = cards[index], cards[other_index]
        mine.order, other.order = other.order, mine.order
        mine.save(update_fields=["order"])
        other.save(update_fields=["order"])
        return mine
    return cards[index]


@transaction.atomic
def card_remove(*, card: Card) -> None:
    """Remove `card` (a card is configuration, not data: it is deleted) and close the gap in the order."""
    Dashboard.objects.select_for_update().get(pk=card.dashboard_id)
    dashboard = card.dashboard
    Card.objects.filter(pk=card.pk).delete()
    _renumber(dashboard)
