"""The project's URLs plus one view that fails, to see the 500 page as a visitor would."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from pimpasa.urls import handler400, handler500  # noqa: F401
from pimpasa.urls import urlpatterns as project_urlpatterns


def broken_view(request):
    raise RuntimeError("deliberate failure for the 500 page test")


urlpatterns = [
    *i18n_patterns(path("rusak/", broken_view), prefix_default_language=False),
    *project_urlpatterns,
]
