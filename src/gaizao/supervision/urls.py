from django.urls import path

from gaizao.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("items/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("notices/", views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("rectifications/<int:pk>/", views.rectification_act, name="rectification"),
    path("escalations/<int:pk>/outcome/", views.escalation_outcome, name="escalation_outcome"),
    path("speeches/", views.speeches, name="speeches"),
    path("speeches/<int:pk>/", views.speech_detail, name="speech"),
    path("inbox/", views.inbox_page, name="inbox"),
    path("checklists/", views.checklists, name="checklists"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist"),
    path("evaluation/", views.evaluation_page, name="evaluation"),
    path("ladder/", views.ladder_page, name="ladder"),
]
