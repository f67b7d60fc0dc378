"""The delivery log: each delivery's state, attempts, the receiver's last answer and error, filtered by subscription
and state (who sees what: selectors.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from dieuhanh.webhooks.models import WebhookDelivery
from dieuhanh.webhooks.selectors import deliveries_for, subscriptions_for

PER_PAGE = 50


@login_required
def delivery_log(request):
    subscriptions = list(subscriptions_for(request.user))
    deliveries = deliveries_for(request.user)
    chosen = next((s for s in subscriptions if str(s.pk) == request.GET.get("subscription", "")), None)
    if chosen is not None:
        deliveries = deliveries.filter(subscription=chosen)
    state = request.GET.get("state", "")
    if state in WebhookDelivery.State.values:
        deliveries = deliveries.filter(state=state)
    else:
        state = ""
    page = Paginator(deliveries, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("subscription", chosen.pk if chosen else ""), ("state", state)) if v})
    return render(request, "webhooks/delivery_log.html", {
        "subscriptions": subscriptions, "chosen": chosen, "state": state, "states": WebhookDelivery.State.choices,
        "page": page, "deliveries": page.object_list, "page_query": query,
    })
