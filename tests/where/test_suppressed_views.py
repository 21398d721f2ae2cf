"""Counts of tips that leave the tip's scope show no count from 1 to 4: the dashboard's tip figures,
the monthly report's summaries (read back with openpyxl), the Where page and its pictures."""

import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from reporting.exports.jobs import request_export
from reporting.tips.models import Tip
from tests.exports.helpers import sheet_values, workbook_of
from tests.factories import AreaFactory, TipFactory

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SMALL = {1, 2, 3, 4}


@pytest.fixture
def few_tips(site_setup):
    """Tips in three areas, most in numbers small enough to point at a family."""
    areas = [AreaFactory(name=name) for name in ("Sukamaju", "Cibeunying", "Sepi")]
    for area, category, status, count in (
        (areas[0], Tip.Category.TPPO, Tip.Status.RECEIVED, 3),
        (areas[0], Tip.Category.FOREIGNER, Tip.Status.RECEIVED, 9),
        (areas[1], Tip.Category.PMI_NON_PROCEDURAL, Tip.Status.VERIFYING, 1),
        (areas[1], Tip.Category.TPPO, Tip.Status.RECEIVED, 6),
        (areas[2], Tip.Category.OTHER, Tip.Status.CLOSED, 2),
    ):
        TipFactory.create_batch(count, area=area, category=category, status=status)
    return areas


def texts_of(page, start, end):
    part = page[page.index(start) :]
    part = part[: part.index(end)]
    return [text.strip() for text in re.findall(r">([^<>]*)<", part) if text.strip()]


def test_the_dashboard_tip_figures_show_no_small_count(client, supervisor, few_tips, assert_page):
    client.force_login(supervisor)
    page = assert_page(client.get("/admin/"), "Laporan bulan ini", "&lt; 5")
    tips_panel = texts_of(page, "Laporan bulan ini", "</section>")
    numbers = [text for text in tips_panel if text.isdigit()]
    assert numbers and not [n for n in numbers if int(n) in SMALL]
    assert "21" in numbers  # the month's total: shown, the small cells protected around it
    area_panel = texts_of(page, "Per wilayah bulan ini", "</table>")
    rows = {
        area_panel[i]: area_panel[i + 3]
        for i in range(len(area_panel) - 3)
        if area_panel[i] in {"Sukamaju", "Cibeunying", "Sepi"}
    }
    # Tips per area: 12, 7, 2: the 2 hidden, and the 7 too (their sum is the month's total).
    assert rows == {"Sukamaju": "12", "Cibeunying": "*", "Sepi": "&lt; 5"}


def test_the_monthly_report_summaries_show_no_small_count(supervisor, few_tips):
    month = timezone.localdate(timezone=WIB).strftime("%Y-%m")
    workbook = workbook_of(request_export(supervisor, "monthly", {"month": month}))
    summary = sheet_values(workbook["Ringkasan"])
    tip_start = summary[0].index("Laporan")
    tip_cells = [value for row in summary[1:] for value in row[tip_start:]]
    assert "< 5" in tip_cells and "*" in tip_cells
    assert not [value for value in tip_cells if isinstance(value, int) and value in SMALL]
    # The total row is shown (21 tips), and no row or column gives a hidden count back.
    assert summary[-1][tip_start] == 21
    for row in summary[1:]:
        tips = row[tip_start:]
        categories, statuses = tips[1:5], tips[5:]
        for split in (categories, statuses):
            if isinstance(tips[0], int):
                assert sum(isinstance(value, str) for value in split) != 1, row


def test_a_tip_list_inside_the_officers_scope_is_not_suppressed(client, officer, site_setup, assert_page):
    """Suppression is for counts leaving the tip's scope: an officer's own tips list shows its tips."""
    area = AreaFactory(name="Kapuk", officers=[officer])
    TipFactory.create_batch(2, area=area, received_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(officer)
    page = assert_page(client.get(f"/admin/laporan/?area={area.pk}"))
    assert page.count("Ada perekrut") == 2


def test_the_monthly_report_to_share_holds_the_summaries_only(supervisor, few_tips):
    """The data sheets list every tip: counted, they give back what the summaries hide. The report
    chosen for sharing outside the office goes without them."""
    month = timezone.localdate(timezone=WIB).strftime("%Y-%m")
    job = request_export(supervisor, "monthly", {"month": month, "contents": "summaries"})
    workbook = workbook_of(job)
    assert workbook.sheetnames == ["Ringkasan", "Per sesi", "Per RW", "Kasus"]
    summary = sheet_values(workbook["Ringkasan"])
    tip_start = summary[0].index("Laporan")
    assert not [v for row in summary[1:] for v in row[tip_start:] if isinstance(v, int) and v in SMALL]
