from django.http import HttpResponse
from django.urls import path

app_name = "registrations"


def _placeholder(request, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse("being built")


urlpatterns = [
    path("", _placeholder, name="mine"),
    path("new/", _placeholder, name="new"),
    path("eligibility/", _placeholder, name="eligibility"),
    path("inbox/", _placeholder, name="inbox"),
    path("overview/", _placeholder, name="overview"),
    path("<int:pk>/", _placeholder, name="detail"),
]
