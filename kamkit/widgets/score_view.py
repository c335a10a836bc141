"""The explorer's "Score" tab: an account's attractiveness, our position and health taken
apart into their criteria (``kamkit.portfolio.scores`` and ``health``), so an analyst sees
what a judgement or a weight changes."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from kamkit.errors import KamkitError
from kamkit.formatting import number, per_cent
from kamkit.labels import choice_words, t, words
from kamkit.portfolio.health import health
from kamkit.portfolio.scores import quadrant, scores
from kamkit.report import html
from kamkit.workbook import Workbook

_COLUMNS = ("criterion", "source", "value", "unit", "points", "effective_weight",
            "contribution", "note")


def _number(value: object, language: str) -> str:
    if value is None or pd.isna(value):
        return "—"
    figure = float(value)  # type: ignore[arg-type]
    return number(figure, language, 0 if abs(figure) >= 1000 else 1)


def _axis_table(rows: pd.DataFrame, language: str) -> str:
    shown = rows.rename(columns={"component": "criterion"}).copy()
    # codes as the reader names them: a judgement the analyst named keeps its own name
    shown["criterion"] = words(shown["criterion"], "criterion.", language)
    shown["source"] = choice_words(shown["source"], "criteria.source", language)
    shown["unit"] = words(shown["unit"], "unit.", language)
    shown["note"] = words(shown["note"], "wb.score.why.", language)
    for column in ("value", "points", "effective_weight", "contribution"):
        shown[column] = [_number(v, language) for v in shown[column]]
    shown = shown.astype(object).where(shown.notna(), "").astype(str)
    headers = {c: t(f"wb.score.{c}", language) for c in _COLUMNS}
    return html.table(shown[list(_COLUMNS)], html.columns(headers))


def score_html(workbook: Workbook, account_id: str, as_of: dt.date, language: str) -> str:
    """The account's scores and their decomposition per criterion, as HTML."""
    try:
        parts = scores(workbook, as_of, [account_id])
        components = health(workbook, as_of, [account_id])
    except KamkitError as error:
        return html.missing(str(error))
    totals = {axis: rows["score"].iloc[0] for axis, rows in parts.groupby("axis")}
    total_health = components["health"].iloc[0] if len(components) else None
    where = quadrant(totals.get("attractiveness"), totals.get("position"))
    known_health = components["known_weight_pct"].iloc[0] if len(components) else None
    unknown = len(components) > 0 and pd.isna(total_health)  # too little known for a score
    text = t("wb.score.summary.without_health" if unknown else "wb.score.summary", language,
             attractiveness=_number(totals.get("attractiveness"), language),
             position=_number(totals.get("position"), language),
             health=_number(total_health, language),
             reason=t("health.too_little", language, known=per_cent(known_health, language)),
             quadrant=t(f"quadrant.short.{where}", language) if where else "—")
    out = [f"<p>{html.text(text)}</p>"]
    for axis, rows in [*parts.groupby("axis", sort=False), ("health", components)]:
        known = rows["known_weight_pct"].iloc[0] if len(rows) else None
        out.append(f"<h4>{html.text(choice_words([axis], 'criteria.axis', language)[0])} "
                   f"({html.text(t('wb.score.known', language, pct=_number(known, language)))})"
                   "</h4>")
        out.append(_axis_table(rows, language))
    return "".join(out)
