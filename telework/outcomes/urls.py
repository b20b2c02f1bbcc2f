from django.urls import path

from telework.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("indicators/", views.indicator_dictionary, name="indicators"),
    path("units/", views.unit_choice, name="units"),
    path("units/<int:pk>/", views.unit_panel, name="unit"),
    path("units/<int:pk>/panel.xlsx", views.unit_panel_xlsx, name="unit_xlsx"),
]
