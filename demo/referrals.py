"""Demo agencies for the embedded default (the TIMPORA partners of a Jakarta/Tangerang office), and one
demo tip referred to BP3MI and acknowledged, so the referral screens show real work on first run.
Idempotent. The addresses are invented (.invalid never delivers)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.accounts import refuse_in_production
from events.models import Area
from reporting.models import Agency, AgencyContact, Evidence, Tip
from reporting.referrals.services import referrals as services
from reporting.tips.services import codes

# name, kind, areas (demo area names; none = every area), e-mail addresses, WhatsApp
DEMO_AGENCIES = [
    ("BP3MI DKI Jakarta", Agency.Kind.BP3MI, [], ["pengaduan@bp3mi-jakarta.invalid"], "+6281100000001"),
    (
        "BP3MI Banten",
        Agency.Kind.BP3MI,
        ["Benda", "Jurumudi", "Pajang"],
        ["pengaduan@bp3mi-banten.invalid"],
        "",
    ),
    (
        "Polres Metro Tangerang Kota (Unit PPA)",
        Agency.Kind.POLRI,
        ["Benda", "Jurumudi", "Pajang"],
        ["ppa@polres-tangerang.invalid", "reskrim@polres-tangerang.invalid"],
        "",
    ),
    (
        "Disnaker Kota Jakarta Barat",
        Agency.Kind.DISNAKER,
        ["Cengkareng Timur"],
        ["pengaduan@disnaker-jakbar.invalid"],
        "",
    ),
    (
        "Dukcapil Kota Tangerang",
        Agency.Kind.DUKCAPIL,
        ["Benda", "Jurumudi", "Pajang"],
        ["layanan@dukcapil-tng.invalid"],
        "",
    ),
    (
        "KBRI Kuala Lumpur (Fungsi Pelindungan WNI)",
        Agency.Kind.KEMLU,
        [],
        ["pelindungan@kbri-kl.invalid"],
        "",
    ),
    (
        "Kelurahan Cengkareng Timur (Babinsa, Bhabinkamtibmas)",
        Agency.Kind.DESA,
        ["Cengkareng Timur"],
        ["kelurahan@cengkareng-timur.invalid"],
        "+6281100000002",
    ),
]
# The demo tip about a training centre holding passports (forwarded to BP3MI in demo/tips.py).
REFERRED_TIP_CODE = "DEM0-0000-0000-0004"


@transaction.atomic
def load(stdout):
    refuse_in_production()
    created = 0
    for name, kind, area_names, emails, whatsapp in DEMO_AGENCIES:
        agency, was_created = Agency.objects.get_or_create(
            name=name, defaults={"kind": kind, "whatsapp": whatsapp}
        )
        if was_created:
            agency.areas.set(Area.objects.filter(name__in=area_names))
            for order, email in enumerate(emails):
                AgencyContact.objects.create(agency=agency, email=email, sort_order=order)
            created += 1
    stdout.write(f"Demo agencies: {created} created, {len(DEMO_AGENCIES) - created} already there.")
    _demo_referral(stdout)


def _demo_referral(stdout):
    officer = get_user_model().objects.filter(username="petugas").first()
    tip = Tip.objects.filter(tracking_code_hash=codes.hash_code(REFERRED_TIP_CODE)).first()
    if officer is None or tip is None or tip.referrals.exists():
        return
    agency = Agency.objects.get(name="BP3MI Banten")
    sharing = services.Sharing(
        summary="LPK di ruko dekat terminal menahan paspor dan ijazah peserta yang ingin mundur dan meminta "
        "uang tebusan Rp5 juta. Mohon ditindaklanjuti sesuai kewenangan BP3MI.",
        evidence=list(tip.evidence.filter(state=Evidence.State.READY).exclude(file="")),
    )
    referral, _link = services.refer(tip, officer, agency, sharing)
    services.acknowledge(referral, "Rahmat (petugas pengaduan)")
    stdout.write(f"Demo referral: tip {tip.short_id} referred to {agency.name} and acknowledged.")
