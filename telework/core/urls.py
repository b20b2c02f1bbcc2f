from django.urls import path

from telework.core import audit_views, views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("audit/", audit_views.audit_search, name="audit"),
    path("audit/entries/<int:event_id>/", audit_views.audit_event, name="audit_event"),
    path("audit/<str:object_type>/<str:object_id>/", audit_views.audit_for_object, name="audit_object"),
]
