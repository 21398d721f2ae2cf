"""The status page as the reporter sees it, shared by the code look-up (reporting.tips.views.status)
and the answer sent from it (reporting.tips.conversation.views.reply): status, public notes, the
conversation, and the reply form with its one-view token (access)."""

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

from pimpasa import devices
from reporting.tips.services import receipts
from reporting.tips.services import tips as tip_service

from . import access, services
from .forms import ReplyForm


def conversation_context(tip, *, reply_form=None, reply_sent=False):
    """The conversation of `tip` for its reporter; the office's unread messages are marked new (and
    read from now on). A tip that takes nothing more has no reply form and no token."""
    messages = services.messages_of(tip)
    new_messages = services.read_by_reporter(messages)
    accepts = services.accepts_messages(tip)
    return {
        "conversation": messages,
        "new_messages": new_messages,
        "accepts_messages": accepts,
        "reply_form": (reply_form or ReplyForm()) if accepts else None,
        "reply_token": access.issue(tip) if accepts else "",
        "reply_sent": reply_sent,
    }


def tip_context(tip, **conversation):
    """Everything the status page shows of `tip`."""
    pending_files, refused_files = tip_service.evidence_notices(tip)
    return {
        "tip": tip,
        # The office handling it now (after a hand-off, the new one): name and hotline, no officer.
        "office": tip.office,
        "history": list(tip_service.public_history(tip)),
        "pending_files": pending_files,
        "refused_files": refused_files,
        **conversation_context(tip, **conversation),
    }


def render_status(request, form, *, status=200, **context):
    """The status page, never stored by a browser or proxy, with a new look-up form under it."""
    context = {"form": form, "nonce": receipts.new_lookup_nonce(), **context}
    response = render(request, "reporting/tips/status.html", context, status=status)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return devices.ensure_device(request, response)
