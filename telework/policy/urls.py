from django.http import HttpResponse
from django.urls import path

app_name = "policy"


def _placeholder(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("being built")


urlpatterns = [
    path("pilots/", _placeholder, name="pilots"),
    path("policies/", _placeholder, name="policies"),
]
