from django.urls import path

from telework.attendance import views

app_name = "attendance"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("check-in/", views.check_in, name="check_in"),
    path("check-out/", views.check_out, name="check_out"),
    path("reachability/", views.reachability, name="reachability"),
    path("board/", views.board, name="board"),
    path("timesheet/", views.timesheet, name="timesheet"),
    path("timesheet/export/", views.timesheet_export, name="timesheet_export"),
    path("correct/<int:staff_id>/<str:day>/", views.correct, name="correct"),
]
