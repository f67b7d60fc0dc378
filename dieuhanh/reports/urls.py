"""The reports pages."""

from django.urls import path

from . import views, views_templates

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("new/", views.report_create, name="report_create"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("<int:pk>/texts/", views.report_texts, name="report_texts"),
    path("<int:pk>/generate/", views.report_generate, name="report_generate"),
    path("<int:pk>/documents/", views.report_documents, name="report_documents"),
    path("<int:pk>/documents/<int:version>.<str:fmt>", views.document_download, name="document_download"),
    path("templates/", views_templates.template_list, name="template_list"),
    path("templates/new/", views_templates.template_edit, name="template_new"),
    path("templates/<int:pk>/", views_templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/sections/new/", views_templates.section_edit, name="section_new"),
    path("templates/<int:pk>/sections/<int:section_pk>/", views_templates.section_edit, name="section_edit"),
    path("templates/<int:pk>/sections/<int:section_pk>/move/", views_templates.section_move, name="section_move"),
    path("templates/<int:pk>/sections/<int:section_pk>/remove/", views_templates.section_remove,
         name="section_remove"),
]
