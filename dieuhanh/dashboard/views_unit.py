"""One department's or commune's indicators, reporting and tasks."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def unit_page(request, code):
    raise Http404
