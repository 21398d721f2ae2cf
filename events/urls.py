from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("<int:pk>/hadir/", views.checkin, name="checkin"),
    path("<int:pk>/kalender.ics", views.session_ics, name="ics"),
]
