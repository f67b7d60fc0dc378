"""The worklist at `/work/`: what waits for the user (dashboard.worklist). It is also the home page `/` of everyone
who is not a leader, so a reporter or an approver lands on their work when they log in; leaders keep the overview
at `/`, which points here when something waits for them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dieuhanh.dashboard import cards as kpi
from dieuhanh.dashboard.worklist import worklist
from dieuhanh.reporting.completeness import local_today


def render_worklist(request, *, home: bool):
    today = local_today()
    context = {"work": worklist(request.user, today), "today": today, "home": home}
    if home:  # the officials' home page keeps the links to their units and to the modules
        context["own_units"] = kpi.top_units(request.user)[:6]
    return render(request, "dashboard/worklist.html", context)


@login_required
@require_GET
def worklist_page(request):
    return render_worklist(request, home=False)
