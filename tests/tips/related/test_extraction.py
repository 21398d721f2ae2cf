"""What the worker reads in a tip's words: phone numbers in every Indonesian spelling, names after a
form of address, organisations after a legal form whatever their spacing and case, addresses; and
what it must not read (the office's hotline, common words, roles such as "Pak RT")."""

from reporting.tips.related.services import extraction
from reporting.tips.related.services.extraction import ADDRESS, NAME, ORGANISATION, PHONE


def kinds(found):
    return {(each.kind, each.value) for each in found}


def test_every_spelling_of_one_mobile_number_is_one_number():
    spellings = ["0812-3456-7890", "+62 812 3456 7890", "6281234567890", "0812 3456 7890", "(0812) 3456-7890"]
    for spelling in spellings:
        text = f"Dia minta transfer, WA ke {spelling} ya."
        assert extraction.phone_numbers(text) == ["+6281234567890"], spelling


def test_dates_amounts_and_id_numbers_are_not_phone_numbers():
    text = "Tgl 12-05-2024 bayar Rp 15.000.000, NIK 3201234567890001, jam 10.30."
    assert extraction.phone_numbers(text) == []


def test_the_offices_own_hotline_is_never_taken():
    text = "Saya sudah telepon hotline imigrasi (021) 5797 2016 lalu calo 0813 1111 2222."
    assert extraction.phone_numbers(text, stop={"+622157972016"}) == ["+6281311112222"]


def test_one_organisation_whatever_its_spacing_dots_and_case():
    written = [
        "Direkrut PT Maju Jaya Abadi untuk ke Malaysia.",
        "kata orang PT. MAJU JAYA ABADI yang ngurus",
        "pt maju jaya abadi menjanjikan gaji besar",
        "Kantornya P.T. Maju  Jaya-Abadi di pasar.",
    ]
    for text in written:
        _people, organisations = extraction.names_and_organisations(text)
        assert organisations == ["majujayaabadi"], text


def test_agencies_foundations_and_training_centres_are_organisations():
    _people, organisations = extraction.names_and_organisations(
        "Dari LPK Bina Karya, lalu Yayasan Harapan Bunda dan CV Sinar Terang, agen Sumber Rejeki."
    )
    assert organisations == ["binakarya", "harapanbunda", "sinarterang", "sumberrejeki"]


def test_names_follow_a_form_of_address_and_roles_name_nobody():
    people, _organisations = extraction.names_and_organisations(
        "Pak Budi Santoso datang dengan Bu RT dan Pak Lurah. Sponsornya bernama Agus. pak joko bilang aman."
    )
    assert people == ["budisantoso", "agus", "joko"]


def test_common_words_are_not_names_or_organisations():
    people, organisations = extraction.names_and_organisations(
        "Ada yang menawarkan kerja ke luar negeri. Pak, tolong dibantu. PT yang resmi katanya."
    )
    assert people == [] and organisations == []


def test_who_is_involved_lists_people_and_organisations():
    people, organisations = extraction.people_listed("Budi (sponsor), PT MAJU-JAYA, Ibu Sari dan Joko Susilo")
    assert set(people) == {"budi", "sari", "jokosusilo"} and organisations == ["majujaya"]


def test_addresses_with_a_number_and_rt_rw():
    assert extraction.addresses("Jl. Melati No. 12, RT 03/RW 05") == ["street:melati:12", "rtrw:3:5"]
    assert extraction.addresses("jalan melati nomor 12 rt.3 rw.5") == ["street:melati:12", "rtrw:3:5"]


def test_a_tip_in_full_and_a_tip_with_nothing_to_compare():
    found = extraction.found_in(
        texts=["Pak Heru dari PT Maju Jaya, WA 0812-3456-7890, kantornya Jl. Melati No. 12."],
        people_involved="",
        address="",
        area_id=7,
        rw="05",
    )
    assert kinds(found) == {
        (PHONE, "+6281234567890"),
        (ORGANISATION, "majujaya"),
        (NAME, "heru"),
        (ADDRESS, "street:melati:12"),
        (ADDRESS, "7:rw:5"),
    }
    assert extraction.found_in(texts=["Ada yang aneh di sini, tolong dicek."]) == []
