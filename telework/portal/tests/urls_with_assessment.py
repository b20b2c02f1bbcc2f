"""The project's URLs plus a stand-in pilot-assessment dashboard (``assessment:dashboard``), for the test that the
leadership's home links to it once it exists."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

assessment_patterns = ([path("", lambda request: HttpResponse("dashboard"), name="dashboard")], "assessment")

urlpatterns = [path("assessment/", include(assessment_patterns)), *project_urlpatterns]
