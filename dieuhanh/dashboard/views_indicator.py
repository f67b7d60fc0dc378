"""One indicator over time, by period and by unit."""

from django.contrib.auth.decorators import login_required
from django.http import Http404


@login_required
def indicator_page(request, code):
    raise Http404
