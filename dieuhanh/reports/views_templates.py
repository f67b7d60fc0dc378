"""Pages configuring the report templates: their list, a template's fields and its outline (sections added,
edited, moved up or down, removed). For the province's administrators (selectors.may_configure)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.assignments.views_tasks import apply_errors

from . import selectors, services
from .forms import SectionForm, TemplateForm
from .models import ReportSection, ReportTemplate
from .services import SECTION_FIELDS, TEMPLATE_FIELDS


def _configurator(request) -> None:
    if not selectors.may_configure(request.user):
        raise PermissionDenied(_("Only the province's administrators configure report templates."))


@login_required
def template_list(request):
    _configurator(request)
    templates = ReportTemplate.objects.order_by("-active", "name")
    return render(request, "reports/template_list.html", {"templates": templates})


@login_required
def template_edit(request, pk: int | None = None):
    _configurator(request)
    template = get_object_or_404(ReportTemplate, pk=pk) if pk else None
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if form.is_valid():
            try:
                template = services.template_save(user=request.user, template=template,
                                                  **{f: form.cleaned_data[f] for f in TEMPLATE_FIELDS})
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The template “%(name)s” is saved.") % {"name": template.name})
                return redirect("reports:template_edit", template.pk)
    else:
        initial = ({f: getattr(template, f) for f in TEMPLATE_FIELDS} if template
                   else {"doc_type": "BÁO CÁO", "active": True, "period_type": "year"})
        form = TemplateForm(initial=initial)
    sections = list(template.sections.order_by("order", "pk").prefetch_related("indicators")) if template else []
    return render(request, "reports/template_form.html", {"form": form, "template": template,
                                                          "sections": sections})


@login_required
def section_edit(request, pk: int, section_pk: int | None = None):
    _configurator(request)
    template = get_object_or_404(ReportTemplate, pk=pk)
    section = get_object_or_404(ReportSection, pk=section_pk, template=template) if section_pk else None
    if request.method == "POST":
        form = SectionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.template_section_save(user=request.user, template=template, section=section,
                                               indicators=data["indicators"],
                                               **{f: data[f] for f in SECTION_FIELDS})
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The section is saved."))
                return redirect("reports:template_edit", template.pk)
    else:
        initial = {"level": 2, "kind": "free_text"}
        if section:
            initial = {f: getattr(section, f) for f in SECTION_FIELDS}
            initial["options"] = json.dumps(section.options, ensure_ascii=False) if section.options else ""
            initial["indicators"] = list(section.indicators.all())
        form = SectionForm(initial=initial)
    return render(request, "reports/section_form.html", {"form": form, "template": template, "section": section})


@login_required
@require_POST
def section_move(request, pk: int, section_pk: int):
    _configurator(request)
    section = get_object_or_404(ReportSection, pk=section_pk, template_id=pk)
    services.template_section_move(user=request.user, section=section,
                                   direction="up" if request.POST.get("direction") == "up" else "down")
    return redirect("reports:template_edit", pk)


@login_required
@require_POST
def section_remove(request, pk: int, section_pk: int):
    _configurator(request)
    section = get_object_or_404(ReportSection, pk=section_pk, template_id=pk)
    services.template_section_remove(user=request.user, section=section)
    messages.success(request, _("The section is removed from the outline."))
    return redirect("reports:template_edit", pk)
