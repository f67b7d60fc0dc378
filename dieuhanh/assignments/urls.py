from django.urls import path

from dieuhanh.assignments import views_tasks

app_name = "assignments"
urlpatterns = [
    path("", views_tasks.task_list, name="task_list"),
]
