"""The responsibility agreement as a page and a PDF, and the battle plan's Gantt geometry."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from gaizao.progress.actuals import standings
from gaizao.progress.models import Bulletin, Indicator, Milestone, ResponsibilityAgreement
from gaizao.progress.rankings import top_and_bottom
from gaizao.progress.schedule import Planned


def agreement_context(agreement: ResponsibilityAgreement) -> dict:
    targets = list(agreement.targets.select_related("indicator", "unit", "project").order_by("indicator__order"))
    return {
        "agreement": agreement,
        "standings": standings(targets, timezone.localdate()),
    }


def agreement_pdf(agreement: ResponsibilityAgreement) -> bytes:
    from weasyprint import HTML  # loads Pango: only documents need it

    html = render_to_string("progress/agreement_document.html", agreement_context(agreement))
    return HTML(string=html).write_pdf()


def bulletin_context(bulletin: Bulletin) -> dict:
    codes = list(bulletin.contest.weights)
    names = dict(Indicator.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [{**row, "cells": [row["rates"].get(code, "—") for code in codes]} for row in bulletin.ranking]
    top, bottom = top_and_bottom(rows)
    return {
        "bulletin": bulletin,
        "contest": bulletin.contest,
        "rows": rows,
        "top": top,
        "bottom": bottom,
        "columns": [names.get(code, code) for code in codes],
    }


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string("progress/bulletin_document.html", bulletin_context(bulletin))).write_pdf()


@dataclass(frozen=True)
class Bar:
    left: float  # % of the chart's width
    width: float


@dataclass(frozen=True)
class GanttRow:
    milestone: Milestone
    planned: Planned
    window: Bar  # latest start → latest finish: the time the plan allows
    expected: Bar  # expected start → expected finish (or the actual dates when done)


@dataclass(frozen=True)
class Gantt:
    first: date
    last: date
    today: float | None
    rows: list[GanttRow]
    months: list[tuple[str, float]]


def gantt(rows: list[tuple[Milestone, Planned]], today: date) -> Gantt | None:
    if not rows:
        return None
    first = min(min(p.latest_start, p.expected_start) for _, p in rows)
    last = max(max(p.latest_finish, p.expected_finish) for _, p in rows)
    span = (last - first).days + 1

    def bar(start: date, end: date) -> Bar:
        return Bar(round((start - first).days * 100 / span, 2), round(((end - start).days + 1) * 100 / span, 2))

    months = []
    month = first.replace(day=1)
    while month <= last:
        if month >= first:
            months.append((f"{month.year}年{month.month}月", round((month - first).days * 100 / span, 2)))
        month = (month + timedelta(days=32)).replace(day=1)
    marker = round((today - first).days * 100 / span, 2) if first <= today <= last else None
    return Gantt(
        first,
        last,
        marker,
        [
            GanttRow(m, p, bar(p.latest_start, p.latest_finish), bar(p.expected_start, p.expected_finish))
            for m, p in rows
        ],
        months,
    )
