from django.urls import path

from gaizao.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("", views.case_list, name="cases"),
    path("new/", views.case_new, name="case_new"),
    path("map/", views.case_map, name="map"),
    path("<int:pk>/", views.case_detail, name="case"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/<slug:action>/", views.case_act, name="case_act"),
    path("evidence/<int:pk>/", views.case_evidence, name="evidence"),
    path("clocks/", views.clocks, name="clocks"),
    path("survey/", views.survey, name="survey"),
    path("survey/<int:pk>/", views.survey_job, name="survey_job"),
    path("reuse/", views.reuse, name="reuse"),
    path("creation/", views.creations, name="creations"),
    path("creation/<int:pk>/<slug:action>/", views.creation_act, name="creation_act"),
]
