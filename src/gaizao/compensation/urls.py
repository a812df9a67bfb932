from django.urls import path

from gaizao.compensation import agreement_views as agreement
from gaizao.compensation import flat_views, views

app_name = "compensation"
urlpatterns = [
    path("standards/", views.standard_list, name="standard_list"),
    path("projects/<int:pk>/choosing/", flat_views.choosing, name="choosing"),
    path("projects/<int:pk>/choosing/open/", flat_views.choosing_open, name="choosing_open"),
    path("projects/<int:pk>/choosing/choose/", flat_views.flat_choose, name="flat_choose"),
    path("projects/<int:pk>/agency/", flat_views.agency_select, name="agency_select"),
    path("projects/<int:pk>/agency/vote/", flat_views.agency_vote_open, name="agency_vote_open"),
    path("projects/<int:pk>/agency/vote/close/", flat_views.agency_vote_close, name="agency_vote_close"),
    path("standards/<int:pk>/", views.standard_detail, name="standard_detail"),
    path("households/<int:pk>/card/", views.household_card, name="household_card"),
    path("households/<int:pk>/agreements/", agreement.household_agreements, name="household_agreements"),
    path("households/<int:pk>/agreements/draft/", agreement.agreement_draft, name="agreement_draft"),
    path("households/<int:pk>/decisions/", agreement.decision_make, name="decision_make"),
    path("households/<int:pk>/appraisals/", agreement.appraisal_record, name="appraisal_record"),
    path(
        "households/<int:pk>/appraisals/<int:appraisal_id>/review/", agreement.appraisal_review, name="appraisal_review"
    ),
    path("agreements/<int:pk>/voucher/", agreement.voucher_issue, name="voucher_issue"),
    path("agreements/<int:pk>/voucher/use/", agreement.voucher_use, name="voucher_use"),
    path("agreements/<int:pk>/voucher/cash-out/", agreement.voucher_cash_out, name="voucher_cash_out"),
    path("decisions/<int:pk>/decision.pdf", agreement.decision_pdf, name="decision_pdf"),
    path("agreements/<int:pk>/", agreement.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/exceptions/", agreement.exception_request, name="exception_request"),
    path("agreements/<int:pk>/exceptions/<int:exception_id>/", agreement.exception_decide, name="exception_decide"),
    path("agreements/<int:pk>/sign/", agreement.agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/void/", agreement.agreement_void, name="agreement_void"),
    path("agreements/<int:pk>/payments/", agreement.payment_post, name="payment_post"),
    path("agreements/<int:pk>/payments/<int:payment_id>/reverse/", agreement.payment_reverse, name="payment_reverse"),
    path("agreements/<int:pk>/agreement.pdf", agreement.agreement_pdf, name="agreement_pdf"),
    path("agreements/<int:pk>/agreement.docx", agreement.agreement_docx, name="agreement_docx"),
    path("agreements/<int:pk>/verify/", agreement.agreement_verify, name="agreement_verify"),
]
