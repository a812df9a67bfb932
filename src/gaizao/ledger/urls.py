from django.urls import path

from gaizao.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/stage/", views.household_stage, name="household_stage"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/review/", views.household_review, name="household_review"),
    path("households/<int:pk>/lock/", views.household_lock, name="household_lock"),
    path("households/<int:pk>/unlock/", views.household_unlock, name="household_unlock"),
    path("households/<int:pk>/members/", views.member_add, name="member_add"),
    path("households/<int:pk>/members/<int:member_id>/groups/", views.member_groups, name="member_groups"),
    path("households/<int:pk>/evidence/", views.household_evidence, name="household_evidence"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("export/", views.ledger_export, name="export"),
    path("import/", views.ledger_import, name="import"),
    path("import/confirm/", views.ledger_import_confirm, name="import_confirm"),
]
