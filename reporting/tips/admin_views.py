"""A tip's page in the Wagtail admin: what was reported, the evidence, the history and the one triage
form, with its POST endpoints (the triage save or search, the identity reveal) and the evidence files.
Every check is delegated to reporting.tips.services; these views only translate between HTTP and those
functions. The list and the viewset are in reporting/tips/viewsets.py.
"""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from reporting.tips import drafts
from reporting.tips import scoping as tip_scoping
from reporting.tips.conversation import questions
from reporting.tips.conversation import services as conversation
from reporting.tips.forms import RevealIdentityForm, TriageForm
from reporting.tips.models import Evidence, Tip
from reporting.tips.related.services import cases as case_service
from reporting.tips.related.services import related as related_service
from reporting.tips.services import identity as identity_service
from reporting.tips.services import shares as share_service
from reporting.tips.services import tips as tip_service

TRIAGE_FORM_ID = "triage-form"


def _no_store(response):
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


class TipDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One tip: what was reported, the evidence, the history, and the one triage form."""

    template_name = "reporting/tips/admin/detail.html"
    viewset = None
    SEARCH_RESULTS = 10

    def dispatch(self, request, *args, **kwargs):
        # A tip the user may not see answers as if it did not exist.
        try:
            self.tip = tip_service.get_visible_tip(request.user, kwargs["pk"])
        except PermissionDenied:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Tip %(id)s") % {"id": self.tip.short_id}

    def get_page_subtitle(self):
        return self.tip.get_category_display()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.viewset.get_url_name("index")), "label": _("Tips")},
            {"url": "", "label": self.get_page_title(), "sublabel": self.get_page_subtitle()},
        ]

    def other_tips(self):
        return tip_scoping.tips_for(self.request.user).exclude(pk=self.tip.pk)

    def shown_candidates(self, query, chosen=None):
        """The originals offered: the tips the officer's search found, and the one already chosen."""
        others = self.other_tips()
        query = (query or "").strip()
        found = others.none()
        if query:
            found = tip_service.search_tips(self.request.user, query, others).order_by("-created_at")
            found = found.values("pk")[: self.SEARCH_RESULTS]
        chosen_ids = [chosen] if _is_uuid(chosen) else []
        return others.filter(Q(pk__in=found) | Q(pk__in=chosen_ids)).order_by("-created_at")

    def triage_form(self, data=None, initial=None):
        """The one triage form: bound to a save (validated against every tip the officer may see), or
        unbound showing `initial` (what the officer typed, carried through a search)."""
        initial = initial or {}
        if data is None:
            candidates = self.shown_candidates(initial.get("original_q"), initial.get("duplicate_of"))
        else:
            candidates = self.other_tips()
        form = TriageForm(
            data,
            prefix="triage",
            tip=self.tip,
            officers=tip_service.assignable_officers(self.tip.office_id),
            candidates=candidates,
            initial=initial,
        )
        form.fields["question"].choices = questions.choices()
        form.fields["message"].widget.attrs["maxlength"] = conversation.MAX_CHARS
        return form

    def get_context_data(
        self,
        triage_form=None,
        identity=None,
        reveal_form=None,
        unsaved=False,
        stale_changes=None,
        draft_dropped=(),
        **kwargs,
    ):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        tip = (
            Tip.objects.select_related("area", "session", "assigned_to", "duplicate_of", "case")
            .prefetch_related("evidence")
            .get(pk=self.tip.pk)
        )
        self.tip = tip
        can_change = tip_service.can_change(user, tip)
        messages_shown = conversation.messages_of(tip)
        # Opening the page reads the reporter's answers: they are marked new this once.
        new_messages = conversation.read_by_office(messages_shown)
        if can_change and triage_form is None:
            triage_form = self.triage_form(initial={"original_q": self.request.GET.get("original_q", "")})
        reveal_form = reveal_form or RevealIdentityForm(prefix="reveal", tip=tip)
        if can_change:
            # Every control of the page belongs to the one triage form (see reporting.tips.drafts).
            for field in reveal_form.fields.values():
                field.widget.attrs["form"] = TRIAGE_FORM_ID
        context.update(
            tip=tip,
            history=tip.history.select_related("actor", "assigned_to", "case"),
            related=related_service.related_tips(tip, user),
            may_group=can_change and case_service.may_group(user),
            conversation=messages_shown,
            new_messages=new_messages,
            conversation_flag=conversation.flag(messages_shown),
            conversation_flag_label=conversation.Flag.LABELS.get(conversation.flag(messages_shown)),
            accepts_messages=conversation.accepts_messages(tip),
            may_close_unverifiable=can_change and conversation.may_close_unverifiable(tip, messages_shown),
            question_days=settings.PIMPASA_QUESTION_UNANSWERED_DAYS,
            evidence=tip.evidence.all(),
            can_change=can_change,
            can_reveal=tip_scoping.may_reveal_identity(user, tip) and tip.has_identity,
            identity=identity,
            reveal_form=reveal_form,
            form=triage_form if can_change else None,
            triage_form_id=TRIAGE_FORM_ID,
            unsaved=unsaved,
            stale_changes=stale_changes,
            draft_dropped=draft_dropped,
            action_url_name=self.viewset.get_url_name("action"),
            handoff_url_name=self.viewset.get_url_name("handoff"),
            may_share=share_service.may_share(user, tip),
            share_url=reverse(self.viewset.get_url_name("share"), args=(tip.pk,)),
            evidence_url_name=self.viewset.get_url_name("evidence"),
            history_url=reverse(self.viewset.get_url_name("history"), args=(tip.pk,)),
            duplicate_url=(
                reverse(self.viewset.get_url_name("edit"), args=(tip.duplicate_of_id,))
                if tip.duplicate_of_id and tip_scoping.can_see_tip(user, tip.duplicate_of)
                else None
            ),
        )
        return context

    def get(self, request, *args, **kwargs):
        tip_service.record_tip_viewed(self.tip, request.user)
        # Triage typed before another button of this page was pressed comes back, marked unsaved.
        draft, dropped = drafts.take(request, self.tip)
        form = self.triage_form(initial=draft) if draft else None
        context = self.get_context_data(triage_form=form, unsaved=bool(draft), draft_dropped=dropped)
        return _no_store(self.render_to_response(context))


def _is_uuid(value):
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@method_decorator(require_POST, name="dispatch")
class TipActionView(TipDetailView):
    """POST /<pk>/triage/ (the one triage form: save, or search for a duplicate's original) and
    POST /<pk>/identity/ (a supervisor reveals the reporter)."""

    def post(self, request, *args, **kwargs):
        action = kwargs["action"]
        if action == "identity":
            return self.reveal(request)
        if action != "triage":
            raise Http404
        if not tip_service.can_change(request.user, self.tip):
            raise PermissionDenied
        do = request.POST.get("do") or ""
        if do == "find":
            return self.find_original(request)
        if do == "question":
            return self.insert_question(request)
        if do == "unverifiable":
            return self.close_unverifiable(request)
        if do == "refer":
            # Referring happens on its own page: what was typed here waits for the officer's return.
            drafts.keep(request, self.tip)
            return redirect("referrals_refer", self.tip.pk)
        return self.save(request)

    def find_original(self, request):
        """The search for a duplicate's original: its matches shown, everything typed kept as typed,
        nothing saved (and the page says so)."""
        form = self.triage_form(initial=drafts.typed(request.POST))
        # Enter in the reason box of the identity part lands here too: its typing stays as well.
        reveal_form = RevealIdentityForm(
            prefix="reveal",
            tip=self.tip,
            initial={name: request.POST.get(f"reveal-{name}", "") for name in ("reason", "details")},
        )
        context = self.get_context_data(triage_form=form, reveal_form=reveal_form, unsaved=True)
        return _no_store(self.render_to_response(context))

    def insert_question(self, request):
        """A common question put into the message box, after what was already typed there; everything
        else typed stays as typed, nothing is saved or sent."""
        typed = drafts.typed(request.POST)
        question = questions.text(typed.pop("question", ""))
        if question:
            before = (typed.get("message") or "").strip()
            typed["message"] = f"{before}\n\n{question}" if before else question
        form = self.triage_form(initial=typed)
        context = self.get_context_data(triage_form=form, unsaved=True)
        return _no_store(self.render_to_response(context))

    def close_unverifiable(self, request):
        """Close the tip whose question went unanswered, with a note the reporter reads. What else was
        typed waits for the officer's return (drafts), as with the page's other buttons."""
        typed = drafts.typed(request.POST)
        try:
            conversation.close_unverifiable(self.tip, request.user, typed.get("closing_note", ""))
        except ValidationError as error:
            form = self.triage_form(initial=typed)
            for message in error.messages:
                messages.error(request, message)
            context = self.get_context_data(triage_form=form, unsaved=True)
            return _no_store(self.render_to_response(context, status=400))
        post = request.POST.copy()
        post.pop(f"{drafts.PREFIX}-closing_note", None)
        request.POST = post
        drafts.keep(request, self.tip)
        messages.success(request, _("The tip was closed as unverifiable; the reporter can read your note."))
        return redirect(self.viewset.get_url_name("edit"), self.tip.pk)

    def save(self, request):
        form = self.triage_form(request.POST)
        stale = None
        try:
            if not form.is_valid():
                # A page older than the tip may offer choices the tip no longer has: say what changed
                # rather than only that a choice is invalid.
                seen = drafts.seen_of(request.POST)
                if seen is not None:
                    tip_service.check_seen(self.tip, seen)
                raise ValidationError(_("Check the form below."))
            data = form.cleaned_data
            # The message to the reporter is saved with the rest, or nothing is.
            with transaction.atomic():
                _tip, changed = tip_service.triage(
                    self.tip,
                    request.user,
                    status=data["status"],
                    assigned_to=data["assigned_to"],
                    note=data["note"],
                    public_note=data["public_note"],
                    forward_to=data["forward_to"],
                    duplicate_of=data["duplicate_of"],
                    seen=form.seen(),
                )
                if data["message"].strip():
                    conversation.ask(self.tip, request.user, data["message"])
                    changed = [*changed, "message"]
        except tip_service.StaleTriage as error:
            stale = error
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            typed = drafts.typed(request.POST)
            form.show_candidates(self.shown_candidates(typed.get("original_q"), typed.get("duplicate_of")))
            messages.error(request, _("Nothing was saved: check the triage form below."))
            context = self.get_context_data(triage_form=form, unsaved=True)
            return _no_store(self.render_to_response(context, status=400))
        if stale is not None:
            return self.refuse_stale(request, stale)
        drafts.drop(self.tip, request.user)
        if changed:
            messages.success(request, _("Saved."))
        else:
            messages.info(request, _("Nothing was changed, so nothing was saved."))
        return redirect(self.viewset.get_url_name("edit"), self.tip.pk)

    def refuse_stale(self, request, stale):
        """The tip changed after the officer's page was loaded: nothing saved, the changes listed, and
        the form shown again on the tip as it is now with only what the officer changed (a status or
        officer left as shown takes the current one), so pressing Save again saves just that."""
        typed = drafts.changed(request.POST, self.tip) or {}
        initial = {name: value for name, value in typed.items() if name not in TriageForm.SEEN_FIELDS}
        self.tip.refresh_from_db()
        dropped = []
        if (
            "status" in initial
            and initial["status"] not in tip_service.TRANSITIONS[Tip.Status(self.tip.status)]
        ):
            dropped.append("status")  # the tip can no longer go there from where it is now
            del initial["status"]
        form = self.triage_form(initial=initial)
        messages.error(request, stale.messages[0])
        context = self.get_context_data(
            triage_form=form, unsaved=bool(initial), stale_changes=stale.changes, draft_dropped=dropped
        )
        return _no_store(self.render_to_response(context, status=409))

    def reveal(self, request):
        """A supervisor asks, with a reason and a confirmation, to see who reported the tip. The
        identity is rendered into this response only (no-store) and kept nowhere: not in the session,
        not in a cache. The form's one-time value makes a reload (the browser posting it again) show
        nothing and record nothing; the triage typed beside it comes back unsaved in the same page."""
        if not tip_scoping.may_reveal_identity(request.user, self.tip):
            raise PermissionDenied
        typed = drafts.typed(request.POST) if tip_service.can_change(request.user, self.tip) else {}
        triage_form = self.triage_form(initial=typed) if typed else None
        unsaved = drafts.changed(request.POST, self.tip) is not None
        form = RevealIdentityForm(request.POST, prefix="reveal", tip=self.tip)
        if not form.is_valid():
            context = self.get_context_data(reveal_form=form, triage_form=triage_form, unsaved=unsaved)
            return _no_store(self.render_to_response(context, status=400))
        try:
            identity = identity_service.reveal_identity(
                self.tip, request.user, form.reason_text(), once=form.cleaned_data["once"]
            )
        except identity_service.AlreadyRevealed:
            messages.info(
                request,
                _(
                    "The identity was shown once for this request and is not shown again. Ask again with a reason to see it."
                ),
            )
            identity = None
        context = self.get_context_data(identity=identity, triage_form=triage_form, unsaved=unsaved)
        return _no_store(self.render_to_response(context))


def evidence_file(request, pk):
    """An evidence file for staff who may see its tip: images may be shown inline (we re-encoded
    them), everything else is only ever an attachment; the browser may not guess another type."""
    item = get_object_or_404(Evidence.objects.select_related("tip"), pk=pk)
    try:
        handle = tip_service.open_evidence(item, request.user)
    except PermissionDenied:
        raise Http404 from None
    if handle is None:
        raise Http404
    inline = request.GET.get("preview") == "1" and item.is_image
    response = FileResponse(
        handle, as_attachment=not inline, filename=item.download_name, content_type=item.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _no_store(response)
