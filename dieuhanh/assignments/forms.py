"""Forms of the task pages. They parse and check what a person typed; the services decide and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dieuhanh.assignments.models import Assigner, Document, Status, Task
from dieuhanh.indicators.models import Sector
from dieuhanh.lib.dates import date_field
from dieuhanh.lib.docnumbers import DocumentNumberError, normalise_document_number
from dieuhanh.lib.periods import PeriodError, parse_period
from dieuhanh.orgunits.models import OrgUnit

MAX_FILES = 10
MAX_FILE_BYTES = 20 * 1024 * 1024


def period_label(occurrence) -> str:
    """"Quý I/2026" for an occurrence of a recurring task; "" for a task's only occurrence."""
    if not occurrence.period_id:
        return ""
    try:
        return parse_period(occurrence.period_id).label
    except PeriodError:
        return occurrence.period_id


class FilePickInput(forms.ClearableFileInput):
    """A file input with our own Vietnamese button instead of the browser's "Choose File"."""

    template_name = "assignments/widgets/file_pick.html"


class MultipleFileInput(FilePickInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(MultipleFileField, self).clean(item, initial) for item in items]
        if len(files) > MAX_FILES:
            raise ValidationError(_("Attach at most %(n)d files at once.") % {"n": MAX_FILES})
        for f in files:
            if f.size > MAX_FILE_BYTES:
                raise ValidationError(
                    _("'%(name)s' is larger than %(mb)d MB.") % {"name": f.name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
                )
        return files


class BootstrapForm(forms.Form):
    """Bootstrap's classes on every widget, and `is-invalid` on a field as soon as it has an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.HiddenInput)):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css} form-control-sm".strip().replace(
                "form-select form-control-sm", "form-select form-select-sm")

    def add_error(self, field, error):
        super().add_error(field, error)
        names = [field] if field else []
        if hasattr(error, "error_dict") and field is None:
            names = list(error.error_dict)
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: OrgUnit) -> str:
        return obj.name


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        summary = obj.summary if len(obj.summary) <= 70 else obj.summary[:69] + "…"
        return f"{obj.number} · {summary}"


# ---------------------------------------------------------------------------------------------------------
# The list's filters


class TaskFilterForm(BootstrapForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    on = date_field(_("Status on"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = UnitChoiceField(label=_("Lead unit"), queryset=OrgUnit.objects.none(), required=False)
    document = DocumentChoiceField(label=_("Document"), queryset=Document.objects.none(), required=False)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)
    key_only = forms.BooleanField(label=_("Key tasks only"), required=False)
    deadline_from = date_field(_("Deadline from"), required=False)
    deadline_to = date_field(_("Deadline to"), required=False)

    def __init__(self, *args, units=None, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *Status.choices]
        self.fields["unit"].queryset = units if units is not None else OrgUnit.objects.none()
        self.fields["unit"].empty_label = _("All units")
        self.fields["document"].queryset = documents if documents is not None else Document.objects.none()
        self.fields["document"].empty_label = _("All documents")
        self.fields["sector"].empty_label = _("All sectors")

    def clean(self):
        data = super().clean()
        start, end = data.get("deadline_from"), data.get("deadline_to")
        if start and end and start > end:
            self.add_error("deadline_to", _("The end of the deadline range is before its start."))
        return data


# ---------------------------------------------------------------------------------------------------------
# Registering documents and tasks (the office)


class DocumentForm(BootstrapForm):
    number = forms.CharField(
        label=_("Number and symbol"), max_length=64,
        help_text=_("As on the document: 123/QĐ-UBND, 06/2024/QĐ-UBND, 125/UBND-KT."),
    )
    issued_on = date_field(_("Date issued"))
    issuer = UnitChoiceField(label=_("Issuer"), queryset=OrgUnit.objects.none())
    signer = forms.CharField(label=_("Signer"), max_length=255, required=False)
    summary = forms.CharField(label=pgettext_lazy("document", "Summary"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Attachment (PDF)"), required=False, widget=FilePickInput())

    def __init__(self, *args, issuers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers if issuers is not None else OrgUnit.objects.none()

    def clean_number(self) -> str:
        try:
            return normalise_document_number(self.cleaned_data["number"])
        except DocumentNumberError as exc:
            raise ValidationError(str(exc)) from exc

    def clean_attachment(self):
        f = self.cleaned_data.get("attachment")
        if f:
            head = f.read(5)
            f.seek(0)
            if not f.name.lower().endswith(".pdf") or head != b"%PDF-":
                raise ValidationError(_("'%(name)s' is not a PDF file.") % {"name": f.name})
            if f.size > MAX_FILE_BYTES:
                raise ValidationError(
                    _("'%(name)s' is larger than %(mb)d MB.") % {"name": f.name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
                )
        return f


class TaskForm(BootstrapForm):
    SOURCE_DOCUMENT = "document"
    SOURCE_INSTRUCTION = "instruction"

    title = forms.CharField(label=_("Task"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.ChoiceField(
        label=_("Source"), widget=forms.RadioSelect, initial=SOURCE_DOCUMENT,
        choices=[(SOURCE_DOCUMENT, _("A directive document")),
                 (SOURCE_INSTRUCTION, _("A leader's instruction at a meeting"))],
    )
    document = DocumentChoiceField(label=_("Document"), queryset=Document.objects.none(), required=False)
    meeting = forms.CharField(label=_("Meeting"), max_length=255, required=False)
    held_on = date_field(_("Meeting date"), required=False)
    instructed_by = forms.CharField(label=_("Instructed by"), max_length=255, required=False)
    assigner = forms.ModelChoiceField(label=_("Assigned by"), queryset=Assigner.objects.none())
    assigned_on = date_field(_("Date assigned"))
    lead_unit = UnitChoiceField(label=_("Lead unit"), queryset=OrgUnit.objects.none())
    coordinating_units = UnitMultipleChoiceField(
        label=_("Coordinating units"), queryset=OrgUnit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_kind = forms.ChoiceField(label=pgettext_lazy("task", "Deadline"), choices=Task.DeadlineKind.choices,
                                      initial=Task.DeadlineKind.DATE)
    deadline = date_field(_("Deadline date"), required=False)
    recurring_day = forms.IntegerField(label=_("Due on day"), min_value=1, max_value=31, required=False,
                                       help_text=_("For a recurring task: the day of the month it is due."))
    recurring_month_offset = forms.IntegerField(
        label=_("Months after the period"), min_value=0, max_value=12, required=False, initial=0,
        help_text=_("0: due in the period's last month; 1: in the month after."),
    )
    recurring_until = date_field(_("Recurring until"), required=False)
    is_key = forms.BooleanField(label=_("Key task"), required=False)
    product = forms.ChoiceField(label=_("Expected product"), choices=Task.Product.choices,
                                initial=Task.Product.REPORT)
    product_note = forms.CharField(label=_("Product details"), max_length=255, required=False)
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(), required=False)

    def __init__(self, *args, units=None, documents=None, assigners=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = units if units is not None else OrgUnit.objects.none()
        self.fields["lead_unit"].queryset = units
        self.fields["lead_unit"].empty_label = _("Choose the lead unit")
        self.fields["assigner"].empty_label = _("Choose who assigned it")
        self.fields["sector"].empty_label = _("No sector")
        self.fields["coordinating_units"].queryset = units
        if "document" in self.fields:
            self.fields["document"].queryset = documents if documents is not None else Document.objects.none()
            self.fields["document"].empty_label = _("Choose a document")
        self.fields["assigner"].queryset = assigners if assigners is not None else Assigner.objects.none()

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == self.SOURCE_DOCUMENT:
            if not data.get("document"):
                self.add_error("document", _("Choose the document that assigns the task."))
        elif source == self.SOURCE_INSTRUCTION:
            for name, message in (
                ("meeting", _("Name the meeting where the task was given.")),
                ("held_on", _("Enter the date of the meeting.")),
                ("instructed_by", _("Enter who gave the instruction.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
        kind = data.get("deadline_kind")
        if kind == Task.DeadlineKind.DATE and not data.get("deadline"):
            self.add_error("deadline", _("Enter the deadline, or choose 'No deadline'."))
        if kind in (Task.DeadlineKind.MONTHLY, Task.DeadlineKind.QUARTERLY, Task.DeadlineKind.YEARLY):
            if not data.get("recurring_day"):
                self.add_error("recurring_day", _("Enter the day of the month each occurrence is due."))
            if not data.get("recurring_until"):
                self.add_error("recurring_until", _("Enter until when the task recurs."))
        lead, coordinating = data.get("lead_unit"), data.get("coordinating_units")
        if lead and coordinating and lead in coordinating:
            self.add_error("coordinating_units", _("The lead unit cannot also be a coordinating unit."))
        assigned_on, deadline = data.get("assigned_on"), data.get("deadline")
        if kind == Task.DeadlineKind.DATE and assigned_on and deadline and deadline < assigned_on:
            self.add_error("deadline", _("The deadline is before the date the task was assigned."))
        return data

    def service_kwargs(self, *, instruction=None) -> dict:
        """The arguments of `task_create` from the cleaned data."""
        data = self.cleaned_data
        kind = data["deadline_kind"]
        recurring = kind in (Task.DeadlineKind.MONTHLY, Task.DeadlineKind.QUARTERLY, Task.DeadlineKind.YEARLY)
        return {
            "title": data["title"].strip(),
            "assigner": data["assigner"],
            "assigned_on": data["assigned_on"],
            "lead_unit": data["lead_unit"],
            "deadline_kind": kind,
            "document": data["document"] if data["source"] == self.SOURCE_DOCUMENT else None,
            "instruction": instruction,
            "coordinating_units": list(data.get("coordinating_units") or ()),
            "deadline": data.get("deadline") if kind == Task.DeadlineKind.DATE else None,
            "recurring_day": data.get("recurring_day") if recurring else None,
            "recurring_month_offset": (data.get("recurring_month_offset") or 0) if recurring else 0,
            "recurring_until": data.get("recurring_until") if recurring else None,
            "is_key": data.get("is_key", False),
            "product": data["product"],
            "product_note": data.get("product_note", ""),
            "sector": data.get("sector"),
        }


# ---------------------------------------------------------------------------------------------------------
# Actions on a task's detail page


class OccurrenceFormMixin(BootstrapForm):
    """The occurrence acted on; the view passes the task's occurrences, so another task's is refused."""

    occurrence = forms.TypedChoiceField(label=_("Period"), coerce=int)

    def __init__(self, *args, occurrences=(), **kwargs):
        super().__init__(*args, **kwargs)
        occurrences = list(occurrences)
        self.occurrences = {o.pk: o for o in occurrences}
        self.fields["occurrence"].choices = [(o.pk, period_label(o) or _("The task")) for o in occurrences]
        if len(occurrences) == 1:
            self.fields["occurrence"].initial = occurrences[0].pk
            if not occurrences[0].period_id:  # the task's only occurrence: nothing to choose or to name
                self.fields["occurrence"].widget = forms.HiddenInput()

    def clean_occurrence(self):
        pk = self.cleaned_data["occurrence"]
        if pk not in self.occurrences:
            raise ValidationError(_("Choose one of the task's periods."))
        return self.occurrences[pk]


class ProgressForm(OccurrenceFormMixin):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100,
                                 error_messages={"min_value": _("The percentage is between 0 and 100."),
                                                 "max_value": _("The percentage is between 0 and 100.")})
    files = MultipleFileField(label=_("Attachments"))


class CommentForm(BootstrapForm):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("Attachments"))


class CompletionForm(OccurrenceFormMixin):
    completed_on = date_field(_("Completion date"))
    result_note = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))
    result_number = forms.CharField(label=_("Product document number"), max_length=64, required=False,
                                    help_text=_("E.g. 45/BC-SKHCN, if the product is a document."))
    files = MultipleFileField(label=_("Attachments"))


class ConfirmForm(OccurrenceFormMixin):
    pass


class ReturnForm(OccurrenceFormMixin):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionRequestForm(OccurrenceFormMixin):
    requested_deadline = date_field(_("Requested deadline"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(BootstrapForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("note", "").strip():
            self.add_error("note", _("Say why the extension is rejected."))
        return data


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class TaskEditForm(TaskForm):
    """The registered details the office may change. The source and the deadline kind stay as registered
    (cancel and register again to change them); a dated task's deadline may move, and the move is recorded."""

    source = None
    document = None
    meeting = None
    held_on = None
    instructed_by = None
    deadline_kind = None
    recurring_day = None
    recurring_month_offset = None
    recurring_until = None

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        if task.deadline_kind == Task.DeadlineKind.DATE:
            self.fields["deadline"].required = True
            self.fields["deadline"].label = pgettext_lazy("task", "Deadline")
        else:
            del self.fields["deadline"]

    def clean(self):
        data = BootstrapForm.clean(self)
        lead, coordinating = data.get("lead_unit"), data.get("coordinating_units")
        if lead and coordinating and lead in coordinating:
            self.add_error("coordinating_units", _("The lead unit cannot also be a coordinating unit."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        fields = {name: data[name] for name in ("title", "assigner", "assigned_on", "lead_unit", "is_key", "product",
                                                  "product_note", "sector")}
        fields["title"] = fields["title"].strip()
        fields["coordinating_units"] = list(data.get("coordinating_units") or ())
        if "deadline" in self.fields:
            fields["deadline"] = data["deadline"]
        return fields
