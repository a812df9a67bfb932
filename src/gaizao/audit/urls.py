from django.urls import path

from gaizao.audit import views

app_name = "audit"
urlpatterns = [
    path("trail/", views.trail, name="trail"),
]
