"""Writes of the reports app: templates and their sections, reports and their free texts, and generated documents.

Generation is asked for on the page (`document_request`: a queued row, handed to the worker once the transaction
commits) and done in the worker (`document_build`): each section's content (dieuhanh.reports.sections), the
official document, the DOCX, then the PDF when LibreOffice is there — the row's progress moves as it goes, and the
page polls it. Every document is kept: a new generation is a new version.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dieuhanh.lib.docnumbers import DocumentNumberError, normalise_document_number, parse_document_number
from dieuhanh.lib.officialdoc import Heading, OfficialDocument, Signature
from dieuhanh.orgunits.models import OrgUnit

from .models import Report, ReportDocument, ReportSection, ReportTemplate, ReportText

log = logging.getLogger(__name__)

TEMPLATE_FIELDS = ("name", "kind", "period_type", "doc_type", "summary_pattern", "active")
SECTION_FIELDS = ("heading", "level", "kind", "options", "default_text")
REPORT_FIELDS = ("template", "issuer", "subject", "period_id", "estimate", "owner_agency", "issuer_abbr", "number",
                 "date", "place", "send_to", "received_by", "signer_authority", "signer_title", "signer_name")


# --- templates -----------------------------------------------------------------------------------------------------
@transaction.atomic
def template_save(*, user, template: ReportTemplate | None = None, name: str, kind: str, period_type: str,
                  doc_type: str = "BÁO CÁO", summary_pattern: str, active: bool = True) -> ReportTemplate:
    template = template or ReportTemplate()
    template.name, template.kind, template.period_type = name.strip(), kind, period_type
    template.doc_type, template.summary_pattern, template.active = doc_type.strip(), summary_pattern.strip(), active
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def template_section_save(*, user, template: ReportTemplate, section: ReportSection | None = None, heading: str,
                          level: int, kind: str, indicators: Iterable = (), options: dict | None = None,
                          default_text: str = "") -> ReportSection:
    if section is None:
        last = template.sections.aggregate(m=Max("order"))["m"] or 0
        section = ReportSection(template=template, order=last + 10)
    section.heading, section.level, section.kind = heading.strip(), level, kind
    section.options, section.default_text = options if options is not None else {}, default_text
    section.full_clean()
    section.save()
    section.indicators.set(list(indicators))
    return section


@transaction.atomic
def template_section_move(*, user, section: ReportSection, direction: str) -> None:
    """Swap the section with its neighbour above ("up") or below ("down"); the outline is renumbered 10, 20, …"""
    sections = list(section.template.sections.order_by("order", "pk").select_for_update())
    i = next(n for n, s in enumerate(sections) if s.pk == section.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(sections):
        sections[i], sections[j] = sections[j], sections[i]
    for n, s in enumerate(sections, start=1):
        if s.order != n * 10:
            ReportSection.objects.filter(pk=s.pk).update(order=n * 10)


@transaction.atomic
def template_section_remove(*, user, section: ReportSection) -> None:
    """Remove a section from the outline. The texts typed for it in reports go with it; documents generated before
    keep it, since they are files."""
    section.delete()


# --- reports -------------------------------------------------------------------------------------------------------
def default_owner_agency(issuer: OrgUnit) -> str:
    """"UBND TỈNH TÂY NINH" for a department of a province: the upper line of the issuer block."""
    parent = issuer.parent
    while parent is not None and parent.kind != OrgUnit.Kind.PROVINCE:
        parent = parent.parent
    if parent is None:
        return ""
    name = parent.name.replace("(cũ)", "").strip()
    kind = (parent.division_type or "tỉnh").upper()
    return f"UBND {kind} {name.upper()}" if not name.upper().startswith(kind) else f"UBND {name.upper()}"


def default_issuer_abbr(issuer: OrgUnit) -> str:
    """"SKHCN" from the unit code SKHCN, "STTTT" from TN72-STTTT (the historic units carry a prefix)."""
    return issuer.code.rsplit("-", 1)[-1].upper()


def _check_number(report: Report) -> None:
    if not report.number.strip():
        report.number = ""
        return
    try:
        parsed = parse_document_number(report.number)
        report.number = normalise_document_number(report.number)
    except DocumentNumberError as exc:
        raise ValidationError({"number": _("Document number: %(problem)s") % {"problem": exc}}) from None
    if parsed.type_code != "BC":
        raise ValidationError({"number": _("Document number: a report's number has the type BC, e.g. "
                                           "15/BC-%(abbr)s.") % {"abbr": report.issuer_abbr or "SKHCN"}})


def _lines(text: str) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def _fill(report: Report, fields: Mapping) -> Report:
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown report fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    report.send_to, report.received_by = _lines(report.send_to), _lines(report.received_by)
    if report.issuer_id:
        report.issuer_abbr = report.issuer_abbr or default_issuer_abbr(report.issuer)
        report.owner_agency = report.owner_agency if "owner_agency" in fields else default_owner_agency(
            report.issuer)
    _check_number(report)
    report.full_clean()
    return report


@transaction.atomic
def report_create(*, user, template: ReportTemplate, issuer: OrgUnit, subject: OrgUnit, period_id: str,
                  **fields) -> Report:
    if not template.active:
        raise ValidationError({"template": _("Template: “%(name)s” is no longer in use.") % {"name": template.name}})
    report = _fill(Report(created_by=user), {"template": template, "issuer": issuer, "subject": subject,
                                             "period_id": period_id, **fields})
    report.save()
    return report


@transaction.atomic
def report_update(*, user, report: Report, **fields) -> Report:
    fields.pop("template", None)  # the outline is chosen once; its free texts belong to it
    report = _fill(report, fields)
    report.save()
    return report


@transaction.atomic
def report_texts_save(*, user, report: Report, texts: Mapping[int, str]) -> int:
    """Save the free texts typed on the report page ({section id: text}); returns how many changed."""
    sections = {s.pk: s for s in report.template.sections.all()}
    changed = 0
    for section_id, text in texts.items():
        if section_id not in sections:
            raise ValidationError(_("A section of this report was removed from its template; reload the page."))
        text = (text or "").replace("\r\n", "\n").strip()
        row, created = ReportText.objects.get_or_create(report=report, section=sections[section_id],
                                                        defaults={"text": text, "updated_by": user})
        if not created and row.text != text:
            row.text, row.updated_by = text, user
            row.full_clean()
            row.save()
            changed += 1
        changed += created
    return changed


def texts_of(report: Report) -> dict[int, str]:
    return dict(report.texts.values_list("section_id", "text"))


# --- documents -----------------------------------------------------------------------------------------------------
@transaction.atomic
def document_request(*, user, report: Report) -> ReportDocument:
    """A new version, queued; the worker builds it once this transaction commits."""
    Report.objects.select_for_update().filter(pk=report.pk).first()  # one version number at a time per report
    version = (report.documents.aggregate(m=Max("version"))["m"] or 0) + 1
    try:
        with transaction.atomic():
            document = ReportDocument.objects.create(report=report, version=version, made_by=user)
    except IntegrityError:
        raise ValidationError(_("Another document of this report is being started; try again.")) from None
    transaction.on_commit(lambda: _enqueue(document.pk))
    return document


def _enqueue(document_id: int) -> None:
    from .tasks import reports_document_build

    try:
        reports_document_build(document_id)
    except Exception:  # noqa: BLE001 — never fail the request after its commit; the row says it is queued
        log.exception("reports: could not queue document %s", document_id)


def _progress(document: ReportDocument, progress: int, message: str = "") -> None:
    ReportDocument.objects.filter(pk=document.pk).update(progress=progress, message=message[:500])


def official_document(report: Report, *, progress=None) -> tuple[OfficialDocument, dict[str, str], set[int]]:
    """The report as an official document, the figures its sections printed, and the indicators they read."""
    from .sections import ReportScope, section_content

    scope = ReportScope(unit=report.subject, issuer=report.issuer, period_id=report.period_id,
                        estimate=report.estimate)
    texts = texts_of(report)
    sections = list(report.template.sections.order_by("order", "pk").prefetch_related("indicators"))
    blocks, figures, indicator_ids = [], {}, set()
    for n, section in enumerate(sections, start=1):
        heading = report.heading_of(section)
        if heading:
            blocks.append(Heading(heading, level=section.level))
        indicators = list(section.ordered_indicators())
        indicator_ids |= {i.pk for i in indicators}
        text = texts.get(section.pk, "") or section.default_text
        content = section_content(section.kind, scope, indicators=indicators, text=text, options=section.options)
        blocks.extend(content.blocks)
        for key, value in content.figures.items():
            if key in figures and figures[key] != value:  # two sections print the same key differently
                key = f"{heading or section.get_kind_display()} · {key}"
            figures[key] = value
        if progress:
            progress(10 + 60 * n // max(len(sections), 1))
    signature = None
    if report.signer_title or report.signer_name:
        signature = Signature(title=report.signer_title, name=report.signer_name, authority=report.signer_authority)
    doc = OfficialDocument(
        owner_agency=report.owner_agency, issuing_agency=report.issuer.name.upper(), number=report.number_shown,
        place=report.place, date=report.date, doc_type=report.template.doc_type, summary=report.summary,
        blocks=tuple(blocks), signature=signature, send_to=addressee_lines(report.send_to.splitlines()),
        received_by=tuple(report.received_by.splitlines()),
        year=timezone.localdate().year)  # an undated document is signed now: "ngày … tháng … năm 2027"
    return doc, figures, indicator_ids


def addressee_lines(lines: list[str]) -> tuple[str, ...]:
    """Several addressees go on their own lines, "- …;" and the last "- ….", as Decree 30 writes them; one stays
    as typed, after "Kính gửi:"."""
    lines = [line.strip().lstrip("-").strip().rstrip(";.") for line in lines if line.strip()]
    if len(lines) < 2:
        return tuple(lines)
    return tuple(f"- {line}{'.' if n == len(lines) - 1 else ';'}" for n, line in enumerate(lines))


def document_build(*, document_id: int) -> ReportDocument | None:
    """The worker's part: claim the queued document, write its sections, DOCX and PDF, and keep them. Each step
    commits its progress, so the page sees it move; a failure is kept with its message."""
    from dieuhanh.lib.officialdoc_docx import render_docx
    from dieuhanh.lib.pdf import PdfUnavailable, docx_to_pdf

    from .selectors import data_as_of

    if ReportDocument.objects.filter(pk=document_id, status=ReportDocument.Status.QUEUED).update(
            status=ReportDocument.Status.RUNNING, progress=5, message=_("Reading the figures…")) != 1:
        return None  # already taken by another worker, or gone
    document = ReportDocument.objects.select_related("report__template", "report__issuer", "report__subject").get(
        pk=document_id)
    report = document.report
    try:
        doc, figures, indicator_ids = official_document(
            report, progress=lambda p: _progress(document, p, _("Writing the sections…")))
        _progress(document, 75, _("Writing the DOCX file…"))
        docx = render_docx(doc)
        as_of = data_as_of(report, sorted(indicator_ids) if indicator_ids else None)
        ReportDocument.objects.filter(pk=document.pk).update(
            docx=docx, figures=figures, data_as_of=as_of or timezone.now(), progress=85,
            message=_("Converting to PDF…"))
        pdf, pdf_message = None, ""
        try:
            pdf = docx_to_pdf(docx)
        except PdfUnavailable:
            pdf_message = _("No PDF: LibreOffice is not installed on the server. The DOCX file is complete.")
        except Exception as exc:  # noqa: BLE001 — the DOCX is kept whatever the converter does
            log.exception("reports: PDF of document %s failed", document.pk)
            pdf_message = _("No PDF: the conversion failed (%(error)s). The DOCX file is complete.") % {
                "error": str(exc)[:200]}
        ReportDocument.objects.filter(pk=document.pk).update(
            pdf=pdf, pdf_message=pdf_message, status=ReportDocument.Status.DONE, progress=100, message="",
            finished_at=timezone.now())
    except Exception as exc:
        log.exception("reports: document %s failed", document.pk)
        ReportDocument.objects.filter(pk=document.pk).update(
            status=ReportDocument.Status.FAILED, finished_at=timezone.now(),
            message=(_("Generation failed: %(error)s") % {"error": exc})[:500])
    document.refresh_from_db()
    return document


def documents_stale_fail(*, older_than: datetime.timedelta = datetime.timedelta(minutes=30)) -> int:
    """Documents queued or running for longer than any generation takes (a worker that died): marked failed, so
    the page stops waiting and the official can generate again."""
    return ReportDocument.objects.filter(
        status__in=[ReportDocument.Status.QUEUED, ReportDocument.Status.RUNNING],
        made_at__lt=timezone.now() - older_than,
    ).update(status=ReportDocument.Status.FAILED,
             message=_("The worker did not finish this document; generate it again."))
