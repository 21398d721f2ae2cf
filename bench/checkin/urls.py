from django.urls import path

from bench.checkin import views
from pimpasa.urls import urlpatterns as site_urlpatterns

urlpatterns = [path("bench/bare-insert/", views.bare_insert), *site_urlpatterns]
