from django.urls import path

from telework.staffing import views

app_name = "staffing"
urlpatterns = [
    path("", views.index, name="index"),
    path("rounds/new/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/aggregate/", views.round_aggregate, name="round_aggregate"),
    path("rounds/<int:pk>/close/", views.round_close, name="round_close"),
    path("rounds/<int:pk>/export.xlsx", views.round_xlsx, name="round_xlsx"),
    path("rounds/<int:pk>/export.pdf", views.round_pdf, name="round_pdf"),
    path("rows/<int:pk>/fill/", views.row_fill, name="row_fill"),
    path("rows/<int:pk>/sign-off/", views.row_sign_off, name="row_sign_off"),
    path("rows/<int:pk>/decide/", views.row_decide, name="row_decide"),
]
