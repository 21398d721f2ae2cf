"""Questions officers ask often, ready to put in the message box of a tip's page and then edit.

Written in Indonesian first, English second, in one message: the reporter reads whichever they
understand. They ask for details only, never for the reporter's identity (the reporter stays
anonymous unless they chose, with consent, to leave a contact on the tip form).
"""

from django.utils.translation import gettext_lazy as _

QUESTIONS = {
    "when": (
        _("When did it happen?"),
        "Kapan kejadian ini terjadi? Sebutkan tanggal atau perkiraan waktunya, misalnya “minggu lalu, "
        "Selasa sore”.",
        "When did this happen? Give the date or about when, for example “last week, Tuesday afternoon”.",
    ),
    "where": (
        _("Where exactly?"),
        "Di mana tepatnya? Sebutkan nama jalan, gang, RT/RW atau tempat yang dekat (warung, masjid, "
        "sekolah).",
        "Where exactly? Name the street, alley, RT/RW or a place nearby (a shop, a mosque, a school).",
    ),
    "photo": (
        _("Can you send a photo?"),
        "Apakah Anda bisa mengirim foto atau dokumen (misalnya brosur, pesan, tiket)? Lampirkan di halaman "
        "status laporan ini. Jangan ambil risiko untuk mendapatkannya.",
        "Can you send a photo or a document (a leaflet, a message, a ticket)? Attach it on this report's "
        "status page. Do not put yourself at risk to get it.",
    ),
}


def choices():
    return [("", _("Choose a common question"))] + [
        (key, label) for key, (label, _id, _en) in QUESTIONS.items()
    ]


def text(key):
    """The question in Indonesian, then in English; "" for an unknown key."""
    if key not in QUESTIONS:
        return ""
    _label, indonesian, english = QUESTIONS[key]
    return f"{indonesian}\n\n{english}"
