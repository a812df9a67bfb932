from django.urls import path

from gaizao.monitors import portal_views

app_name = "monitor_portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("apply/", portal_views.apply, name="apply"),
    path("logout/", portal_views.sign_out, name="logout"),
    path("report/", portal_views.report_new, name="report_new"),
    path("report/<int:pk>/", portal_views.report, name="report"),
    path("report/<int:pk>/verify/", portal_views.verify, name="verify"),
    path("photo/<int:pk>/", portal_views.own_photo, name="photo"),
    path("p/<slug:code>/", portal_views.published, name="published"),
    path("published-photo/<int:pk>/", portal_views.published_photo, name="published_photo"),
]
