from django.urls import path  # noqa: F401 - routes are added as the screens come

app_name = "staffing"
urlpatterns: list = []  # type: ignore[type-arg]
