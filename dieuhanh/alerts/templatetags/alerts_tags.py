"""The bell's count: one query (an indexed count on (user, read_at)) per page that shows it."""

from django import template

from dieuhanh.alerts.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notifications_unread(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    # Read once per request even if the bell is included twice (the navbar and a page heading).
    cached = getattr(request, "_alerts_unread", None)
    if cached is None:
        cached = request._alerts_unread = unread_count(user)
    return cached
