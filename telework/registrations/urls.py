from django.urls import path  # noqa: F401

app_name = "registrations"
urlpatterns: list = []  # type: ignore[type-arg]
