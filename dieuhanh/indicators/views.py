from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from dieuhanh.indicators.models import Indicator


@login_required
def indicator_list(request):
    indicators = Indicator.objects.select_related("sector", "weight_indicator").filter(active=True)
    return render(request, "indicators/list.html", {"indicators": indicators})
