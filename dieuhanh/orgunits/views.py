from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def unit_tree(request):  # replaced by the tree page
    return HttpResponse("")
