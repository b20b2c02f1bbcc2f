"""The site's URLs plus a view that fails, to see the 500 page (used with ``pytest.mark.urls``)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler403, handler404, handler500
from config.urls import urlpatterns as site_urlpatterns


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [path("failing/", failing_view), *site_urlpatterns]
__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
