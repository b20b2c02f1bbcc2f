from django.urls import path

from telework.dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("rate/", views.rate, name="rate"),
    path("rate/desk/<str:token>/", views.rate, name="rate_desk"),
]
