from django.urls import path

from reporting.tips import views
from reporting.tips.conversation import views as conversation_views

app_name = "tips"

urlpatterns = [
    path("", views.report, name="report"),
    path("tanda-terima/", views.receipt, name="receipt"),
    path("tanda-terima/<str:entry>.css", views.receipt_displayed, name="receipt_displayed"),
    path("status/", views.status, name="status"),
    path("status/jawab/", conversation_views.reply, name="reply"),
    path("status/<str:entry>.css", views.status_displayed, name="status_displayed"),
    path("tantangan/", views.challenge, name="challenge"),
]
