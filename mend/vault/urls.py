from __future__ import annotations

from django.urls import path

from mend.vault import views

app_name = "vault"
urlpatterns = [
    path("", views.record_list, name="list"),
    path("new/", views.new_record, name="new"),
    path("<uuid:record_id>/", views.record_detail, name="record"),
    path("<uuid:record_id>/edit/", views.edit_record, name="edit"),
    path("<uuid:record_id>/print/", views.print_record, name="print"),
    path("print/", views.print_all, name="print_all"),
    path("export/", views.export, name="export"),
    path("import/", views.import_bundle, name="import"),
    path("check-receipt/", views.check_receipt, name="check_receipt"),
]
