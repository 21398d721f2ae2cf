"""The reporter's answer, sent from the status page: thin views over services, access and pages.

Nothing here asks who the reporter is. The answer arrives with the one-view token of the page it was
typed on (access), never with the code; it is limited per tip, per browser and per address; a closed
tip answers with one message and takes nothing; bad input comes back with what was typed and why, and
nothing is half-saved (services.reply is one transaction)."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from pimpasa import devices
from pimpasa.multipart import MultipartCheck
from pimpasa.ratelimit import Limit, client_key, exceeded, hashed
from pimpasa.request_limits import body_limit
from pimpasa.shared_device import new_turn
from reporting.tips.forms import CodeForm
from reporting.tips.services.evidence import MAX_BYTES, MAX_FILES, EvidenceInMemory, EvidenceUploadLimit

from . import access, pages, services
from .forms import ReplyForm

# Every file at its largest plus the words; larger is refused unread (413).
REPLY_BODY_LIMIT = MAX_FILES * MAX_BYTES + 256 * 1024


def _limit(scope, setting):
    count, seconds = setting
    return Limit(scope=scope, count=count, seconds=seconds)


def reply_checks(request, tip):
    """Per tip (whoever holds its code), per browser (pimpasa.devices) and per address, with a
    ceiling per address sized for a village behind one hotspot, like the tip form's."""
    return [
        (_limit("conversation-tip", settings.PIMPASA_REPLIES_PER_TIP), hashed(f"tip:{tip.pk}")),
        (_limit("conversation-device", settings.PIMPASA_REPLIES_PER_DEVICE), devices.device_key(request)),
        (_limit("conversation-address", settings.PIMPASA_REPLIES_PER_ADDRESS), client_key(request)),
    ]


@body_limit(REPLY_BODY_LIMIT)
@require_POST
@csrf_exempt
def reply(request):
    # As for the tip form: the size limit and the upload handlers are in place before anything reads
    # the body (which CSRF checking would do), hence csrf_protect on the inner view.
    upload_limit = EvidenceUploadLimit(request)
    request.upload_handlers = [upload_limit, EvidenceInMemory(request)]
    body_check = MultipartCheck(request)
    return new_turn(request, _reply(request, upload_limit, body_check))


def _ask_for_code(request, message, carried=""):
    form = CodeForm()
    form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message])})  # an unbound form's message
    return pages.render_status(request, form, carried_reply=carried, status=400)


@csrf_protect
def _reply(request, upload_limit, body_check):
    try:
        tip = access.redeem(request.POST.get("token", ""))
    except access.Refused as refused:
        if refused.typed_may_return:
            return _ask_for_code(
                request,
                _(
                    "This page was open a long time, so for your safety your answer was not sent. Type your "
                    "code again: your answer is kept below (choose any files again)."
                ),
                carried=request.POST.get("body", "")[: services.MAX_CHARS * 2],
            )
        return _ask_for_code(
            request, _("For your safety, a status is shown only once. Type your code again.")
        )
    if not services.accepts_messages(tip):
        return pages.render_status(request, CodeForm(), status=409, **pages.tip_context(tip, reply_form=None))
    typed = ReplyForm(request.POST)  # what comes back if this answer is refused before validation
    if over := exceeded(reply_checks(request, tip)):
        typed.is_valid()
        typed.errors.pop("evidence", None)
        typed.add_error(
            None, _("You have sent many answers in a short time. Please wait an hour and try again.")
        )
        response = pages.render_status(
            request, CodeForm(), status=429, **pages.tip_context(tip, reply_form=typed)
        )
        response["Retry-After"] = str(over.seconds)
        return response
    if body_check.truncated:
        typed.is_valid()
        typed.add_error(
            None,
            _(
                "Your answer did not arrive whole (the connection was cut). Nothing was stored: please send it again."
            ),
        )
        return pages.render_status(
            request, CodeForm(), status=400, **pages.tip_context(tip, reply_form=typed)
        )
    upload_errors = upload_limit.errors()
    if body_check.undecodable_parts:
        upload_errors.append(
            ValidationError(
                _(
                    "The name of an attached file could not be read. Rename the file (for example foto1.jpg) and attach it again."
                ),
                code="undecodable_name",
            )
        )
    form = ReplyForm(request.POST, request.FILES, tip=tip, upload_errors=upload_errors)
    if form.is_valid():
        try:
            services.reply(tip, form.cleaned_data["body"], form.prepared_files)
        except services.ConversationError as error:
            for message in error.messages:
                form.add_error(None, message)
    if form.errors:
        return pages.render_status(request, CodeForm(), status=400, **pages.tip_context(tip, reply_form=form))
    tip.refresh_from_db()
    return pages.render_status(request, CodeForm(), **pages.tip_context(tip, reply_sent=True))
