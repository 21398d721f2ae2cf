"""The reporter reads and answers by code on the status page: the conversation (never an officer's
name or an internal note), a "new" mark, a reply box and more evidence cleaned like the first; the
reply carries a one-view token, never the code; bad input keeps what was typed and saves nothing;
replies are limited per tip, per browser and per address; a closed tip takes nothing."""

import base64
import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from reporting.models import Evidence, Message
from reporting.tips.conversation import access
from reporting.tips.conversation import services as conversation
from reporting.tips.models import Tip
from reporting.tips.services import tips as tip_service
from reporting.tips.services.tips import Submission, submit_tip
from tests.factories import AreaFactory, UserFactory, gps_exif, image_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limit_windows")]

STATUS = "/lapor/status/"
REPLY = "/lapor/status/jawab/"


@pytest.fixture
def officer(site_setup):
    return UserFactory(role="Petugas PIMPASA", first_name="Rina", last_name="Wulandari")


@pytest.fixture
def reported(officer):
    """(tip, code) of an anonymous tip in the officer's area, with a question and an internal note."""
    area = AreaFactory(officers=[officer])
    tip, code = submit_tip(
        Submission(category=Tip.Category.TPPO, description="Ada calo di RW 05.", area=area)
    )
    tip_service.add_note(tip, officer, "Saksi Darmawan bisa ditanya.", public=False)
    conversation.ask(tip, officer, "Kapan calo itu datang?")
    return tip, code


def look_up(client, code, **extra):
    return client.post(STATUS, {"code": code, **extra})


def token_of(response):
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def photo(name="IMG_2041.jpg"):
    return SimpleUploadedFile(name, image_bytes("JPEG", exif=gps_exif()), content_type="image/jpeg")


def test_the_reporter_reads_the_question_marked_new_once_without_names_or_internal_notes(client, reported):
    _tip, code = reported
    page = look_up(client, code).content.decode()
    assert "Kapan calo itu datang?" in page
    assert "1 pesan baru dari petugas" in page and 'class="tip-new">Baru' in page
    assert "Rina" not in page and "Wulandari" not in page and "Darmawan" not in page
    assert code not in page  # the code is not echoed
    again = look_up(Client(), code).content.decode()
    assert "Kapan calo itu datang?" in again and "pesan baru" not in again


def test_the_reporter_answers_with_words_and_a_photo_cleaned_like_the_first(client, reported, officer):
    tip, code = reported
    token = token_of(look_up(client, code))
    response = client.post(
        REPLY, {"token": token, "body": "Selasa malam, naik mobil putih.", "evidence": photo()}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jawaban Anda sudah terkirim" in page and "Selasa malam, naik mobil putih." in page
    answer = Message.objects.get(author="reporter")
    assert answer.body == "Selasa malam, naik mobil putih." and answer.history.kind == "reply"
    late = answer.evidence.get()
    assert late.tip == tip and late.original_name == "IMG_2041.jpg" and late.state == Evidence.State.READY
    with late.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif()  # no GPS, no phone model
    assert conversation.flag(conversation.messages_of(tip)) == conversation.Flag.REPORTER_ANSWERED
    # A new token for the next answer, unlike the one just used.
    assert token_of(response) != token


def test_files_alone_are_an_answer_and_nothing_at_all_is_refused(client, reported):
    _tip, code = reported
    response = client.post(REPLY, {"token": token_of(look_up(client, code)), "evidence": photo()})
    assert response.status_code == 200 and Message.objects.filter(author="reporter", body="").count() == 1
    empty = client.post(REPLY, {"token": token_of(response), "body": "   "})
    assert empty.status_code == 400 and "Tulis jawaban atau tambahkan berkas" in empty.content.decode()
    assert Message.objects.filter(author="reporter").count() == 1


def test_the_reply_never_carries_the_code_and_its_token_reveals_nothing(client, reported):
    tip, code = reported
    page = look_up(client, code)
    token = token_of(page)
    assert code not in token and code.replace("-", "") not in token
    decoded = base64.urlsafe_b64decode(token + "==")
    assert str(tip.pk).encode() not in decoded and tip.pk.hex.encode() not in decoded
    assert f'action="{REPLY}"' in page.content.decode()  # no code or id in the address either
    assert not any(code in value for value in client.cookies.values())


def test_sending_the_same_answer_again_asks_for_the_code_and_shows_nothing(client, reported):
    _tip, code = reported
    token = token_of(look_up(client, code))
    first = client.post(REPLY, {"token": token, "body": "Jawaban rahasia saya"})
    assert first.status_code == 200
    # Back then Forward (or reload) on a shared phone: the same form posted again.
    again = client.post(REPLY, {"token": token, "body": "Jawaban rahasia saya"})
    page = again.content.decode()
    assert again.status_code == 400 and "Ketik kode Anda lagi" in page
    assert "Jawaban rahasia saya" not in page and "Kapan calo itu datang?" not in page
    assert Message.objects.filter(author="reporter").count() == 1


def test_an_expired_page_keeps_the_answer_for_after_the_code(client, reported, monkeypatch):
    _tip, code = reported
    token = token_of(look_up(client, code))
    monkeypatch.setattr(access, "REPLY_MINUTES", -1)
    refused = client.post(REPLY, {"token": token, "body": "Jawaban yang lama ditulis"})
    page = refused.content.decode()
    assert refused.status_code == 400 and "Jawaban yang lama ditulis</textarea>" in page
    assert "Kapan calo itu datang?" not in page  # nothing of the tip without the code
    monkeypatch.setattr(access, "REPLY_MINUTES", 45)
    shown = look_up(client, code, reply="Jawaban yang lama ditulis").content.decode()
    assert re.search(r'name="body"[^>]*>\s*Jawaban yang lama ditulis</textarea>', shown)
    assert not Message.objects.filter(author="reporter").exists()


def test_a_forged_token_asks_for_the_code(client, reported):
    response = client.post(REPLY, {"token": "gAAAAA-not-ours", "body": "Halo"})
    assert response.status_code == 400 and "Ketik kode Anda lagi" in response.content.decode()
    assert not Message.objects.filter(author="reporter").exists()


def test_a_wrong_code_keeps_the_carried_answer(client, reported):
    page = look_up(client, "AAAA-BBBB-CCCC-DDDD", reply="Jawaban saya").content.decode()
    assert "Tidak ada laporan dengan kode ini" in page and "Jawaban saya</textarea>" in page


def test_bad_input_keeps_what_was_typed_and_saves_nothing(client, reported):
    tip, code = reported
    page = look_up(client, code)
    too_long = "panjang " * 600
    response = client.post(REPLY, {"token": token_of(page), "body": too_long})
    assert response.status_code == 400
    assert "terlalu panjang" in response.content.decode() and too_long.strip() in response.content.decode()
    not_a_photo = SimpleUploadedFile("foto.jpg", b"MZ this is a program", content_type="image/jpeg")
    refused = client.post(
        REPLY, {"token": token_of(response), "body": "Ini fotonya", "evidence": not_a_photo}
    )
    text = refused.content.decode()
    assert refused.status_code == 400 and "Ini fotonya</textarea>" in text and "foto.jpg" in text
    # One good file and one refused: neither is kept, nor the words.
    mixed = client.post(
        REPLY,
        {
            "token": token_of(refused),
            "body": "Dua berkas",
            "evidence": [photo(), SimpleUploadedFile("b.pdf", b"junk")],
        },
    )
    assert mixed.status_code == 400
    assert not Message.objects.filter(author="reporter").exists()
    assert not Evidence.objects.filter(tip=tip, messages__isnull=False).exists()


def test_late_files_are_capped_per_tip(client, reported, monkeypatch):
    _tip, code = reported
    monkeypatch.setattr(conversation, "MAX_LATE_FILES", 1)
    response = client.post(REPLY, {"token": token_of(look_up(client, code)), "evidence": photo()})
    assert response.status_code == 200
    refused = client.post(REPLY, {"token": token_of(response), "body": "Satu lagi", "evidence": photo()})
    assert refused.status_code == 400 and "paling banyak 1 berkas" in refused.content.decode()
    assert Message.objects.filter(author="reporter").count() == 1


def test_a_closed_tip_answers_with_one_message_and_takes_nothing(client, reported, officer):
    tip, code = reported
    token = token_of(look_up(client, code))
    tip_service.change_status(tip, officer, Tip.Status.CLOSED)
    page = look_up(Client(), code).content.decode()
    assert "Laporan ini sudah ditutup" in page and 'name="token"' not in page
    response = client.post(REPLY, {"token": token, "body": "Masih ada yang mau saya sampaikan"})
    assert response.status_code == 409 and "Laporan ini sudah ditutup" in response.content.decode()
    assert not Message.objects.filter(author="reporter").exists()


def test_a_purged_tip_takes_nothing(client, reported):
    tip, code = reported
    Tip.objects.filter(pk=tip.pk).update(purged_at=tip.created_at + timedelta(days=400))
    tip.refresh_from_db()
    with pytest.raises(conversation.Closed):
        conversation.reply(tip, "Halo")
    assert 'name="token"' not in look_up(client, code).content.decode()


def test_replies_are_limited_per_tip(client, reported, settings):
    settings.PIMPASA_REPLIES_PER_TIP = (2, 3600)
    _tip, code = reported
    for number in range(2):
        browser = Client()
        assert (
            browser.post(
                REPLY, {"token": token_of(look_up(browser, code)), "body": f"Jawaban {number}"}
            ).status_code
            == 200
        )
    browser = Client()
    over = browser.post(REPLY, {"token": token_of(look_up(browser, code)), "body": "Jawaban ketiga"})
    assert over.status_code == 429 and over["Retry-After"] == "3600"
    page = over.content.decode()
    assert "Jawaban ketiga</textarea>" in page and "tunggu satu jam" in page.lower()
    assert Message.objects.filter(author="reporter").count() == 2


def test_replies_are_limited_per_browser_across_tips(client, officer, settings):
    settings.PIMPASA_REPLIES_PER_DEVICE = (1, 3600)
    area = AreaFactory(officers=[officer])
    codes = [submit_tip(Submission(category="tppo", description="Calo", area=area))[1] for _ in range(2)]
    assert (
        client.post(REPLY, {"token": token_of(look_up(client, codes[0])), "body": "Satu"}).status_code == 200
    )
    assert (
        client.post(REPLY, {"token": token_of(look_up(client, codes[1])), "body": "Dua"}).status_code == 429
    )


def test_replies_are_limited_per_address_for_many_browsers(officer, settings):
    settings.PIMPASA_REPLIES_PER_ADDRESS = (2, 3600)
    area = AreaFactory(officers=[officer])
    answers = []
    for number in range(3):
        _tip, code = submit_tip(Submission(category="tppo", description="Calo", area=area))
        browser = Client()
        answers.append(
            browser.post(REPLY, {"token": token_of(look_up(browser, code)), "body": f"J{number}"}).status_code
        )
    assert answers == [200, 200, 429]


def test_the_status_page_costs_the_same_queries_with_a_long_conversation(
    client, reported, officer, django_assert_max_num_queries
):
    tip, code = reported
    look_up(client, code)
    conversation.ask(tip, officer, "Ada lagi?")  # something unread, as after the long conversation
    with django_assert_max_num_queries(80) as few:
        look_up(Client(), code)
    baseline = len(few.captured_queries)
    for number in range(8):
        conversation.reply(tip, f"Jawaban {number}")
        conversation.ask(tip, officer, f"Pertanyaan {number}")
    with django_assert_max_num_queries(baseline):
        look_up(Client(), code)


def test_with_redis_down_an_answer_is_sent_once_and_its_form_cannot_send_again(client, reported, settings):
    from tests.pimpasa.system_programs import free_port

    # Production's cache, pointed at a port where nothing listens (Redis stopped).
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2, "SOCKET_TIMEOUT": 0.2},
        },
    }
    _tip, code = reported
    token = token_of(look_up(client, code))
    first = client.post(REPLY, {"token": token, "body": "Calo datang lagi tadi malam."})
    assert first.status_code == 200 and "Calo datang lagi tadi malam." in first.content.decode()
    again = client.post(REPLY, {"token": token, "body": "Calo datang lagi tadi malam."})
    assert again.status_code == 400 and "Ketik kode Anda lagi" in again.content.decode()
    assert Message.objects.filter(author="reporter").count() == 1


def test_spent_forms_are_forgotten_once_no_token_of_theirs_can_be_valid(client, reported):
    from datetime import timedelta

    from django.utils import timezone

    from reporting.models import SpentReplyForm
    from reporting.tips.conversation import access

    _tip, code = reported
    client.post(REPLY, {"token": token_of(look_up(client, code)), "body": "Jawaban pertama."})
    assert SpentReplyForm.objects.count() == 1
    assert access.forget_spent() == 0
    later = timezone.now() + timedelta(seconds=access.REMEMBER_SECONDS + 1)
    assert access.forget_spent(now=later) == 1 and not SpentReplyForm.objects.exists()
