from django.urls import path

from gaizao.portal import office_views, report_views, views

app_name = "portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("me/", views.me, name="me"),
    path("me/card/", views.card, name="card"),
    path("me/agency-vote/", views.agency_vote, name="agency_vote"),
    path("me/petition/", report_views.household_petition, name="household_petition"),
    path("petition/", report_views.petition, name="petition"),
    path("petition/follow/", report_views.petition_follow, name="petition_follow"),
    path("petition/<int:pk>/rate/", report_views.petition_rate, name="petition_rate"),
    path("tipoff/", report_views.tipoff, name="tipoff"),
    path("tipoff/follow/", report_views.tipoff_follow, name="tipoff_follow"),
    path("p/<slug:code>/", views.project, name="project"),
    path("p/<slug:code>/standard/<int:pk>/", views.standard, name="standard"),
    path("p/<slug:code>/<str:kind>/<int:number>/", views.publication, name="publication"),
    path("p/<slug:code>/<str:kind>/<int:number>/object/", views.object_to, name="object"),
    path("office/<slug:code>/", office_views.project_office, name="office"),
    path("office/<slug:code>/publish/", office_views.publish, name="publish"),
    path("office/objection/<int:pk>/", office_views.objection_answer, name="objection_answer"),
    path("office/household/<int:pk>/code/", office_views.issue_code, name="issue_code"),
]
