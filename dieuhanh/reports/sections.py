"""The content of a report's sections, written from the product's data.

A report template is an outline of sections; each section has a kind and is written here as blocks of an official
document (`dieuhanh.lib.officialdoc`: Paragraph, Table, …) plus the figures it shows. The reports app writes the
section's heading, stores the figures with the generated document and, on regenerating, sets them against the last
ones to show what changed — so `figures` keys are stable (indicator code + what, `tasks.completed`, …) and their
values are exactly the text shown.

Sentences are gettext'd English with the Vietnamese in the reports app's catalogue (the UI's default language), in
small clauses that keep Vietnamese word order (the period first, the name, the figure, the comparisons).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import pgettext_lazy

from dieuhanh.indicators.models import Indicator
from dieuhanh.lib.officialdoc import Block, Paragraph
from dieuhanh.orgunits.models import OrgUnit


class Kind(models.TextChoices):
    NARRATIVE = "narrative", pgettext_lazy("report section", "Narrative from the indicators")
    INDICATOR_TABLE = "indicator_table", pgettext_lazy("report section", "Table of indicators")
    TASKS = "tasks", pgettext_lazy("report section", "Tasks assigned")
    SYSTEMS = "systems", pgettext_lazy("report section", "Systems and information security")
    COMMENDATIONS = "commendations", pgettext_lazy("report section", "Emulation and commendations")
    FREE_TEXT = "free_text", pgettext_lazy("report section", "Free text")


@dataclass(frozen=True)
class ReportScope:
    unit: OrgUnit  # whose figures (the province, or the old Tây Ninh for 2020)
    issuer: OrgUnit  # the department issuing the report (its tasks, its systems, its commendations)
    period_id: str  # "2020", "2026", "2026Q3", "202609", "2026S1", "2026N9" (dieuhanh.lib.periods)
    estimate: bool = False  # written before the period's actuals: "ước đạt" / "Ước thực hiện"


@dataclass
class SectionContent:
    blocks: list[Block] = field(default_factory=list)
    figures: dict[str, str] = field(default_factory=dict)  # stable key → the text shown


def free_text(text: str) -> SectionContent:
    """The official's own text: one paragraph per blank-line-separated block (single line breaks are the same
    paragraph, as a text area wraps them)."""
    paragraphs = []
    for chunk in (text or "").replace("\r\n", "\n").split("\n\n"):
        joined = " ".join(line.strip() for line in chunk.split("\n") if line.strip())
        if joined:
            paragraphs.append(Paragraph(joined))
    return SectionContent(blocks=paragraphs, figures={})


def section_content(kind: str, scope: ReportScope, *, indicators: Sequence[Indicator] = (), text: str = "",
                    options: dict | None = None) -> SectionContent:
    """The blocks and figures of one section of `kind` for `scope`.

    options (all optional):
    - narrative, indicator_table: `ytd` (default True: lũy kế from January for periods after January);
      narrative: `lead_each` (True: every sentence opens with the period, not only the first);
      indicator_table: `group` (True: group rows by sector even when there is one)
    - tasks: `table` (True: a table of the scorecard by lead unit), `as_of` (date the statuses are judged on)
    - systems: `max_systems` (default 5: more systems than this are listed in a table, the sentence names the
      lowest), `table` (True: always the table), `systems_of` ("unit", default: the report's unit, or "issuer")
    - commendations: `recipients` ("issuer", default, or "unit": whose people and collectives count)
    """
    options = options or {}
    kind = Kind(kind)
    # The writers import this module's types: imported here, not at the top, so neither import is a cycle.
    if kind == Kind.FREE_TEXT:
        return free_text(text)
    if kind == Kind.NARRATIVE:
        from dieuhanh.reports.narrative import narrative_section

        return narrative_section(scope, indicators, options)
    if kind == Kind.INDICATOR_TABLE:
        from dieuhanh.reports.narrative import indicator_table_section

        return indicator_table_section(scope, indicators, options)
    if kind == Kind.TASKS:
        from dieuhanh.reports.sections_ops import tasks_section

        return tasks_section(scope, options)
    if kind == Kind.SYSTEMS:
        from dieuhanh.reports.sections_ops import systems_section

        return systems_section(scope, options)
    from dieuhanh.reports.sections_ops import commendations_section

    return commendations_section(scope, options)
