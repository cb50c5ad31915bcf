from django.urls import path

from kinerja.pay import views

app_name = "pay"
urlpatterns = [
    path("", views.home, name="home"),
    path("runs/<int:pk>/", views.run_detail, name="run-detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run-progress"),
    path("runs/<int:pk>/corrections/", views.run_corrections, name="run-corrections"),
    path("runs/<int:pk>/payslip-archive/", views.run_payslip_archive, name="run-payslip-archive"),
    path("runs/<int:pk>/<str:action>/", views.run_action, name="run-action"),
    path("runs/<int:pk>/export/register.xlsx", views.run_register, name="run-register"),
    path("runs/<int:pk>/export/transfer.csv", views.run_bank_file, name="run-bank-file"),
    path("runs/<int:pk>/export/payslips.zip", views.run_payslips, name="run-payslips"),
    path("runs/<int:pk>/diff/<int:other>/", views.run_diff, name="run-diff"),
    path("results/<int:pk>/", views.result_detail, name="result-detail"),
    path("results/<int:pk>/diff/<int:other>/", views.result_diff, name="result-diff"),
    path("results/<int:pk>/payslip.pdf", views.result_payslip, name="result-payslip"),
    path("attendance/", views.attendance_page, name="attendance"),
    path("attendance/imports/<int:pk>/", views.attendance_import, name="attendance-import"),
    path("attendance/correct/", views.attendance_correct, name="attendance-correct"),
    path("service-targets/", views.service_targets_page, name="service-targets"),
    path("service-targets/imports/<int:pk>/", views.service_target_import, name="service-target-import"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("settings/", views.settings_update, name="settings"),
    path("settings/named-pay/", views.named_pay_update, name="named-pay"),
    path("transparency/", views.transparency, name="transparency"),
    path("bank-accounts/", views.bank_accounts_page, name="bank-accounts"),
    path("verify/<str:code>/", views.verify_payslip, name="verify-payslip"),
    path("history/", views.history_page, name="history"),
    path("history/<int:employee_id>/", views.history_page, name="history-of"),
    path("annual/", views.annual_summary_page, name="annual-summary"),
    path("annual/<int:year>/export.xlsx", views.annual_summary_export, name="annual-summary-export"),
]
