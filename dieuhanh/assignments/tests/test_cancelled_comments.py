"""A cancelled task's history is closed: nobody may comment on it, whatever the URL they post to."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from dieuhanh.assignments.models import TaskEvent
from dieuhanh.assignments.services import comment_add, task_cancel
from dieuhanh.assignments.tests.test_pages import post


@pytest.fixture
def cancelled(task, office):
    task_cancel(user=office, task=task, reason="Đã có văn bản thay thế")
    return task


@pytest.mark.parametrize("who", ["office", "lead_reporter", "coord_reporter"])
def test_nobody_comments_on_a_cancelled_task(client, cancelled, who, request):
    user = request.getfixturevalue(who)
    events = TaskEvent.objects.count()
    client.force_login(user)
    page = client.get(reverse("assignments:task_detail", args=[cancelled.pk])).content.decode()
    assert 'name="comment-text"' not in page
    response = post(client, cancelled, "comment", {"text": "Vẫn còn ý kiến"})
    assert response.status_code == 404  # an action the user may not take on this task: the view's answer
    assert TaskEvent.objects.count() == events
    with pytest.raises(ValidationError, match="cancelled"), translation.override("en"):
        comment_add(user=user, task=cancelled, text="Vẫn còn ý kiến")
