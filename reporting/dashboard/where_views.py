"""The "Where" page (Wilayah): a heat table and small multiples of tips, sessions or attendees per
area (or per RW of one area) over months or weeks, each cell a link to the list it counts; and, where
the office uploaded its areas' outlines, a choropleth. No script, no map tiles: all drawn here.

Thin views: the figures are reporting.dashboard.where, the pictures reporting.dashboard.maps, the
outlines events.services.boundaries, what may be shown pimpasa.suppression.
"""

from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from events import scoping as event_scoping
from events.services import boundaries as boundary_service
from pimpasa import suppression
from reporting.tips import scoping as tip_scoping

from . import maps, where

URL_NAMESPACE = "where"


def may_see_where(user):
    return user.has_perm(event_scoping.VIEW_SESSION) or user.has_perm(tip_scoping.VIEW_TIP)


def may_upload_boundaries(user):
    """Supervisors (who manage every area) upload the office's outlines."""
    return event_scoping.manages_all_areas(user)


def drill_down(measure, area_id, start, end, rw=None):
    """The list a cell counts: the tips list (open and closed) or the sessions list, filtered."""
    if measure == "tips":
        query = {"area": area_id, "state": "all", "created_at_from": start, "created_at_to": end}
        if rw:
            query["rw"] = rw
        return reverse("laporan:index") + "?" + urlencode(query)
    query = {"area": area_id, "starts_at_from": start, "starts_at_to": end}
    if rw and measure == "sessions":  # attendees' RWs are their own, not the sessions' targets
        query["rw"] = rw
    return reverse("events_session:index") + "?" + urlencode(query)


class WhereMixin(WagtailAdminTemplateMixin):
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_where(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)


class WhereView(WhereMixin, TemplateView):
    template_name = "reporting/dashboard/where.html"
    page_title = gettext_lazy("Where")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def choice(self, name, options):
        value = self.request.GET.get(name)
        return value if value in options else next(iter(options))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        measure = self.choice("measure", where.MEASURES)
        grain = self.choice("period", where.GRAINS)
        area = None
        if self.request.GET.get("area", "").isdigit():
            area = get_object_or_404(event_scoping.areas_for(user), pk=self.request.GET["area"])
        if measure == "tips" and not user.has_perm(tip_scoping.VIEW_TIP):
            raise PermissionDenied
        spans, rows = where.table(user, measure, grain, area)
        margins = where.area_margins(user, measure, grain, area) if area is not None else None
        shown = where.shown(rows, measure, margins)
        top = max((cell.value for row in shown.cells for cell in row if not cell.hidden), default=0)
        first, last = spans[0].start, spans[-1].end
        labels = [span.label for span in spans]
        lines = []
        for row, cells, total in zip(rows, shown.cells, shown.row_totals, strict=True):
            lines.append(
                {
                    "label": row.label,
                    "area_url": self.url(measure, grain, row.key) if area is None else "",
                    "cells": [
                        {
                            "shown": cell,
                            "level": maps.level(cell, top),
                            "url": drill_down(measure, row.area_id, span.start, span.end, row.rw),
                            "period": span.label,
                        }
                        for cell, span in zip(cells, spans, strict=True)
                    ],
                    "total": total,
                    "total_url": drill_down(measure, row.area_id, first, last, row.rw),
                    "spark": maps.small_multiple(
                        f"{row.label}: {where.MEASURES[measure]}", cells, labels, top
                    ),
                }
            )
        context.update(
            measure=measure,
            grain=grain,
            area=area,
            spans=spans,
            lines=lines,
            shown=shown,
            legend=maps.legend(top, suppression.threshold() if measure == "tips" else None),
            limit=suppression.threshold(),
            suppressed=measure == "tips",
            measures=[
                (key, label, self.url(key, grain, area.pk if area else None))
                for key, label in where.MEASURES.items()
            ],
            grains=[
                (key, label, self.url(measure, key, area.pk if area else None))
                for key, label in where.GRAINS.items()
            ],
            all_areas_url=self.url(measure, grain, None),
            map=self.choropleth(measure, rows, shown, top, first, last) if area is None else "",
            may_upload=may_upload_boundaries(user),
        )
        return context

    def url(self, measure, grain, area_id):
        query = {"measure": measure, "period": grain}
        if area_id:
            query["area"] = area_id
        return reverse(f"{URL_NAMESPACE}:index") + "?" + urlencode(query)

    def choropleth(self, measure, rows, shown, top_cell, first, last):
        outlines = where.boundaries([row.area_id for row in rows])
        if not outlines:
            return ""
        areas = [
            (row.label, outlines[row.area_id], total, drill_down(measure, row.area_id, first, last))
            for row, total in zip(rows, shown.row_totals, strict=True)
            if row.area_id in outlines
        ]
        top = max((total.value for _n, _p, total, _u in areas if not total.hidden), default=0)
        title = _("%(measure)s per area, %(first)s – %(last)s") % {
            "measure": where.MEASURES[measure],
            "first": first.strftime("%d/%m/%Y"),
            "last": last.strftime("%d/%m/%Y"),
        }
        return {
            "svg": maps.choropleth(title, areas, top),
            "legend": maps.legend(top, suppression.threshold() if measure == "tips" else None),
            "missing": len(rows) - len(areas),
        }


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Area boundaries (GeoJSON)"),
        help_text=gettext_lazy(
            "A GeoJSON FeatureCollection in longitude/latitude (WGS 84); each feature's properties name "
            "its area (name, nama, kelurahan or desa)."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".geojson,.json,application/geo+json,application/json"}
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > boundary_service.max_bytes():
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB: simplify the outlines in your GIS and upload again.")
                % {"size": round(boundary_service.max_bytes() / 1024 / 1024, 1)}
            )
        return uploaded


class BoundaryUploadView(WhereMixin, TemplateView):
    template_name = "reporting/dashboard/boundaries.html"
    page_title = gettext_lazy("Area boundaries")

    def dispatch(self, request, *args, **kwargs):
        if not may_upload_boundaries(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": _("Where")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", BoundaryUploadForm())
        context["outlined"] = where.boundaries(event_scoping.areas_for(self.request.user).values("pk"))
        context["area_count"] = event_scoping.areas_for(self.request.user).count()
        return context

    def post(self, request):
        form = BoundaryUploadForm(request.POST, request.FILES)
        context = {"form": form}
        if form.is_valid():
            try:
                parsed = boundary_service.load(
                    form.cleaned_data["file"].read(), request.user, event_scoping.areas_for(request.user)
                )
            except boundary_service.BoundaryError as error:
                form.add_error("file", str(error))
            else:
                context.update(
                    stored=sorted(str(area.name) for area in parsed.outlines),
                    skipped=parsed.skipped,
                    form=BoundaryUploadForm(),
                )
        return self.render_to_response(self.get_context_data(**context))
