from django.urls import path

from telework.organization.views import accounts, delegations, imports, staff, structure

app_name = "organization"
urlpatterns = [
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/export.xlsx", staff.staff_list_export, name="staff_list_export"),
    path("staff/new/", staff.staff_create, name="staff_create"),
    path("me/", staff.my_profile, name="my_profile"),
    path("staff/<str:code>/", staff.staff_detail, name="staff_detail"),
    path("staff/<str:code>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<str:code>/transfer/", staff.staff_transfer, name="staff_transfer"),
    path("staff/<str:code>/end/", staff.staff_end, name="staff_end"),
    path("staff/<str:code>/reinstate/", staff.staff_reinstate, name="staff_reinstate"),
    path("units/", structure.unit_tree, name="units"),
    path("positions/", structure.position_list, name="positions"),
    path("positions/<int:pk>/flags/", structure.position_flags, name="position_flags"),
    path("service-points/", structure.service_point_list, name="service_points"),
    path("service-points/new/", structure.service_point_create, name="service_point_create"),
    path("service-points/staff-options/", structure.service_point_staff_options, name="service_point_staff_options"),
    path("service-points/<int:pk>/edit/", structure.service_point_edit, name="service_point_edit"),
    path("import/", imports.import_start, name="import"),
    path("import/columns/", imports.import_columns, name="import_columns"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/staff.xlsx", imports.staff_export, name="staff_export"),
    path("import/done/<int:audit_id>/", imports.import_done, name="import_done"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("delegations/", delegations.delegation_list, name="delegations"),
    path("delegations/<int:pk>/cancel/", delegations.delegation_cancel, name="delegation_cancel"),
    path("accounts/", accounts.accounts_page, name="accounts"),
    path("accounts/<int:pk>/close/", accounts.account_close, name="account_close"),
    path("accounts/<int:pk>/reopen/", accounts.account_reopen, name="account_reopen"),
    path("accounts/<int:pk>/two-factor/reset/", accounts.account_reset_second_factor, name="account_reset_second_factor"),
]
