from django.urls import path

from telework.rosters import views

app_name = "rosters"
urlpatterns = [
    path("", views.week, name="week"),
    path("generate/", views.generate, name="generate"),
    path("seats/", views.seats, name="seats"),
    path("today/", views.today, name="today"),
    path("swaps/", views.swaps, name="swaps"),
    path("swaps/<int:pk>/<str:action>/", views.swap_act, name="swap_act"),
    path("leave/", views.leave, name="leave"),
    path("leave/<int:pk>/cancel/", views.leave_cancel, name="leave_cancel"),
    path("leave/mine/", views.leave_mine, name="leave_mine"),
    path("leave/requests/<int:pk>/<str:action>/", views.leave_request_act, name="leave_request_act"),
    path("events/", views.events, name="events"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("city/", views.city, name="city"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("<int:pk>/", views.version, name="version"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/cell/", views.cell, name="cell"),
    path("<int:pk>/swap/", views.swap_new, name="swap_new"),
    path("<int:pk>/export/<str:kind>/", views.export, name="export"),
]
