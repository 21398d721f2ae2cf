from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("<str:token>/", views.agency_page, name="agency"),
    path("<str:token>/diterima/", views.acknowledge, name="acknowledge"),
    path("<str:token>/hasil/", views.outcome, name="outcome"),
    path("<str:token>/bukti/<uuid:evidence_id>/", views.evidence, name="evidence"),
]
