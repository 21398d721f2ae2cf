"""A resident sends a tip with a large photo (cleaned by the worker, which the tests run inline after
the commit) and a large photo that turns out damaged when decoded: the receipt comes at once, the
officer sees the clean photo and, for the other, the reason it was refused; the resident reads that
reason on the status page, on a 360 px phone."""

import io

import pytest
from PIL import Image

from tests.factories import DEFAULT_PASSWORD, UserFactory


def photo(path, size, cut=0):
    output = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(output, "JPEG", comment=b"Budi Santoso")
    data = output.getvalue()
    path.write_bytes(data[: len(data) - cut])
    return path


@pytest.mark.django_db(transaction=True)
def test_a_large_photo_is_cleaned_after_the_receipt_and_a_damaged_one_is_explained(
    live_server, phone, desktop, tmp_path, settings, monkeypatch
):
    from pimpasa.roles import SUPERVISOR, ensure_roles
    from reporting.tips.models import Evidence
    from reporting.tips.services import evidence

    settings.PRIVATE_STORAGE_ROOT = tmp_path / "private"
    # Every photo counts as large here, so that these small ones take the worker's path.
    monkeypatch.setattr(evidence, "INLINE_PIXELS", 0)
    ensure_roles()
    UserFactory(username="supervisor-evidence", role=SUPERVISOR)

    phone.goto(f"{live_server.url}/lapor/")
    phone.locator("input[name=category][value=tppo]").check()
    phone.fill("#id_description", "Calo memotret paspor warga di balai RW 05.")
    phone.set_input_files(
        "#id_evidence",
        [
            str(photo(tmp_path / "IMG_0001.jpg", (1200, 900))),
            str(photo(tmp_path / "IMG_0002.jpg", (1200, 900), cut=3000)),
        ],
    )
    phone.get_by_role("button", name="Kirim laporan").click()
    phone.get_by_role("heading", name="Terima kasih, laporan Anda sudah kami terima").wait_for()
    code = phone.locator(".tip-code code").inner_text().strip()

    states = dict(Evidence.objects.values_list("original_name", "state"))
    assert states == {"IMG_0001.jpg": "ready", "IMG_0002.jpg": "refused"}
    kept = Evidence.objects.get(original_name="IMG_0001.jpg")
    with kept.file.open("rb") as handle:
        stored = handle.read()
    assert b"Budi Santoso" not in stored and Image.open(io.BytesIO(stored)).size == (1200, 900)

    # The resident reads why one photo was not kept.
    phone.goto(live_server.url + "/lapor/status/")
    phone.fill("#id_code", code)
    phone.get_by_role("button", name="Tampilkan status").click()
    reason = phone.locator(".alert--error", has_text="IMG_0002.jpg")
    reason.wait_for()
    assert "rusak dan tidak dapat dibuka sebagai gambar" in reason.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.screenshot(path=str(tmp_path / "status-360.png"), full_page=True)

    # The supervisor sees the clean photo and the reason for the other.
    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("#id_username", "supervisor-evidence")
    desktop.fill("#id_password", DEFAULT_PASSWORD)
    desktop.locator("button[type=submit]").click()
    desktop.wait_for_url(live_server.url + "/admin/")
    desktop.goto(f"{live_server.url}/admin/laporan/{kept.tip_id}/")
    main = desktop.locator("main").inner_text()
    assert "Ditolak setelah diunggah, tidak disimpan:" in main and "IMG_0002.jpg" in main
    assert desktop.locator('img[src^="/admin/laporan/evidence/"]').count() == 1
