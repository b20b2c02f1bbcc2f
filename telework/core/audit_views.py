from django.http import HttpRequest, HttpResponse


def audit_search(request: HttpRequest) -> HttpResponse:
    return HttpResponse("audit search (being built)")


def audit_for_object(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    return HttpResponse("audit for object (being built)")
