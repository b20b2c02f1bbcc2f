from django.urls import path

from telework.policy import views

app_name = "policy"
urlpatterns = [
    path("pilots/", views.pilots, name="pilots"),
    path("pilots/new/", views.pilot_create, name="pilot_create"),
    path("pilots/scope-options/", views.pilot_scope_options, name="pilot_scope_options"),
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot_detail"),
    path("pilots/<int:pk>/edit/", views.pilot_edit, name="pilot_edit"),
    path("policies/", views.policies, name="policies"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policies/city/new/", views.policy_city_new, name="policy_city_new"),
    path("policies/preset/", views.policy_preset, name="policy_preset"),
    path("policies/override/new/", views.policy_override_new, name="policy_override_new"),
    path("policies/override/units/", views.override_units, name="override_units"),
    path("switches/staff-lookup/", views.switch_staff_lookup, name="switch_staff_lookup"),
    path("switches/changes/<int:pk>/", views.switch_progress, name="switch_progress"),
    path("switches/<str:kind>/", views.switch_change, name="switch_change"),
]
