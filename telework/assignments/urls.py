from django.urls import path

from telework.assignments import views

app_name = "assignments"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("assign/", views.assign, name="assign"),
    path("propose/", views.propose, name="propose"),
    path("legal-due/", views.legal_due_preview, name="legal_due"),
    path("board/", views.board, name="board"),
    path("reports/", views.reports, name="reports"),
    path("reports/new/", views.report_new, name="report_new"),
    path("reports/preview/", views.report_preview, name="report_preview"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("files/<int:pk>/", views.download, name="download"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/attach/", views.attach, name="attach"),
    path("<int:pk>/apology-slip/", views.apology_slip, name="apology_slip"),
    path("<int:pk>/start/", views.act, {"action": "start"}, name="start"),
    path("<int:pk>/submit/", views.act, {"action": "submit"}, name="submit"),
    path("<int:pk>/accept/", views.act, {"action": "accept"}, name="accept"),
    path("<int:pk>/return/", views.act, {"action": "return"}, name="return"),
    path("<int:pk>/cancel/", views.act, {"action": "cancel"}, name="cancel"),
    path("<int:pk>/accept-proposal/", views.act, {"action": "accept_proposal"}, name="accept_proposal"),
    path("<int:pk>/decline-proposal/", views.act, {"action": "decline_proposal"}, name="decline_proposal"),
]
