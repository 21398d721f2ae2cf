"""What a web process does once Django is loaded, before its first request (pimpasa/wsgi.py).

Python's garbage collector walks every object of its oldest generation on each full collection. A
web process holds about 250,000 objects from importing Django, Wagtail and the apps, and they live
as long as it does: a full collection in the middle of a request took 180 ms of the tips list's
slowest requests at a national office's volume (docs/benchmarks.md). `gc.freeze()` moves them to a
permanent generation the collector never walks, so a full collection looks only at what requests made.
"""

import gc
from importlib import import_module

from django.conf import settings


def settle_loaded_objects():
    # The URLconf imports every app's views and Wagtail's admin: loaded now, not by the first request,
    # so that they are frozen too.
    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()
