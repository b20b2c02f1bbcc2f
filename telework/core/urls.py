from django.urls import path

from telework.core import health, views

app_name = "core"
urlpatterns = [
    # Answered by telework.core.health.HealthCheckMiddleware before any other middleware; listed so the paths resolve.
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
]
