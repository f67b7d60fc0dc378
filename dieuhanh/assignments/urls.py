from django.urls import path

from dieuhanh.assignments import views_scorecard, views_tasks, views_xlsx

app_name = "assignments"
urlpatterns = [
    path("", views_tasks.task_list, name="task_list"),
    path("scorecard/", views_scorecard.scorecard_page, name="scorecard"),
    path("export.xlsx", views_xlsx.tasks_export, name="export"),
    path("import/", views_xlsx.import_page, name="import"),
    path("import/template.xlsx", views_xlsx.import_template_download, name="import_template"),
]
