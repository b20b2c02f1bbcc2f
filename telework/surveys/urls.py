from django.urls import path

from telework.surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.home, name="home"),
    path("s/<str:token>/", views.public_survey, name="public"),
    path("pulse/<int:pk>/", views.pulse, name="pulse"),
    path("campaigns/new/", views.campaign_new, name="campaign_new"),
    path("campaigns/<int:pk>/", views.campaign, name="campaign"),
    path("campaigns/<int:pk>/targets/<int:place_pk>/", views.campaign_target, name="campaign_target"),
    path("campaigns/<int:pk>/qr/<int:place_pk>.pdf", views.campaign_qr, name="campaign_qr"),
    path("waves/new/", views.wave_new, name="wave_new"),
    path("waves/<int:pk>/", views.wave, name="wave"),
]
