from django.http import HttpResponse
from django.urls import path

app_name = "organization"


def _placeholder(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("being built")


urlpatterns = [
    path("staff/", _placeholder, name="staff_list"),
]
