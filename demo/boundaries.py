"""Outlines of the demo areas (demo/area_boundaries.geojson), so that `make run` shows the "Where"
page's map. The shapes are drawn by hand around each kelurahan's place: illustrative, not survey
boundaries. Loaded through the same service as a supervisor's upload; kept when already there."""

from pathlib import Path

from demo.accounts import refuse_in_production
from events.models import AreaBoundary
from events.services import boundaries

FILE = Path(__file__).with_name("area_boundaries.geojson")


def load(stdout):
    refuse_in_production()
    if AreaBoundary.objects.exists():
        stdout.write(f"Area outlines: {AreaBoundary.objects.count()} kept.\n")
        return
    parsed = boundaries.load(FILE.read_bytes(), None)
    stdout.write(f"Area outlines: {len(parsed.outlines)} loaded from {FILE.name}.\n")
