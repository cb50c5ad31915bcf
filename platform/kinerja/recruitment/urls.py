from django.urls import path

from kinerja.recruitment import views

app_name = "recruitment"
urlpatterns = [
    path("", views.opening_list, name="opening-list"),
    path("new/", views.opening_create, name="opening-create"),
    path("<int:pk>/", views.opening_detail, name="opening"),
    path("<int:pk>/applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("stages/<int:pk>/", views.stage_detail, name="stage"),
    path("stages/<int:pk>/export.<str:fmt>", views.stage_export, name="stage-export"),
    path("stages/<int:pk>/rules/", views.stage_rules, name="stage-rules"),
    path("stages/<int:pk>/panel/", views.stage_panel, name="stage-panel"),
    path("stages/<int:pk>/scores/<int:application_id>/", views.stage_scores, name="stage-scores"),
    path("stages/<int:pk>/correct/<int:application_id>/", views.stage_correct, name="stage-correct"),
    path("objections/<int:pk>/", views.objection_detail, name="objection"),
    path("assess/", views.assess, name="assess"),
    path("assess/<int:pk>/", views.assess_stage, name="assess-stage"),
    path("assess/<int:pk>/<int:application_id>/", views.assess_sheet, name="assess-sheet"),
]
