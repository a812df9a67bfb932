from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from gaizao.compensation import api as compensation_api
from gaizao.enforcement import api as enforcement_api
from gaizao.ledger import api as ledger_api
from gaizao.monitors import api as monitors_api
from gaizao.petitions import api as petitions_api
from gaizao.projects import views as project_views


def api_view(view_class):
    """The API answers 401/403 itself (DRF) instead of redirecting to the login page."""
    return login_not_required(view_class.as_view())


api = [
    path("households/", api_view(ledger_api.HouseholdListAPI), name="households"),
    path("households/<int:pk>/", api_view(ledger_api.HouseholdDetailAPI), name="household"),
    path("households/<int:pk>/stage/", api_view(ledger_api.HouseholdStageAPI), name="household_stage"),
    path("imports/", api_view(ledger_api.LedgerImportAPI), name="imports"),
    path("standards/", api_view(compensation_api.StandardListAPI), name="standards"),
    path("households/<int:pk>/compensation/", api_view(compensation_api.HouseholdCompensationAPI), name="compensation"),
    path("households/<int:pk>/agreements/", api_view(compensation_api.HouseholdAgreementsAPI), name="agreements"),
    path("illegal-cases/", api_view(enforcement_api.CaseListAPI), name="illegal_cases"),
    path("illegal-cases/<int:pk>/", api_view(enforcement_api.CaseDetailAPI), name="illegal_case"),
    path("petitions/", api_view(petitions_api.PetitionListAPI), name="petitions"),
    path("petitions/<int:pk>/", api_view(petitions_api.PetitionDetailAPI), name="petition"),
    path("monitor-reports/", api_view(monitors_api.ReportListAPI), name="monitor_reports"),
    path("monitor-reports/<int:pk>/", api_view(monitors_api.ReportDetailAPI), name="monitor_report"),
    path("schema/", api_view(SpectacularAPIView), name="schema"),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="ledger:household_list"), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("gaizao.accounts.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("ledger/", include("gaizao.ledger.urls")),
    path("projects/", project_views.project_list, name="project_list"),
    path("projects/pipeline/", project_views.pipeline, name="pipeline"),
    path("projects/<slug:code>/", project_views.project_detail, name="project_detail"),
    path("projects/<slug:code>/advance/", project_views.project_advance, name="project_advance"),
    path("projects/<slug:code>/funding/", project_views.project_funding, name="project_funding"),
    path("compensation/", include("gaizao.compensation.urls")),
    path("progress/", include("gaizao.progress.urls")),
    path("supervision/", include("gaizao.supervision.urls")),
    path("enforcement/", include("gaizao.enforcement.urls")),
    path("audit/", include("gaizao.audit.urls")),
    path("portal/monitor/", include("gaizao.monitors.portal_urls")),
    path("portal/", include("gaizao.portal.urls")),
    path("petitions/", include("gaizao.petitions.urls")),
    path("monitors/", include("gaizao.monitors.urls")),
    path("api/", include((api, "api"))),
]
if not settings.PRODUCTION:  # no Django superuser in production: accounts are the three administrators' pages
    urlpatterns.append(path("admin/", admin.site.urls))
