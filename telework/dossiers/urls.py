from django.urls import path

from telework.dossiers import desks, import_views, quality_views, views

app_name = "dossiers"
urlpatterns = [
    path("rate/", views.rate, name="rate"),
    path("rate/desk/<str:token>/", views.rate, name="rate_desk"),
    path("dossiers/desks/", desks.desk_list, name="desks"),
    path("dossiers/desks/<int:pk>/card/", desks.desk_card_issue, name="desk_card_issue"),
    path("dossiers/desks/<int:pk>/card.pdf", desks.desk_card_pdf, name="desk_card_pdf"),
    path("dossiers/desks/<int:pk>/slips.pdf", desks.desk_slips_pdf, name="desk_slips_pdf"),
    path("dossiers/quality/", quality_views.quality, name="quality"),
    path("dossiers/import/", import_views.import_start, name="import"),
    path("dossiers/import/columns/", import_views.import_columns, name="import_columns"),
    path("dossiers/import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("dossiers/import/done/<int:pk>/", import_views.import_done, name="import_done"),
    path("dossiers/import/history/", import_views.import_history, name="import_history"),
    path("dossiers/import/template/<str:kind>.xlsx", import_views.import_template, name="import_template"),
]
