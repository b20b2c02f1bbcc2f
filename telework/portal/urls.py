from django.urls import path

from telework.portal import audit_views, preferences, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("check-in/", views.check_in, name="check_in"),
    path("check-out/", views.check_out, name="check_out"),
    path("audit/", audit_views.audit_search, name="audit"),
    path("audit/entries/<int:event_id>/", audit_views.audit_event, name="audit_event"),
    path("audit/<str:object_type>/<str:object_id>/", audit_views.audit_for_object, name="audit_object"),
    path("preferences/", preferences.preferences, name="preferences"),
]
