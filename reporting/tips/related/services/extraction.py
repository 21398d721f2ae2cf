"""What a tip's text says that another tip may say too: phone numbers, people's names, company or
agency names and addresses (street and number, RT/RW), each as a normalised value.

No heavy language processing: phone numbers are found by phonenumbers' matcher (region ID, so
0812-3456-7890, +62 812 3456 7890, 62812... and 0812 3456 7890 are one number); names follow a form of
address ("Pak", "Bu", "Mas", "bernama", ...) and organisations a legal form or kind ("PT", "CV", "LPK",
"Yayasan", "agen", ...); the name is the run of capitalised words after it, or, in text typed all in
lower case, the words up to a common word or punctuation. Values are normalised (case, accents, dots
and spacing folded), so "PT. Maju Jaya", "pt maju  jaya" and "PT MAJU-JAYA" are one organisation.

The values returned here are plain text: the caller keeps only their keyed fingerprints
(reporting.tips.related.services.fingerprints), never the values.
"""

import re
import unicodedata
from dataclasses import dataclass

import phonenumbers

PHONE, NAME, ORGANISATION, ADDRESS, PHOTO = "phone", "name", "organisation", "address", "photo"

# How much one shared value says that two tips are about the same thing (see services.related).
STRONG, MEDIUM, WEAK = 3, 2, 1

# A legal form or kind of organisation, folded: what comes after it is the organisation's name.
ORGANISATION_WORDS = {
    "pt",
    "cv",
    "lpk",
    "yayasan",
    "ud",
    "koperasi",
    "p3mi",
    "pptkis",
    "pjtki",
    "blk",
    "agen",
    "agency",
    "agensi",
    "travel",
    "biro",
    "kantor",
    "lembaga",
    "perusahaan",
    "firma",
}
# A form of address or a phrase that introduces a person: what comes after it is a name.
PERSON_WORDS = {
    "pak",
    "bapak",
    "bpk",
    "bu",
    "ibu",
    "mas",
    "mbak",
    "mba",
    "bang",
    "abang",
    "kak",
    "om",
    "tante",
    "koh",
    "cik",
    "sdr",
    "sdri",
    "saudara",
    "saudari",
    "mr",
    "mrs",
    "ms",
    "madam",
    "mister",
    "haji",
    "hj",
    "bernama",
    "namanya",
    "sponsor",
    "calo",
    "tekong",
    "perekrut",
}
PERSON_PHRASES = (("atas", "nama"), ("a", "n"), ("nama", "nya"))
# Common words that end a name typed in lower case, and words that are never a name by themselves
# (titles, places, roles): "Pak RT", "Bu Bidan", "PT yang", "agen resmi" name nobody.
STOP_WORDS = {
    "ada",
    "adalah",
    "agar",
    "akan",
    "aku",
    "atau",
    "bahwa",
    "bahkan",
    "banyak",
    "baru",
    "belum",
    "berangkat",
    "bilang",
    "bisa",
    "bukan",
    "dan",
    "dari",
    "datang",
    "dengan",
    "di",
    "dia",
    "dijanjikan",
    "dulu",
    "gaji",
    "ingin",
    "itu",
    "jadi",
    "janji",
    "juga",
    "kami",
    "kata",
    "katanya",
    "kabarnya",
    "ngaku",
    "ngakunya",
    "yg",
    "sy",
    "dgn",
    "utk",
    "orang",
    "warga",
    "tetangga",
    "teman",
    "nomor",
    "nomornya",
    "no",
    "wa",
    "hp",
    "telp",
    "mereka",
    "sering",
    "biasa",
    "tinggal",
    "rumah",
    "rumahnya",
    "ke",
    "kepada",
    "kerja",
    "ketika",
    "lagi",
    "lalu",
    "mau",
    "meminta",
    "menawarkan",
    "mengajak",
    "mengaku",
    "menjanjikan",
    "merekrut",
    "minta",
    "nya",
    "oleh",
    "pada",
    "para",
    "pernah",
    "punya",
    "saat",
    "saja",
    "sama",
    "sebagai",
    "sedang",
    "sejak",
    "sekarang",
    "selalu",
    "semua",
    "sendiri",
    "setelah",
    "sudah",
    "supaya",
    "tapi",
    "tetapi",
    "tidak",
    "untuk",
    "yang",
    "ya",
    # roles and places that follow "Pak"/"Bu" or "kantor" without naming anyone
    "rt",
    "rw",
    "lurah",
    "kades",
    "kepala",
    "camat",
    "bupati",
    "polisi",
    "bidan",
    "guru",
    "ustad",
    "ustadz",
    "imigrasi",
    "desa",
    "kelurahan",
    "kecamatan",
    "resmi",
    "tenaga",
    "luar",
    "negeri",
    "the",
    "and",
}
MAX_NAME_WORDS = 4
MIN_NAME_LETTERS = 3

_TOKEN = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*|[.,;:!?()\[\]\"/\n]", re.UNICODE)
_STREET = re.compile(
    r"\b(?:jl|jln|jalan|gg|gang|lorong|komplek|kompleks|perum|perumahan)\b\.?\s*"
    r"(?P<name>[a-z][a-z .'-]{1,40}?)\s*(?:,\s*)?\b(?:no|nomor|nomer|nmr)\b\.?\s*(?P<number>\d+[a-z]?)",
)
_RT_RW = re.compile(r"\brt\.?\s*(?P<rt>\d{1,3})\s*[/,]?\s*rw\.?\s*(?P<rw>\d{1,3})\b")


@dataclass(frozen=True)
class Found:
    """One value a tip says: its kind, the value normalised (kept only as a fingerprint) and how much
    sharing it says (STRONG, MEDIUM or WEAK)."""

    kind: str
    value: str
    weight: int


def fold(text):
    """Case-folded, accents removed, compatibility forms made plain."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def squeeze(words):
    """A name as one string of its letters and digits: spacing, dots and hyphens do not count."""
    return re.sub(r"[^\w]|_", "", fold(" ".join(words)))


# --- phone numbers ---------------------------------------------------------------------------------


def phone_numbers(text, stop=()):
    """Every valid phone number in `text`, in E.164 ("+6281234567890"), except those in `stop` (the
    office's own hotlines, which every resident may quote)."""
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text or "", "ID"):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if number not in stop and number not in found:
            found.append(number)
    return found


def normalise_phone(text):
    """One phone number typed in any spelling, in E.164; "" if it is not a valid number."""
    numbers = phone_numbers(text)
    return numbers[0] if numbers else ""


# --- names of people and organisations -------------------------------------------------------------


def _tokens(text):
    """The words of `text` (a word keeps inner dots and hyphens: "P.T.", "Maju-Jaya") and its
    punctuation, as (word as typed, folded)."""
    return [(token, fold(token)) for token in _TOKEN.findall(text or "")]


def _bare(folded):
    return re.sub(r"[.'’-]", "", folded)


def _is_word(token):
    return token[0].isalnum()


def _name_after(tokens, start, lower_case_words=MAX_NAME_WORDS):
    """The name that starts at tokens[start]: its capitalised words, or (typed in lower case) the
    words up to a common word or punctuation, at most `lower_case_words`; at most MAX_NAME_WORDS.
    [] when there is none."""
    words = []
    capitalised = None
    for raw, folded in tokens[start : start + MAX_NAME_WORDS]:
        bare = _bare(folded)
        if not _is_word(raw) or bare in STOP_WORDS or bare in ORGANISATION_WORDS or bare in PERSON_WORDS:
            break
        if bare.isdigit():
            break
        is_capital = raw[0].isupper()
        if capitalised is None:
            capitalised = is_capital
        elif capitalised and not is_capital:
            break
        if not capitalised and len(words) == lower_case_words:
            break
        words.append(raw)
    return words


def _past_dot(tokens, index):
    """After "PT." or "Bpk.": the name starts past the dot."""
    return index + 1 if index < len(tokens) and tokens[index][0] == "." else index


def _usable(words):
    letters = squeeze(words)
    return len(re.sub(r"\d", "", letters)) >= MIN_NAME_LETTERS and not (
        len(words) == 1 and _bare(fold(words[0])) in STOP_WORDS
    )


def names_and_organisations(text):
    """(people's names, organisations' names) that `text` introduces, normalised."""
    tokens = _tokens(text)
    people, organisations = [], []
    index = 0
    while index < len(tokens):
        _raw, folded = tokens[index]
        bare = _bare(folded)
        following = index + 1
        if bare in ORGANISATION_WORDS:
            following = _past_dot(tokens, following)
            words = _name_after(tokens, following)
            if words and _usable(words):
                value = squeeze(words)
                if value not in organisations:
                    organisations.append(value)
                index = following + len(words)
                continue
        elif bare in PERSON_WORDS or tuple(_bare(t[1]) for t in tokens[index : index + 2]) in PERSON_PHRASES:
            if tuple(_bare(t[1]) for t in tokens[index : index + 2]) in PERSON_PHRASES:
                following = index + 2
            following = _past_dot(tokens, following)
            # A person typed in lower case: a first name and perhaps one more ("pak joko susilo").
            words = _name_after(tokens, following, lower_case_words=2)
            if words and _usable(words):
                value = squeeze(words)
                if value not in people:
                    people.append(value)
                index = following + len(words)
                continue
        index += 1
    return people, organisations


def people_listed(text):
    """The "who is involved" field: entries separated by commas, semicolons, lines or "dan", each an
    organisation (after a legal form), a person (after a form of address, or one to three words)."""
    people, organisations = names_and_organisations(text)
    without_brackets = re.sub(r"\([^)]*\)", " ", text or "")
    for entry in re.split(r"[,;\n/]|\bdan\b|\s-\s", without_brackets):
        entry_tokens = [raw for raw, _folded in _tokens(entry) if _is_word(raw)]
        if not entry_tokens or len(entry_tokens) > 3:
            continue
        first = _bare(fold(entry_tokens[0]))
        if first in ORGANISATION_WORDS or first in PERSON_WORDS:
            continue  # found above with its name
        if any(_bare(fold(word)) in STOP_WORDS or any(ch.isdigit() for ch in word) for word in entry_tokens):
            continue
        if _usable(entry_tokens):
            value = squeeze(entry_tokens)
            if value not in people:
                people.append(value)
    return people, organisations


# --- addresses -------------------------------------------------------------------------------------


def normalise_rw(value):
    """ "05", "RW 5", "rw.005" -> "5"; "" when there is no number."""
    digits = re.sub(r"\D", "", str(value or ""))
    return str(int(digits)) if digits else ""


def addresses(text):
    """Street addresses with a house number ("Jl. Melati No. 12" = "jalan melati nomor 12") and
    RT/RW pairs ("RT 03/RW 05") in `text`, normalised."""
    folded = fold(text)
    found = []
    for match in _STREET.finditer(folded):
        name = re.sub(r"[^a-z0-9]", "", match.group("name"))
        if len(name) >= MIN_NAME_LETTERS:
            found.append(f"street:{name}:{match.group('number')}")
    for match in _RT_RW.finditer(folded):
        found.append(f"rtrw:{int(match.group('rt'))}:{int(match.group('rw'))}")
    return list(dict.fromkeys(found))


# --- a tip ------------------------------------------------------------------------------------------


def found_in(*, texts=(), people_involved="", address="", area_id=None, rw="", stop_phones=()):
    """Everything a tip says, as Found values: phone numbers (strong), organisations (medium), names
    (weak), street addresses (medium) and the RT/RW of an area (weak; an RW alone is too wide)."""
    found = []
    everything = [*texts, people_involved, address]
    for text in everything:
        for number in phone_numbers(text, stop_phones):
            found.append(Found(PHONE, number, STRONG))
    people, organisations = [], []
    for text in texts:
        more_people, more_organisations = names_and_organisations(text)
        people += more_people
        organisations += more_organisations
    listed_people, listed_organisations = people_listed(people_involved)
    people += listed_people
    organisations += listed_organisations
    found += [Found(ORGANISATION, value, MEDIUM) for value in organisations]
    found += [Found(NAME, value, WEAK) for value in people]
    places = []
    for text in [address, *texts]:
        places += addresses(text)
    for place in places:
        if place.startswith("street:"):
            found.append(Found(ADDRESS, place, MEDIUM))
        elif area_id is not None:
            found.append(Found(ADDRESS, f"{area_id}:{place}", WEAK))
    rw_number = normalise_rw(rw)
    if area_id is not None and rw_number:
        # The tip's own RW in its area, and any "RT x/RW y" it writes there, count once each.
        found = [each for each in found if not each.value.startswith(f"{area_id}:rw:")]
        found.append(Found(ADDRESS, f"{area_id}:rw:{rw_number}", WEAK))
    unique = {}
    for each in found:
        unique.setdefault((each.kind, each.value), each)
    return list(unique.values())
