from django.urls import path

from telework.organization import views

app_name = "organization"
urlpatterns = [
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/<str:code>/", views.staff_detail, name="staff_detail"),
    path("units/", views.unit_tree, name="units"),
    path("positions/", views.position_list, name="positions"),
    path("positions/<int:pk>/flags/", views.position_flags, name="position_flags"),
    path("service-points/", views.service_point_list, name="service_points"),
    path("service-points/new/", views.service_point_create, name="service_point_create"),
    path("service-points/staff-options/", views.service_point_staff_options, name="service_point_staff_options"),
    path("service-points/<int:pk>/edit/", views.service_point_edit, name="service_point_edit"),
    path("import/", views.import_start, name="import"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
    path("import/done/<int:audit_id>/", views.import_done, name="import_done"),
    path("import/template.xlsx", views.import_template, name="import_template"),
]
