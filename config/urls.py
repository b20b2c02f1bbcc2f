from django.contrib import admin
from django.urls import include, path

from config.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
    path("", include("telework.core.urls")),
    path("", include("telework.portal.urls")),
    path("accounts/sso/", include("telework.organization.sso_urls")),
    path("accounts/", include("telework.accounts.urls")),
    path("organization/", include("telework.organization.urls")),
    path("policy/", include("telework.policy.urls")),
    path("registrations/", include("telework.registrations.urls")),
    path("work/", include("telework.assignments.urls")),
    path("rosters/", include("telework.rosters.urls")),
    path("attendance/", include("telework.attendance.urls")),
    path("evaluations/", include("telework.evaluations.urls")),
    path("", include("telework.dossiers.urls")),
    path("staffing/", include("telework.staffing.urls")),
    path("surveys/", include("telework.surveys.urls")),
    path("assessment/", include("telework.assessment.urls")),
    path("outcomes/", include("telework.outcomes.urls")),
]

# The error pages in the site's layout and the reader's language (telework.core.error_views).
handler403 = "telework.core.error_views.permission_denied"
handler404 = "telework.core.error_views.page_not_found"
handler500 = "telework.core.error_views.server_error"
