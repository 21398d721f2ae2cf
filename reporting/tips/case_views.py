"""The cases' pages in the Wagtail admin ("Kasus"): the list, one case (its tips, its status and
officer, taking tips out, splitting), and grouping from a tip's related-tips panel, with their viewset
(registered by reporting/tips/wagtail_hooks.py). Every rule is in reporting.tips.related.services.cases;
these views translate between HTTP and it. They live beside the tip's page (admin_views), not inside
reporting.tips.related, because they use the tips' services, which queue the related package's work.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from reporting.tips import drafts
from reporting.tips.related.models import Case
from reporting.tips.related.services import cases
from reporting.tips.services import tips as tip_service

URL_NAMESPACE = "kasus"
LISTED = 100


class CaseForm(forms.Form):
    status = forms.ChoiceField(label=_("Status of the case"), choices=Case.Status.choices)
    officer = forms.ModelChoiceField(label=_("Officer in charge"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = tip_service.assignable_officers()


class CaseIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/tips/related/case_index.html"
    page_title = _("Cases")
    header_icon = "folder-open-inverse"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            cases=cases.listed_cases(self.request.user, LISTED), detail_url_name=f"{URL_NAMESPACE}:detail"
        )
        return context


class CaseDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reporting/tips/related/case_detail.html"
    header_icon = "folder-open-inverse"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.case = cases.get_visible_case(request.user, kwargs["pk"])
        except PermissionDenied:
            raise Http404 from None
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Case %(number)s") % {"number": self.case.number}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": _("Cases")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        tips, outside = cases.tips_of(self.case, self.request.user)
        may_group = cases.may_group(self.request.user)
        context.update(
            case=self.case,
            tips=tips,
            outside=outside,
            may_group=may_group,
            form=form
            or (
                CaseForm(initial={"status": self.case.status, "officer": self.case.officer_id})
                if may_group
                else None
            ),
            tip_url_name="laporan:edit",
        )
        return context

    def post(self, request, *args, **kwargs):
        do = request.POST.get("do")
        chosen = request.POST.getlist("tips")
        try:
            if do == "change":
                form = CaseForm(request.POST)
                if not form.is_valid():
                    return self.render_to_response(self.get_context_data(form=form), status=400)
                changed = cases.change(
                    request.user,
                    self.case,
                    status=form.cleaned_data["status"],
                    officer=form.cleaned_data["officer"],
                )
                messages.success(
                    request, _("Saved.") if changed else _("Nothing was changed, so nothing was saved.")
                )
            elif do == "remove":
                kept = cases.remove(request.user, self.case, chosen)
                if kept is None:
                    messages.success(request, _("The last tips were taken out: the case no longer exists."))
                    return redirect(f"{URL_NAMESPACE}:index")
                messages.success(request, _("Taken out of the case."))
            elif do == "split":
                new = cases.split(request.user, self.case, chosen)
                messages.success(
                    request, _("The chosen tips are now case %(number)s.") % {"number": new.number}
                )
                return redirect(f"{URL_NAMESPACE}:detail", new.pk)
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return self.render_to_response(self.get_context_data(), status=400)
        return redirect(f"{URL_NAMESPACE}:detail", self.case.pk)


@require_POST
def group(request, tip_id):
    """From a tip's related-tips panel: the tip and the related tips ticked, grouped into one case."""
    try:
        tip = tip_service.get_visible_tip(request.user, tip_id)
    except PermissionDenied:
        raise Http404 from None
    # The button belongs to the tip page's triage form: what was typed there waits for the return.
    drafts.keep(request, tip)
    chosen = [value for value in request.POST.getlist("tips") if value != str(tip.pk)]
    try:
        case = cases.group(request.user, [tip.pk, *chosen])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("laporan:edit", args=[tip.pk]) + "#related")
    messages.success(
        request,
        _("%(count)d tips are grouped in case %(number)s.")
        % {"count": case.tips.count(), "number": case.number},
    )
    return redirect(f"{URL_NAMESPACE}:detail", case.pk)


class CasesMenuItem(MenuItem):
    def is_shown(self, request):
        return cases.may_group(request.user)


class CaseViewSet(ViewSet):
    name = "cases"
    url_namespace = URL_NAMESPACE
    url_prefix = "kasus"
    icon = "folder-open-inverse"
    menu_label = _("Cases")
    menu_order = 260
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        return CasesMenuItem

    def get_urlpatterns(self):
        return [
            path("", CaseIndexView.as_view(), name="index"),
            path("<int:pk>/", CaseDetailView.as_view(), name="detail"),
            path("kelompokkan/<uuid:tip_id>/", group, name="group"),
        ]
