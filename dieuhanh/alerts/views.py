"""Pages of the alerts app: a person's notifications (the bell's list) and their notification settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.assignments.views_tasks import apply_errors

from . import selectors, services
from .forms import PreferenceForm
from .models import Channel, Delivery

PAGE_SIZE = 50


@login_required
def notifications(request):
    shown = selectors.notifications_for(request.user).prefetch_related(
        Prefetch("deliveries", queryset=Delivery.objects.exclude(channel=Channel.IN_APP).order_by("channel")))
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "alerts/notifications.html", {"page": page, "unread": selectors.unread_count(
        request.user)})


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_read_all(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked read."))
    return redirect("alerts:notifications")


@login_required
@require_POST
def notification_read(request, pk: int):
    get_object_or_404(selectors.notifications_for(request.user), pk=pk)  # another person's answers 404
    services.notification_read(user=request.user, notification_id=pk)
    return redirect("alerts:notifications")


@login_required
def notification_open(request, pk: int):
    """Follow a notification's link, marking it read (as opening a message does)."""
    notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
    services.notification_read(user=request.user, notification_id=pk)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure()):
        return redirect(link)
    return redirect("alerts:notifications")


@login_required
def preference_edit(request):
    preference = services.preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.preference_update(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("alerts:settings")
    else:
        form = PreferenceForm(initial={
            "channels": preference.channel_list, "email": preference.email,
            "telegram_chat_id": preference.telegram_chat_id, "zalo_user_id": preference.zalo_user_id,
            "webhook_url": preference.webhook_url, "quiet_start": preference.quiet_start,
            "quiet_end": preference.quiet_end, "alerts_below": preference.alerts_below})
    return render(request, "alerts/settings.html", {"form": form, "preference": preference})
