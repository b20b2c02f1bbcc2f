from django.urls import path  # noqa: F401

app_name = "organization"
urlpatterns: list = []  # type: ignore[type-arg]
