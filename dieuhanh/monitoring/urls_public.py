from django.urls import path

from dieuhanh.monitoring import views_board

app_name = "status"
urlpatterns = [
    path("", views_board.status_page, name="page"),
]
