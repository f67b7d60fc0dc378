"""What changed in the figures between two generated documents ("Doanh thu bưu chính: 95,5 → 96,0 tỷ đồng")."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from dieuhanh.indicators.models import Indicator

# The figures' keys are "<indicator code>.<what>" (dieuhanh.reports.narrative) or the sections' own
# ("tasks.completed"); what each <what> is called on the page.
WHAT = {
    "value": "",
    "period_value": _("in the period"),
    "target": _("target"),
    "pct_target": _("% of target"),
    "growth": _("on the same period last year"),
    "pct_last_year": _("% of the same period last year"),
    "units": _("units reported"),
}


@dataclass(frozen=True)
class FigureChange:
    kind: str  # "changed" | "added" | "removed"
    key: str
    label: str
    before: str = ""
    after: str = ""

    @property
    def text(self) -> str:
        """"Doanh thu bưu chính: 95,5 → 96,0 tỷ đồng": the unit written once when both figures end with it."""
        if self.kind == "added":
            return f"{self.label}: {self.after}"
        if self.kind == "removed":
            return f"{self.label}: {self.before}"
        a, b = self.before.split(" "), self.after.split(" ")
        same = 0
        while same < min(len(a), len(b)) - 1 and a[-1 - same] == b[-1 - same]:
            same += 1
        if same:
            unit = " ".join(a[len(a) - same:])
            return f"{self.label}: {' '.join(a[:len(a) - same])} → {' '.join(b[:len(b) - same])} {unit}"
        return f"{self.label}: {self.before} → {self.after}"


def labels_for(keys) -> dict[str, str]:
    codes = {key.split(".", 1)[0] for key in keys if "." in key}
    names = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name"))
    out = {}
    for key in keys:
        head, _dot, what = key.partition(".")
        if head in names:
            suffix = str(WHAT.get(what, what))
            out[key] = f"{names[head]} ({suffix})" if suffix else names[head]
        else:
            out[key] = key
    return out


def figures_diff(before: dict[str, str], after: dict[str, str]) -> list[FigureChange]:
    """Changed figures first (in the new document's order), then the added, then the removed."""
    keys = [*after, *(k for k in before if k not in after)]
    labels = labels_for(keys)
    changed = [FigureChange("changed", k, labels[k], before[k], after[k]) for k in after
               if k in before and before[k] != after[k]]
    added = [FigureChange("added", k, labels[k], after=after[k]) for k in after if k not in before]
    removed = [FigureChange("removed", k, labels[k], before=before[k]) for k in before if k not in after]
    return changed + added + removed
