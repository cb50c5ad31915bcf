from django.urls import path, re_path
from django.views.generic import RedirectView

from kinerja.appraisal import views

app_name = "appraisal"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="appraisal:plan-list"), name="home"),
    path("years/", views.year_list, name="year-list"),
    path("years/<int:year>/", views.year_detail, name="year-detail"),
    path("rules/", views.rules, name="rules"),
]
urlpatterns += [
    path("skp/", views.plan_list, name="plan-list"),
    path("skp/<int:plan_id>/", views.plan_detail, name="plan-detail"),
]
urlpatterns += [
    path("skp/<int:plan_id>/periods/<int:number>/", views.plan_period, name="plan-period"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
]
urlpatterns += [
    path("peers/", views.peer_input, name="peer-input"),
]
urlpatterns += [
    path("calibration/", views.calibration, name="calibration"),
]
urlpatterns += [
    path("objections/", views.objection_list, name="objection-list"),
    path("objections/<int:objection_id>/", views.objection_detail, name="objection-detail"),
]
urlpatterns += [
    path("rewards-sanctions/", views.rewards_sanctions, name="rewards-sanctions"),
]
urlpatterns += [
    path("skp/<int:plan_id>/result/", views.plan_result, name="plan-result"),
]
urlpatterns += [
    re_path(r"^exports/(?P<year>\d{4})/(?P<kind>skp22|kinerjaperiodik)\.(?P<fmt>json|csv)$", views.export,
            name="export"),
    path("skp/<int:plan_id>/pdf/", views.plan_pdf, name="plan-pdf"),
]
urlpatterns += [
    path("skp/<int:plan_id>/evaluation/pdf/", views.evaluation_pdf, name="evaluation-pdf"),
]
urlpatterns += [
    path("daily/", views.daily_log, name="daily-log"),
    path("daily/verify/", views.daily_log_verify, name="daily-log-verify"),
    path("daily/<int:log_id>/evidence/", views.daily_log_evidence, name="daily-log-evidence"),
]
urlpatterns += [
    path("bulk/", views.bulk_supervisor, name="bulk"),
    path("bulk/open/", views.bulk_open, name="bulk-open"),
]
urlpatterns += [
    path("years/<int:year>/close/", views.year_close, name="year-close"),
]
urlpatterns += [
    path("rewards-sanctions/bulk/", views.bulk_rewards_sanctions, name="bulk-rewards-sanctions"),
    path("templates/", views.plan_template_list, name="plan-templates"),
]
