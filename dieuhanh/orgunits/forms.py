"""Forms for recording changes to the registry: rename, move, merge, split. Each resolves unit codes within the
administrator's scope and hands the work to the lineage services, which hold the rules."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dieuhanh.lib.dates import date_field
from dieuhanh.orgunits.models import OrgUnit


class LineageForm(forms.Form):
    effective_date = date_field(_("Effective date"), help_text=_("The first day of the new situation."))
    effective_date.widget.attrs["class"] = "form-control"
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=255, required=False,
                                  help_text=_("e.g. Resolution 1682/NQ-UBTVQH15"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope if scope is not None else OrgUnit.objects.none()

    def units_from(self, field: str, text: str) -> list[OrgUnit]:
        """Units named by codes separated by commas, spaces or new lines; every code must be in scope."""
        codes = [c for c in re.split(r"[\s,;]+", text or "") if c]
        found = {u.code: u for u in self.scope.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            self.add_error(field, _("No unit with code %(codes)s in your scope.") % {"codes": ", ".join(unknown)})
        return [found[c] for c in codes if c in found]

    def common(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("effective_date", "legal_basis", "note")}


class RenameForm(LineageForm):
    new_name = forms.CharField(label=_("New name"), max_length=255)
    field_order = ["new_name"]


class MoveForm(LineageForm):
    new_parent = forms.CharField(label=_("Code of the new parent unit"), max_length=32)
    field_order = ["new_parent"]

    def clean(self):
        data = super().clean()
        parents = self.units_from("new_parent", data.get("new_parent", ""))
        data["parent_unit"] = parents[0] if parents else None
        return data


class MergeForm(LineageForm):
    others = forms.CharField(label=_("Other units merged with this one (codes)"), required=False, max_length=1000)
    into = forms.CharField(label=_("Into the existing unit (code)"), required=False, max_length=32)
    new_code = forms.CharField(label=_("or a new unit: code"), required=False, max_length=32)
    new_name = forms.CharField(label=_("new unit: name"), required=False, max_length=255)
    move_children = forms.BooleanField(label=_("Move the units below them to the result"), required=False)
    field_order = ["others", "into", "new_code", "new_name", "move_children"]

    def clean(self):
        data = super().clean()
        data["other_units"] = self.units_from("others", data.get("others", ""))
        into = (data.get("into") or "").strip()
        new = (data.get("new_code") or "").strip(), (data.get("new_name") or "").strip()
        if bool(into) == any(new):
            self.add_error("into", _("Give either the receiving unit's code or the new unit's code and name."))
        elif into:
            found = self.units_from("into", into)
            data["into_unit"] = found[0] if found else None
        elif not all(new):
            self.add_error("new_name", _("A new unit needs both a code and a name."))
        return data


class SplitForm(LineageForm):
    successors = forms.CharField(
        label=_("Resulting units, one per line"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An existing unit's code, or a new unit as 'CODE; Name'."),
    )
    keep = forms.BooleanField(label=_("This unit continues (a part splits away)"), required=False)
    field_order = ["successors", "keep"]

    def clean(self):
        data = super().clean()
        specs: list = []
        for number, line in enumerate((data.get("successors") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            if ";" in line:
                code, name = (part.strip() for part in line.split(";", 1))
                if not code or not name:
                    self.add_error("successors", _("Line %(n)d: write 'CODE; Name'.") % {"n": number})
                specs.append({"code": code, "name": name})
            else:
                specs.extend(self.units_from("successors", line))
        data["specs"] = specs
        return data
