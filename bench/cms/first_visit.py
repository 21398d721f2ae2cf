"""The first visit after a publish: pictures rendered on request (before) or by the task worker when
the page was published (after, cms.renditions), against /healthz in the same process.

Builds a throw-away embedded-default installation (SQLite, database cache, demo content), then
publishes new materials, each with a new picture, and times the first anonymous GET of the home page
(which lists the new material's card) and of the material itself, both uncached (publishing empties
the page cache). "before" turns PIMPASA_RENDITIONS_AHEAD off, so the visitor's request renders the
AVIF/WebP/JPEG renditions; "after" runs the task the publish queued (as the worker would) before the
visit, and reports how long the worker took.

    .venv/bin/python bench/cms/first_visit.py --materials 3
"""

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.cms.run import prepare  # noqa: E402


def new_material(index, number):
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model

    from cms.models import MaterialPage
    from demo.site_content import picture_bytes

    colour = f"#{random.randrange(0x1000000):06x}"
    picture = ImageFile(io.BytesIO(picture_bytes(colour, f"Bench {number}")), name=f"bench-{number}.png")
    image = get_image_model().objects.create(title=f"Bench {number} {colour}", file=picture)
    page = index.add_child(
        instance=MaterialPage(
            title=f"Materi uji {number}",
            slug=f"materi-uji-{number}",
            intro="Materi baru untuk mengukur kunjungan pertama.",
            image=image,
            body=[{"type": "paragraph", "value": "<p>Isi.</p>"}],
        )
    )
    page.save_revision().publish()
    return page


def first_visits(client, urls):
    timings = {}
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        timings[url] = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
    return timings


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--materials", type=int, default=3, help="materials published per mode")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as var_dir:
        prepare(var_dir)
        from django.conf import settings
        from django.test import Client
        from wagtail.images.models import Rendition

        from cms import renditions
        from cms.models import MaterialIndexPage

        index = MaterialIndexPage.objects.get(locale__language_code="id")
        client = Client()
        client.get("/healthz")
        base = statistics.median(first_visits(client, ["/healthz"])["/healthz"] for _ in range(20))
        results = {}
        number = 0
        for mode in ("before", "after"):
            settings.PIMPASA_RENDITIONS_AHEAD = mode == "after"
            home, material, worker = [], [], []
            for _ in range(args.materials):
                number += 1
                page = new_material(index, number)
                if mode == "after":
                    started = time.perf_counter()
                    renditions.make_for_page(page.pk)  # what the queued task does in the worker
                    worker.append((time.perf_counter() - started) * 1000)
                made_before_visit = Rendition.objects.count()
                timings = first_visits(client, ["/", page.url])
                home.append(timings["/"])
                material.append(timings[page.url])
                made_by_visit = Rendition.objects.count() - made_before_visit
            results[mode] = (statistics.median(home), statistics.median(material), made_by_visit, worker)
        print(f"baseline /healthz: {base:.1f} ms")
        print("| mode | first `/` after publish ms | first material ms | renditions made by the visit |")
        print("|---|---|---|---|")
        for mode, (home_ms, material_ms, made, _worker) in results.items():
            print(f"| {mode} | {home_ms:.0f} | {material_ms:.0f} | {made} |")
        before, after = results["before"], results["after"]
        print(
            f"before/after: home {before[0] / after[0]:.1f}×, material {before[1] / after[1]:.1f}×; "
            f"after vs /healthz: home {after[0] / base:.1f}×, material {after[1] / base:.1f}×; "
            f"the worker's task took {statistics.median(after[3]):.0f} ms per material (median)"
        )


if __name__ == "__main__":
    main()
