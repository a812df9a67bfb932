from django.urls import path

from gaizao.audit import views

app_name = "audit"
urlpatterns = [
    path("trail/", views.trail, name="trail"),
    path("findings/", views.finding_list, name="findings"),
    path("findings/<int:pk>/", views.finding_detail, name="finding"),
    path("findings/<int:pk>/evidence/", views.finding_evidence, name="finding_evidence"),
    path("sampling/", views.sample_list, name="sampling"),
    path("sampling/<int:pk>/", views.sample_detail, name="sample"),
    path("sampling/items/<int:pk>/check/", views.sample_item_check, name="sample_item_check"),
    path("sampling/items/<int:pk>/evidence/", views.sample_item_evidence, name="sample_item_evidence"),
    path("documents/", views.documents, name="documents"),
]
