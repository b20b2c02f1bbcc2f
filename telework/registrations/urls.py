from django.urls import path

from telework.registrations import views

app_name = "registrations"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("new/check/", views.check, name="check"),
    path("eligibility/", views.eligibility, name="eligibility"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/decide/", views.inbox_decide, name="inbox_decide"),
    path("overview/", views.overview, name="overview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/edit/check/", views.edit_check, name="edit_check"),
    path("<int:pk>/approve/", views.act, {"action": "approve"}, name="approve"),
    path("<int:pk>/reject/", views.act, {"action": "reject"}, name="reject"),
    path("<int:pk>/request-changes/", views.act, {"action": "request_changes"}, name="request_changes"),
    path("<int:pk>/revoke/", views.act, {"action": "revoke"}, name="revoke"),
    path("<int:pk>/withdraw/", views.act, {"action": "withdraw"}, name="withdraw"),
]
