"""Pages of official reports: the list, creating and editing a report, its page (outline, free texts, the
"Tạo văn bản" button, the kept documents with their changes) and the documents' downloads."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dieuhanh.assignments.views_tasks import apply_errors
from dieuhanh.lib.vnformat import fold

from . import selectors, services
from .diff import figures_diff
from .forms import ReportMetaForm
from .models import Report, ReportDocument

META_FIELDS = ("issuer", "subject", "period_id", "estimate", "number", "date", "place", "owner_agency",
               "issuer_abbr", "send_to", "received_by", "signer_authority", "signer_title", "signer_name")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _report_or_404(user, pk: int) -> Report:
    return get_object_or_404(selectors.reports_for(user), pk=pk)


def _meta_form(request, data=None, *, editing=False, initial=None) -> ReportMetaForm:
    user = request.user
    return ReportMetaForm(
        data, initial=initial, editing=editing, templates=selectors.templates_for_use(),
        issuers=selectors.editable_units(user).order_by("path"),
        subjects=selectors.subject_units(user).order_by("path"),
        periods=selectors.period_choices(timezone.localdate()))


@login_required
def report_list(request):
    reports = list(selectors.reports_for(request.user).order_by("-period_id", "-created_at")[:500])
    return render(request, "reports/report_list.html", {
        "reports": reports, "may_create": selectors.may_create(request.user),
        "configures": selectors.may_configure(request.user)})


@login_required
def report_create(request):
    if not selectors.may_create(request.user):
        raise PermissionDenied(_("Only a department's staff and administrators create reports."))
    if request.method == "POST":
        form = _meta_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.report_create(user=request.user, template=data["template"],
                                                **{name: data[name] for name in META_FIELDS})
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The report is created: write its texts, then generate the document."))
                return redirect("reports:report_detail", report.pk)
    else:
        form = _meta_form(request, initial={"place": "", "received_by": "- Như trên;\n- Lưu: VT."})
    return render(request, "reports/report_form.html", {"form": form, "report": None})


@login_required
def report_edit(request, pk: int):
    report = _report_or_404(request.user, pk)
    if not selectors.may_edit(request.user, report):
        raise PermissionDenied(_("Only the issuing department's staff and administrators edit this report."))
    if request.method == "POST":
        form = _meta_form(request, request.POST, editing=True, initial={"template": report.template_id})
        if form.is_valid():
            try:
                services.report_update(user=request.user, report=report,
                                       **{name: form.cleaned_data[name] for name in META_FIELDS})
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The report's details are saved."))
                return redirect("reports:report_detail", report.pk)
    else:
        form = _meta_form(request, editing=True, initial={"template": report.template_id, **{
            name: getattr(report, name) for name in META_FIELDS}})
    return render(request, "reports/report_form.html", {"form": form, "report": report})


def _documents_context(report: Report) -> dict:
    documents = list(selectors.documents_of(report))
    done = [d for d in documents if d.status == ReportDocument.Status.DONE]
    for d in documents:
        d.changes = None
        d.has_docx = d.has_pdf = False
    if done:
        ids = [d.pk for d in done]
        with_docx = set(ReportDocument.objects.filter(pk__in=ids, docx__isnull=False).values_list("pk", flat=True))
        with_pdf = set(ReportDocument.objects.filter(pk__in=ids, pdf__isnull=False).values_list("pk", flat=True))
        for n, d in enumerate(done):
            d.has_docx, d.has_pdf = d.pk in with_docx, d.pk in with_pdf
            previous = done[n + 1] if n + 1 < len(done) else None
            if previous is not None:
                d.changes = figures_diff(previous.figures, d.figures)
                d.previous_version = previous.version
    return {"report": report, "documents": documents, "pending": any(d.pending for d in documents)}


@login_required
def report_detail(request, pk: int):
    report = _report_or_404(request.user, pk)
    texts = services.texts_of(report)
    sections = list(report.template.sections.order_by("order", "pk").prefetch_related("indicators"))
    outline = [{"section": s, "heading": report.heading_of(s), "text": texts.get(s.pk, ""),
                "indicators": list(s.ordered_indicators())} for s in sections]
    return render(request, "reports/report_detail.html", {
        **_documents_context(report), "outline": outline, "may_edit": selectors.may_edit(request.user, report),
        "period_label": report.period.label})


@login_required
@require_POST
def report_texts(request, pk: int):
    report = _report_or_404(request.user, pk)
    if not selectors.may_edit(request.user, report):
        raise PermissionDenied(_("Only the issuing department's staff and administrators edit this report."))
    texts = {}
    for key, value in request.POST.items():
        match = re.fullmatch(r"text-(\d+)", key)
        if match:
            texts[int(match[1])] = value
    try:
        services.report_texts_save(user=request.user, report=report, texts=texts)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The texts are saved."))
    if request.POST.get("then") == "generate":
        return _generate(request, report)
    return redirect("reports:report_detail", report.pk)


def _generate(request, report: Report):
    try:
        document = services.document_request(user=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("Document version %(n)s is being generated.") % {"n": document.version})
    return redirect(reverse("reports:report_detail", args=[report.pk]) + "#documents")


@login_required
@require_POST
def report_generate(request, pk: int):
    """Any reader may generate: a new document changes nobody's text, and a leader may want today's figures."""
    report = _report_or_404(request.user, pk)
    return _generate(request, report)


@login_required
def report_documents(request, pk: int):
    """The documents list alone: what the page polls while a document is being generated."""
    report = _report_or_404(request.user, pk)
    return render(request, "reports/_documents.html", _documents_context(report))


@login_required
def document_download(request, pk: int, version: int, fmt: str):
    report = _report_or_404(request.user, pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    document = get_object_or_404(ReportDocument.objects.only(fmt, "version", "report_id"), report=report,
                                 version=version, status=ReportDocument.Status.DONE)
    data = getattr(document, fmt)
    if not data:
        raise Http404
    name = fold(f"BC {report.issuer_abbr} {report.period_id} v{version}").replace(" ", "-").upper()
    response = HttpResponse(bytes(data), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
