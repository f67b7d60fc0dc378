from django.urls import path

from dieuhanh.assignments import views_register, views_reminders, views_scorecard, views_tasks, views_xlsx

app_name = "assignments"
urlpatterns = [
    path("", views_tasks.task_list, name="task_list"),
    path("new/", views_register.task_create, name="task_create"),
    path("<int:pk>/", views_tasks.task_detail, name="task_detail"),
    path("<int:pk>/edit/", views_register.task_edit, name="task_edit"),
    path("<int:pk>/act/<str:action>/", views_tasks.task_action, name="task_action"),
    path("<int:pk>/extensions/<int:extension_pk>/decide/", views_tasks.extension_decide, name="extension_decide"),
    path("attachments/<int:pk>/", views_tasks.attachment_download, name="attachment"),
    path("documents/", views_register.document_list, name="document_list"),
    path("documents/new/", views_register.document_create, name="document_create"),
    path("documents/<int:pk>/", views_register.document_detail, name="document_detail"),
    path("documents/<int:pk>/attachment/", views_register.document_attachment, name="document_attachment"),
    path("reminders/", views_reminders.reminder_list, name="reminders"),
    path("scorecard/", views_scorecard.scorecard_page, name="scorecard"),
    path("export.xlsx", views_xlsx.tasks_export, name="export"),
    path("import/", views_xlsx.import_page, name="import"),
    path("import/template.xlsx", views_xlsx.import_template_download, name="import_template"),
]
