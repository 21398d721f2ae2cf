from django.urls import path

from reporting import tip_views

app_name = "tips"

urlpatterns = [
    path("", tip_views.report, name="report"),
    path("tanda-terima/", tip_views.receipt, name="receipt"),
    path("status/", tip_views.status, name="status"),
]
