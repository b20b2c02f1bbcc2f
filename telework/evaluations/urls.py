from django.urls import path

from telework.evaluations import views

app_name = "evaluations"
urlpatterns = [
    path("", views.home, name="home"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/", views.period, name="period"),
    path("periods/<int:pk>/run/", views.period_act, {"action": "run"}, name="run"),
    path("periods/<int:pk>/start-review/", views.period_act, {"action": "start_review"}, name="start_review"),
    path("periods/<int:pk>/enforce-quota/", views.period_act, {"action": "enforce_quota"}, name="enforce_quota"),
    path("periods/<int:pk>/lock/", views.period_act, {"action": "lock"}, name="lock"),
    path("periods/<int:pk>/publish/", views.period_act, {"action": "publish"}, name="publish"),
    path("periods/<int:pk>/classification.xlsx", views.period_xlsx, name="period_xlsx"),
    path("periods/<int:pk>/units/<int:unit_id>/", views.unit_review, name="unit"),
    path("periods/<int:pk>/units/<int:unit_id>/confirm/", views.confirm_unit, name="confirm_unit"),
    path("periods/<int:pk>/organisations/", views.organisation_rate, name="organisation_rate"),
    path("appeals/", views.appeals, name="appeals"),
    path("criteria/", views.criteria, name="criteria"),
    path("criteria/<int:pk>/publish/", views.criteria_publish, name="criteria_publish"),
    path("agencies/<int:agency_id>/settings/", views.agency_settings, name="agency_settings"),
    path("<int:pk>/", views.evaluation, name="evaluation"),
    path("<int:pk>/result.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/self-assessment/", views.evaluation_act, {"action": "self_assess"}, name="self_assess"),
    path("<int:pk>/comment/", views.evaluation_act, {"action": "comment"}, name="comment"),
    path("<int:pk>/appeal/", views.evaluation_act, {"action": "appeal"}, name="appeal"),
    path("<int:pk>/appeal/decide/", views.evaluation_act, {"action": "decide_appeal"}, name="decide_appeal"),
]
