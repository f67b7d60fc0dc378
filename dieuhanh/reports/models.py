"""Official reports (báo cáo) written from the data: templates (an outline of sections), reports being prepared
(a template for an issuer, a subject unit and a period, with the official's free texts), and every generated
document kept (DOCX, PDF when LibreOffice is there, the figures it printed, and the data-as-of time).

The documents' files are kept in the database (BinaryField): a DOCX is tens of kB, it commits or rolls back with
its row, needs no media directory shared between the web and worker machines, is backed up with the data, and is
served only through a view that checks the reader's scope (a media URL would not).
"""

from __future__ import annotations

import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dieuhanh.lib.periods import Period, PeriodError, PeriodType
from dieuhanh.reports.sections import Kind

SECTION_KINDS = Kind.choices
FREE_TEXT = Kind.FREE_TEXT
PERIOD_TYPE_CHOICES = [(t.value, t.label) for t in PeriodType]
PLACEHOLDERS = ("year", "next_year", "period", "unit")


def pattern_problem(pattern: str) -> str | None:
    """What is wrong with a summary or heading pattern ("… năm {year} …"), or None."""
    try:
        names = [name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None]
    except ValueError:
        return str(_("Unbalanced braces: write a placeholder as {year}."))
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        return str(_("Unknown placeholder {%(name)s}: use {year}, {next_year}, {period} or {unit}.")
                   % {"name": unknown[0]})
    return None


def fill_pattern(pattern: str, *, period: Period, unit_name: str) -> str:
    values = {"year": period.year, "next_year": period.year + 1, "period": period.label, "unit": unit_name}
    return pattern.format(**values) if not pattern_problem(pattern) else pattern


class ReportTemplate(models.Model):
    class Kind(models.TextChoices):
        YEAR_END = "year_end", _("Year-end review and next year's directions")
        SOCIO_MONTHLY = "socio_monthly", _("Monthly socio-economic report")
        SOCIO_QUARTERLY = "socio_quarterly", _("Quarterly socio-economic report")
        SOCIO_SIX_MONTHS = "socio_six_months", _("Six-month socio-economic report")
        SOCIO_NINE_MONTHS = "socio_nine_months", _("Nine-month socio-economic report")
        SECTOR_PERIODIC = "sector_periodic", _("Sector periodic report")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind of report"), max_length=24, choices=Kind.choices)
    period_type = models.CharField(_("period covered"), max_length=16, choices=PERIOD_TYPE_CHOICES)
    doc_type = models.CharField(_("document type"), max_length=60, default="BÁO CÁO")
    summary_pattern = models.CharField(
        _("summary line"), max_length=300,
        help_text=_("Placeholders: {year}, {next_year}, {period} (e.g. Quý III/2026), {unit} (the subject unit)."))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("report template")
        verbose_name_plural = _("report templates")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = pattern_problem(self.summary_pattern or "")
        if problem:
            raise ValidationError({"summary_pattern": _("Summary line: %(problem)s") % {"problem": problem}})


class ReportSection(models.Model):
    """One heading of the outline and what is written under it. The heading carries its own numbering
    ("I. KẾT QUẢ …", "1. …", "a) …"); an empty heading continues the section above (a table under a narrative)."""

    template = models.ForeignKey(ReportTemplate, verbose_name=_("report template"), on_delete=models.CASCADE,
                                 related_name="sections")
    order = models.PositiveIntegerField(_("order"), default=0)
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    level = models.PositiveSmallIntegerField(_("heading level"), default=1,
                                             validators=[MinValueValidator(1), MaxValueValidator(3)])
    kind = models.CharField(_("content"), max_length=20, choices=SECTION_KINDS)
    indicators = models.ManyToManyField("indicators.Indicator", verbose_name=_("indicators"), blank=True,
                                        related_name="+")
    options = models.JSONField(_("options"), default=dict, blank=True)
    default_text = models.TextField(_("default text"), blank=True)

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")

    def __str__(self) -> str:
        # Placeholders shown by what they stand for: the admin prints this as the inline's title.
        shown = {"year": _("(year)"), "next_year": _("(next year)"), "period": _("(period)"), "unit": _("(unit)")}
        if self.heading and not pattern_problem(self.heading):
            return self.heading.format(**{k: str(v) for k, v in shown.items()})
        return self.heading or str(self.get_kind_display())

    def clean(self) -> None:
        problem = pattern_problem(self.heading or "")
        if problem:
            raise ValidationError({"heading": _("Heading: %(problem)s") % {"problem": problem}})
        if not isinstance(self.options, dict):
            raise ValidationError({"options": _("Options: write a JSON object, e.g. {\"ytd\": true}.")})

    @property
    def is_free_text(self) -> bool:
        return self.kind == FREE_TEXT

    def ordered_indicators(self):
        # The catalogue's order: its sectors, then the order the indicators were defined in.
        return self.indicators.select_related("sector").order_by("sector__order", "pk")


class Report(models.Model):
    """A report being prepared: which template, who issues it (a Sở), whose figures (a province, the old Tây Ninh),
    for which period, and the document's parts that are not data (number, date, recipients, signer, free texts)."""

    template = models.ForeignKey(ReportTemplate, verbose_name=_("report template"), on_delete=models.PROTECT,
                                 related_name="reports")
    issuer = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("issuing unit"), on_delete=models.PROTECT,
                               related_name="+")
    subject = models.ForeignKey("orgunits.OrgUnit", verbose_name=_("unit reported on"), on_delete=models.PROTECT,
                                related_name="+")
    period_id = models.CharField(_("period"), max_length=8)
    estimate = models.BooleanField(_("estimated figures"), default=False,
                                   help_text=_("Written before the period's actual figures are in (\"ước đạt\")."))
    owner_agency = models.CharField(_("owner agency"), max_length=200, blank=True,
                                    help_text=_("The upper line of the issuer block, e.g. UBND TỈNH TÂY NINH."))
    issuer_abbr = models.CharField(_("issuer abbreviation"), max_length=30,
                                   help_text=_("As in the document number, e.g. SKHCN."))
    number = models.CharField(_("document number"), max_length=40, blank=True,
                              help_text=_("E.g. 15/BC-SKHCN; empty while the report has no number yet."))
    date = models.DateField(_("document date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True)
    send_to = models.TextField(_("addressees (Kính gửi)"), blank=True, help_text=_("One addressee a line."))
    received_by = models.TextField(_("recipients (Nơi nhận)"), blank=True, help_text=_("One recipient a line."))
    signer_authority = models.CharField(_("signing authority"), max_length=100, blank=True,
                                        help_text=_("E.g. KT. GIÁM ĐỐC; empty when the head signs."))
    signer_title = models.CharField(_("signer's title"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.summary} · {self.issuer.name}"

    def clean(self) -> None:
        try:
            period = self.period
        except PeriodError:
            raise ValidationError({"period_id": _("Period: choose a period of the list.")}) from None
        if self.template_id and period.type.value != self.template.period_type:
            raise ValidationError({"period_id": _("Period: the template “%(template)s” covers a %(type)s.") % {
                "template": self.template.name, "type": PeriodType(self.template.period_type).label.lower()}})

    @property
    def period(self) -> Period:
        return Period.parse(self.period_id)

    @property
    def summary(self) -> str:
        return fill_pattern(self.template.summary_pattern, period=self.period, unit_name=self.subject.name)

    @property
    def number_shown(self) -> str:
        """"15/BC-SKHCN", or "…/BC-SKHCN" while unnumbered."""
        return self.number or f"…/BC-{self.issuer_abbr}"

    def heading_of(self, section: ReportSection) -> str:
        return fill_pattern(section.heading, period=self.period, unit_name=self.subject.name)


class ReportText(models.Model):
    """What the official wrote for one section of one report."""

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="texts")
    section = models.ForeignKey(ReportSection, verbose_name=_("report section"), on_delete=models.CASCADE,
                                related_name="+")
    text = models.TextField(_("text"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("section text")
        verbose_name_plural = _("section texts")
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="unique_report_section_text")]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.section}"


class ReportDocument(models.Model):
    """One generation of a report, kept for good: a new generation is a new version, never an overwrite."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.PROTECT, related_name="documents")
    version = models.PositiveIntegerField(_("version"))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("made by"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The latest change of any value that fed the figures (the generation time when none did).
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                validators=[MaxValueValidator(100)])
    message = models.CharField(_("message"), max_length=500, blank=True)
    docx = models.BinaryField(_("DOCX file"), null=True, blank=True, editable=False)
    pdf = models.BinaryField(_("PDF file"), null=True, blank=True, editable=False)
    pdf_message = models.CharField(_("why there is no PDF"), max_length=300, blank=True)
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    class Meta:
        ordering = ["report", "-version"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        constraints = [models.UniqueConstraint(fields=["report", "version"], name="unique_report_document_version")]

    def __str__(self) -> str:
        return f"{self.report_id} v{self.version}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
