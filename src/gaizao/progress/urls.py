from django.urls import path

from gaizao.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("targets/", views.target_create, name="target_create"),
    path("indicators/", views.indicator_create, name="indicator_create"),
    path("targets/<int:pk>/split/", views.target_split, name="target_split"),
    path("units/<int:pk>/", views.unit_progress, name="unit"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/pdf/", views.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/sign/", views.agreement_sign, name="agreement_sign"),
    path("projects/<slug:code>/plan/", views.project_plan, name="plan"),
    path("projects/<slug:code>/milestones/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:pk>/start/", views.milestone_start, name="milestone_start"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("reports/", views.reports, name="reports"),
    path("summaries/", views.summaries, name="summaries"),
    path("summaries/<int:pk>/", views.summary_detail, name="summary"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("actions/<int:pk>/close/", views.action_close, name="action_close"),
    path("contests/", views.contests, name="contests"),
    path("contests/<int:pk>/", views.contest_detail, name="contest"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("bulletins/<int:pk>/pdf/", views.bulletin_pdf, name="bulletin_pdf"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    path("dashboard/data/", views.dashboard_data, name="dashboard_data"),
    path("screen/", views.screen, name="screen"),
    path("projects/<slug:code>/map/", views.project_map, name="map"),
    path("projects/<slug:code>/map/data/", views.project_map_data, name="map_data"),
]
