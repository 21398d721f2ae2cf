import os

from django.core.wsgi import get_wsgi_application

# A WSGI server is a production deployment unless told otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pimpasa.settings.production")

application = get_wsgi_application()

from pimpasa import startup  # noqa: E402 (needs Django set up)

startup.settle_loaded_objects()
