"""The scorecard page: tasks that fell due in a period, completed on time or late, overdue — per unit and assigner."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET


@login_required
@require_GET
def scorecard_page(request):
    raise Http404  # the page follows once the scorecard selectors are in
