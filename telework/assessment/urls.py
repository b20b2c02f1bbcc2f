from django.urls import path

from telework.assessment import estimate_views, views

app_name = "assessment"
urlpatterns = [
    path("phases/", views.phases, name="phases"),
    path("phases/<int:pk>/", views.phase_detail, name="phase_detail"),
    path("phases/<int:pk>/design/", views.design_wizard, name="design_wizard"),
    path("phases/<int:pk>/scope/", views.phase_scope, name="phase_scope"),
    path("phases/<int:pk>/launch/", views.phase_launch, name="phase_launch"),
    path("phases/<int:pk>/review/", views.phase_review, name="phase_review"),
    path("phases/<int:pk>/estimates/", estimate_views.phase_estimates, name="phase_estimates"),
    path("phases/<int:pk>/estimates/status/", estimate_views.phase_estimates_status, name="phase_estimates_status"),
    path("estimates/<int:pk>/inputs.csv", estimate_views.estimate_inputs, name="estimate_inputs"),
    path("phases/<int:pk>/report.<str:file_format>", estimate_views.review_report, name="review_report"),
    path("reports/yearly/", estimate_views.yearly_report, name="yearly_report"),
]
