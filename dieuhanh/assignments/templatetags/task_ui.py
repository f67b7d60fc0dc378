"""Small display helpers for the task pages: status badges in the colours officials expect."""

from django import template

from dieuhanh.assignments.forms import period_label as _period_label
from dieuhanh.assignments.models import Status

register = template.Library()

# Green done on time, amber done late, blue still within the deadline, red overdue, grey otherwise:
# the colours of provincial task-tracking reports.
STATUS_COLOURS = {
    Status.DONE_ON_TIME: "success",
    Status.DONE_LATE: "warning",
    Status.IN_PROGRESS: "primary",
    Status.OVERDUE: "danger",
    Status.NO_DEADLINE: "info",
    Status.PAUSED: "secondary",
    Status.CANCELLED: "dark",
}


def due_bar(card) -> list[tuple[str, str, int, str]]:
    """The parts of a scorecard's tasks fallen due (`Scorecard.due_parts`): (css class, width in percent with a dot,
    count, label) for a stacked bar in the status colours; the parts, and so the widths, add up to the whole."""
    if not card.due:
        return []
    return [(f"bg-{STATUS_COLOURS[status]}", f"{100 * n / card.due:.2f}", n, Status(status).label)
            for status, n in card.due_parts if n]


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "secondary")


@register.filter
def status_label(status: str) -> str:
    try:
        return Status(status).label
    except ValueError:
        return status


@register.filter
def period_label(occurrence) -> str:
    return _period_label(occurrence)


@register.filter
def person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.username


@register.filter
def filesize(size: int) -> str:
    if size is None:
        return ""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB".replace(".", ",")
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
