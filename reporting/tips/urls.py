from django.urls import path

from reporting.tips import views

app_name = "tips"

urlpatterns = [
    path("", views.report, name="report"),
    path("tanda-terima/", views.receipt, name="receipt"),
    path("status/", views.status, name="status"),
    path("tantangan/", views.challenge, name="challenge"),
]
