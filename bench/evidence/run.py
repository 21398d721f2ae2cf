"""Benchmark: a tip with five large photos, before and after evidence cleaning left the web thread.

    .venv/bin/python bench/evidence/run.py [--repeat 3] [--side 7500] [--photos 5]

Five JPEGs of --side x --side pixels (7500 x 7500 is 56 MP, the largest the old 60 MP limit let
through), smooth gradients that weigh under 1 MB each (issue 21's five weighed 1 MB together; a JPEG
of 56 MP cannot be much smaller than 0.8 MB). Each contender runs in
a fresh subprocess on the same SQLite database, posting the real tip form through Django's test client
(the whole middleware stack, multipart parsing, the form, the service, storage):

- before: the form cleans every file while the resident waits, with the cleaning this project used
  until now (full decode, exif_transpose, re-encode at full size), kept verbatim below as
  `before_reencode_image`;
- after: today's path: header checks only in the request, the files queued for the worker (django-q
  with an ORM broker, not run inline); then, in the same process, the worker's part (clean_pending
  for each file), timed and measured separately.

Measured: the resident's wait (wall time of the POST), and the process's peak memory above what it
held just before the POST (VmHWM reset through /proc/self/clear_refs, read from /proc/self/status).
Each contender runs --repeat times, alternating; the fastest run counts for time, the largest peak
for memory. Linux only (/proc).
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def django_setup(database_url, private_root):
    os.environ["DATABASE_URL"] = database_url
    os.environ["PRIVATE_STORAGE_ROOT"] = str(private_root)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.evidence.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.PRIVATE_STORAGE_ROOT = Path(private_root)


def memory_mb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(field)


def reset_peak():
    Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS


def make_photos(folder, side, count):
    from PIL import Image

    gradient = Image.linear_gradient("L").resize((side, side))
    paths = []
    for number in range(count):
        picture = Image.merge(
            "RGB", (gradient, gradient.rotate(90), gradient.point(lambda v, n=number: (v + 40 * n) % 256))
        )
        path = folder / f"IMG_{number:04d}.jpg"
        picture.save(path, "JPEG", quality=30)
        paths.append(path)
    return paths


# --- the cleaning as it was before issue 21 (commit ddf7ea5), for the baseline ---------------------


def before_reencode_image(content, content_type, name):
    from PIL import Image, ImageOps

    from reporting.tips.services import evidence

    image_format = evidence.IMAGE_FORMATS[content_type]
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(io.BytesIO(content), formats=[image_format]) as image:
            if image.width * image.height > 60_000_000:
                raise Image.DecompressionBombError(f"{image.width}x{image.height}")
            image.load()
            upright = ImageOps.exif_transpose(image)
    if image_format == "JPEG" and upright.mode not in {"RGB", "L", "CMYK"}:
        upright = upright.convert("RGB")
    output = io.BytesIO()
    options = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {}}[image_format]
    upright.save(output, format=image_format, **options)
    return output.getvalue()


def before_prepare_all(uploaded_files):
    from reporting.tips.services import evidence

    prepared = []
    for uploaded in uploaded_files:
        name, content, content_type = evidence.receive(uploaded)
        content = before_reencode_image(content, content_type, name)
        prepared.append(evidence.PreparedFile(content, content_type, name))
    return prepared


# --- one contender in its own process --------------------------------------------------------------


def child(args):
    django_setup(args.database_url, args.private_root)
    if args.measure == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(json.dumps({}))
        return
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from reporting.tips.models import Evidence
    from reporting.tips.services import evidence

    if args.measure == "before":
        evidence.prepare_all = before_prepare_all
    photos = [Path(path) for path in args.photo]
    client = Client()
    client.get("/lapor/")  # templates, URL resolvers, lazy imports: not part of the wait
    data = {
        "category": "tppo",
        "description": "Calo menawarkan kerja ke Malaysia tanpa visa kerja; foto-foto terlampir.",
        "evidence": [SimpleUploadedFile(path.name, path.read_bytes(), "image/jpeg") for path in photos],
    }
    before_ids = set(Evidence.objects.values_list("pk", flat=True))
    baseline = memory_mb("VmRSS")
    reset_peak()
    started = time.perf_counter()
    response = client.post("/lapor/", data)
    seconds = time.perf_counter() - started
    peak = memory_mb("VmHWM") - baseline
    assert response.status_code == 302, response.content.decode()[:2000]
    items = Evidence.objects.exclude(pk__in=before_ids)
    result = {"seconds": seconds, "peak_mb": peak, "states": sorted(items.values_list("state", flat=True))}
    if args.measure == "after":
        baseline = memory_mb("VmRSS")
        reset_peak()
        started = time.perf_counter()
        for pk in items.values_list("pk", flat=True):
            evidence.clean_pending(str(pk))
        result["worker_seconds"] = time.perf_counter() - started
        result["worker_peak_mb"] = memory_mb("VmHWM") - baseline
        result["worker_states"] = sorted(items.values_list("state", flat=True))
    print(json.dumps(result))


def run_child(measure, database_url, private_root, photos):
    command = [sys.executable, __file__, "--child", measure, "--database-url", database_url]
    command += ["--private-root", str(private_root)]
    for photo in photos:
        command += ["--photo", str(photo)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--side", type=int, default=7500)
    parser.add_argument("--photos", type=int, default=5)
    parser.add_argument(
        "--child", dest="measure", choices=["migrate", "before", "after"], help=argparse.SUPPRESS
    )
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--private-root", help=argparse.SUPPRESS)
    parser.add_argument("--photo", action="append", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="pimpasa-bench-evidence-") as folder:
        folder = Path(folder)
        database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
        private_root = folder / "private"
        photos = make_photos(folder, args.side, args.photos)
        total = sum(path.stat().st_size for path in photos)
        print(
            f"{len(photos)} photos of {args.side}x{args.side} px, {total / 1024 / 1024:.2f} MB in all",
            flush=True,
        )
        run_child("migrate", database_url, private_root, [])
        runs = {"before": [], "after": []}
        for _round in range(args.repeat):
            for contender in ("before", "after"):
                result = run_child(contender, database_url, private_root, photos)
                runs[contender].append(result)
                print(f"  {contender}: {json.dumps(result)}", flush=True)
    before, after = runs["before"], runs["after"]
    wait_before = min(run["seconds"] for run in before)
    wait_after = min(run["seconds"] for run in after)
    peak_before = max(run["peak_mb"] for run in before)
    peak_after = max(run["peak_mb"] for run in after)
    worker_seconds = min(run["worker_seconds"] for run in after)
    worker_peak = max(run["worker_peak_mb"] for run in after)
    print()
    print("| | resident's wait | web process peak above idle | worker time | worker peak above idle |")
    print("|---|---:|---:|---:|---:|")
    print(f"| before (cleaned in the request) | {wait_before:.2f} s | {peak_before:.0f} MB | - | - |")
    print(
        f"| after (cleaned by the worker) | {wait_after:.2f} s | {peak_after:.0f} MB "
        f"| {worker_seconds:.2f} s | {worker_peak:.0f} MB |"
    )
    print(
        f"| ratio after/before | {wait_after / wait_before:.3f}x | {peak_after / max(peak_before, 1):.3f}x "
        f"| {worker_seconds / wait_before:.2f}x of the old wait | {worker_peak / max(peak_before, 1):.2f}x |"
    )


if __name__ == "__main__":
    main()
