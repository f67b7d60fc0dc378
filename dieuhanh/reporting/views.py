from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def form_list(request):  # replaced by the form list page
    return HttpResponse("")
