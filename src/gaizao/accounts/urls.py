from django.urls import path

from gaizao.accounts import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.password_change, name="password"),
    path("totp/", views.totp_verify, name="totp_verify"),
    path("totp/enrol/", views.totp_enrol, name="totp_enrol"),
    path("manage/", views.account_list, name="manage"),
    path("manage/<int:pk>/", views.account_act, name="account_act"),
    path("roles/", views.role_list, name="roles"),
]
