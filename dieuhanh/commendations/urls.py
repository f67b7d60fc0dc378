"""The commendations pages."""

from django.urls import path

from dieuhanh.commendations import views, views_movements, views_register

app_name = "commendations"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/propose/", views.nomination_new, name="nomination_new"),
    path("rounds/<int:pk>/decide/", views.decision_new, name="decision_new"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/vote/", views.nomination_vote_view, name="nomination_vote"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw_view, name="nomination_withdraw"),
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("decisions/<int:pk>/annex.docx", views.decision_docx, name="decision_docx"),
    path("decisions/<int:pk>/annex.xlsx", views.decision_xlsx, name="decision_xlsx"),
    path("register/", views_register.register, name="register"),
    path("register/ceremony.xlsx", views_register.ceremony_xlsx, name="ceremony_xlsx"),
    path("people/<int:pk>/", views_register.person_register, name="person_register"),
    path("units/<str:code>/", views_register.unit_register, name="unit_register"),
    path("movements/", views_movements.movements, name="movements"),
    path("movements/new/", views_movements.movement_new, name="movement_new"),
    path("registrations/new/", views_movements.registration_new, name="registration_new"),
    path("people/", views_movements.people_home, name="people"),
    path("people/<int:pk>/edit/", views_movements.person_edit, name="person_edit"),
    path("people/<int:pk>/leave/", views_movements.person_leave_view, name="person_leave"),
    path("units/<str:code>/people/", views_movements.unit_people, name="unit_people"),
]
