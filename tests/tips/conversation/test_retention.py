"""Retention reaches the conversation: once a closed tip's period is over, its messages and the files
the reporter added later go with its identity and first evidence; the history keeps no text of them."""

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from reporting.models import Evidence, Message
from reporting.tips.conversation import services as conversation
from reporting.tips.models import Tip
from reporting.tips.services import evidence as evidence_service
from reporting.tips.services import retention
from reporting.tips.services import tips as tip_service
from tests.factories import AreaFactory, TipFactory, image_bytes

pytestmark = pytest.mark.django_db


def test_retention_purges_messages_and_late_files_with_the_tip(officer, settings, _private_storage):
    tip = TipFactory(area=AreaFactory(officers=[officer]))
    conversation.ask(tip, officer, "Ada foto mobilnya?")
    late = evidence_service.prepare(SimpleUploadedFile("Mobil_Slamet.jpg", image_bytes("JPEG")))
    answer = conversation.reply(tip, "Ini fotonya, sopirnya Slamet.", [late])
    stored = answer.evidence.get()
    path = stored.file.path
    kept = TipFactory(area=tip.area)  # another tip, still open, keeps its conversation
    conversation.ask(kept, officer, "Masih terjadi?")
    tip_service.change_status(tip, officer, Tip.Status.CLOSED)
    Tip.objects.filter(pk=tip.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=settings.PIMPASA_TIP_RETENTION_DAYS + 1)
    )

    assert retention.purge_expired() == 1

    assert not Message.objects.filter(tip=tip).exists()
    assert Message.objects.filter(tip=kept).count() == 1
    stored = Evidence.objects.get(pk=stored.pk)
    assert (stored.file.name, stored.original_name) == ("", "") and stored.purged_at is not None
    assert not os.path.exists(path)
    kinds = list(tip.history.values_list("kind", "note"))
    assert ("message", "") in kinds and ("reply", "") in kinds and ("purged", "") in kinds
    # Whoever still holds the code finds a tip that takes nothing more.
    tip.refresh_from_db()
    assert not conversation.accepts_messages(tip)
