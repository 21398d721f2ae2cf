"""Admin pages of the Ekspor menu: choose an export, follow its progress, download it.

Thin views: every rule (who may export what, which files can be had) lives in reporting.exports.jobs.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from pimpasa.encryption import open_encrypted
from reporting.exports import scoping as export_scoping
from reporting.exports.models import ExportJob

from . import jobs
from .base import ExportError
from .registry import exporters_for, get_exporter

URL_NAMESPACE = "reporting_exports"
ACTIVE = (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)


def may_use_exports(user):
    return bool(exporters_for(user)) or export_scoping.sees_every_job(user)


def job_or_404(request, pk):
    return get_object_or_404(export_scoping.export_jobs_for(request.user), pk=pk)


def url(name, *args):
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class ExportsMixin(WagtailAdminTemplateMixin):
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not may_use_exports(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": url("index"), "label": _("Exports")}]


class IndexView(ExportsMixin, TemplateView):
    template_name = "reporting/exports/index.html"
    page_title = gettext_lazy("Exports")
    per_page = 30

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(
            export_scoping.export_jobs_for(self.request.user).select_related("requested_by"), self.per_page
        ).get_page(self.request.GET.get("p"))
        context.update(
            page=page,
            jobs=[describe(job) for job in page],
            exporters=exporters_for(self.request.user),
            sees_everyone=export_scoping.sees_every_job(self.request.user),
        )
        return context


class NewExportView(ExportsMixin, TemplateView):
    """Step one: pick an export; step two: its filters. Posting asks for it."""

    template_name = "reporting/exports/new.html"
    page_title = gettext_lazy("New export")

    def exporter_class(self):
        identifier = self.request.GET.get("export") or self.request.POST.get("export")
        if not identifier:
            return None
        try:
            exporter = get_exporter(identifier)
        except LookupError:
            raise Http404 from None
        if not exporter.allowed(self.request.user):
            raise PermissionDenied
        return exporter

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except PermissionDenied:
            return permission_denied(request)

    def get(self, request, *args, **kwargs):
        exporter = self.exporter_class()
        # A link may fill in the filters: the run page's "export this session" names its session.
        form = exporter.filter_form(request.user, initial=request.GET.dict()) if exporter else None
        context = self.get_context_data(exporter=exporter, form=form, exporters=exporters_for(request.user))
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        exporter = self.exporter_class()
        if exporter is None:
            return redirect(url("new"))
        form = exporter.filter_form(request.user, data=request.POST)
        if form.is_valid():
            try:
                job = jobs.request_export(
                    request.user,
                    exporter.identifier,
                    exporter.serialize_filters(form.cleaned_data),
                )
            except ExportError as error:
                form.add_error(None, str(error))
            else:
                if job.status == ExportJob.Status.DONE:
                    messages.success(request, _("Your export is ready."))
                else:
                    messages.success(request, _("Your export has been queued; this page shows its progress."))
                return redirect(url("detail", job.pk))
        return self.render_to_response(self.get_context_data(exporter=exporter, form=form), status=400)


class JobView(ExportsMixin, TemplateView):
    template_name = "reporting/exports/detail.html"

    def get(self, request, pk):
        self.job = notice_interrupted(job_or_404(request, pk))
        return super().get(request, pk=pk)

    def get_page_title(self):
        return _("Export: %(name)s") % {"name": export_label(self.job)}

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": export_label(self.job)}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.job
        context.update(
            job=describe(job),
            active=job.status in ACTIVE,
            unavailable=jobs.downloadable(job) if job.status != ExportJob.Status.FAILED else None,
            status_url=url("status", job.pk),
            worker_down=job.status in ACTIVE and not jobs.worker_is_running(),
            filters_text=describe_filters(job, self.request.user),
        )
        return context


def status(request, pk):
    """The job's progress as JSON, polled by the job page."""
    if not may_use_exports(request.user):
        raise PermissionDenied
    job = describe(notice_interrupted(job_or_404(request, pk)))
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent,
            "progress_text": job.progress_text,
            "active": job.status in ACTIVE,
            "error": job.error,
            # The page reloads when this changes, to say so (or stop saying so) in its own words.
            "worker_down": job.status in ACTIVE and not jobs.worker_is_running(),
        },
        headers={"Cache-Control": "no-store"},
    )


def download(request, pk):
    if not may_use_exports(request.user):
        return permission_denied(request)
    job = job_or_404(request, pk)
    problem = jobs.downloadable(job)
    if problem:
        messages.error(request, problem)
        return redirect(url("detail", job.pk))
    jobs.record_download(job, request.user)
    response = FileResponse(
        open_encrypted(jobs.exports_dir() / job.file_name),  # decrypted as sent; FileResponse closes it
        as_attachment=True,
        filename=jobs.download_name(job),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def retry(request, pk):
    if not may_use_exports(request.user):
        return permission_denied(request)
    job = job_or_404(request, pk)
    try:
        jobs.retry_export(job, request.user)
    except ExportError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The export has been queued again."))
    return redirect(url("detail", job.pk))


def export_label(job):
    try:
        return str(get_exporter(job.exporter).verbose_name)
    except LookupError:
        return job.exporter


def describe(job):
    """The job with what its pages show: a label, a percentage, a sentence of progress."""
    job.label = export_label(job)
    total = job.rows_total or 0
    done = min(job.rows_done, total) if total else job.rows_done
    if job.status == ExportJob.Status.DONE:
        job.percent = 100
    else:
        job.percent = int(done * 100 / total) if total else 0
    job.progress_text = _("%(done)s of %(total)s rows") % {
        "done": formats.number_format(done, force_grouping=True),
        "total": formats.number_format(total, force_grouping=True),
    }
    return job


def notice_interrupted(job):
    """Whoever opens the page of a job whose worker died queues it again (the watchdog is a task, and a
    dead worker runs none); the job as it is now."""
    if job.status == ExportJob.Status.RUNNING and jobs.heartbeat_is_stale(job):
        jobs.requeue_if_interrupted(job.pk)
        job.refresh_from_db()
    return job


def describe_filters(job, user):
    try:
        exporter = get_exporter(job.exporter)
    except LookupError:
        return ""
    # The requester's view of the filters (a supervisor looking sees what the officer chose).
    return exporter.describe_filters(job.requested_by or user, job.filters)
