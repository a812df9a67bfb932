from django.urls import path

from gaizao.monitors import views

app_name = "monitors"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/<str:action>/", views.report_action, name="action"),
    path("photo/<int:pk>/", views.report_photo, name="photo"),
    path("people/", views.monitor_list, name="people"),
    path("people/register/", views.monitor_register, name="register"),
    path("people/<int:pk>/<str:action>/", views.monitor_action, name="monitor_action"),
]
