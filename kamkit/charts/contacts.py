"""Charts of our relationships with the account (A8): coverage per level and the contact
matrix. From the frames of ``kamkit.analysis.contacts`` and ``organisation``."""

from __future__ import annotations

from typing import Any, NamedTuple

import altair as alt
import numpy as np
import pandas as pd

from kamkit import formatting as fmt
from kamkit.analysis.contacts import STRENGTH_COLUMNS
from kamkit.charts import theme
from kamkit.charts.common import (
    PCT_FORMAT,
    Chart,
    built,
    dates,
    finish,
    nothing,
    text_colour,
    tip,
    tips,
)
from kamkit.charts.facets import legend_columns
from kamkit.frames import LEVEL_RANK, match_key, na_last
from kamkit.grouping import missing
from kamkit.labels import check_language, counted, t, words
from kamkit.schema import DEFAULT_MIN_STRENGTH, LEVELS, RELATIONSHIP_STRENGTHS

__all__ = ["contact_matrix_chart", "coverage_chart"]

_EMPTY_CELL = "#f4f4f4"
_NONE = "#f4c7c3"  # no relationship at all: a pale alert red
_BELOW = ("#d4d4d4", "#a6a6a6", "#8c8c8c", "#737373")  # strengths below the minimum
_COVERED = ("#9ecae1", "#4292c6", "#08519c", "#08306b", "#041f4a")  # from the minimum on
MATRIX_CONTACTS = 40
"""Contacts (columns) the matrix shows at most: beyond this a grid is unreadable (and its
data passes Altair's 5,000-row limit); the rest is counted in the subtitle."""
MATRIX_PEOPLE = 25
"""Our people (rows) the matrix shows at most."""


class _Grid(NamedTuple):
    """The contact matrix's cells and their order (``_grid``)."""

    data: pd.DataFrame
    """A row a cell, our people by the contacts: person, contact, title, level_label,
    strength, last_contact (as the language writes dates), days_since."""
    people: list[str]
    """The names of the people shown, top to bottom."""
    contacts: list[str]
    """The names of the contacts shown, left to right."""
    total: int
    """The account's contacts, shown or not."""
    team: int
    """Our people with a relationship, shown or not."""


def _first_rows(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``rows`` without those whose first value (an id) an earlier row has: as
    ``drop_duplicates`` on that column (a missing id is one more value)."""
    seen: set[object] = set()
    kept = []
    for row in rows:
        key = match_key(row[0])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _top(keys: list[tuple[Any, ...]], limit: int) -> list[int]:
    """The positions of the first ``limit`` rows by ``keys`` (a stable sort), in their
    order: ``sort_values(keys, kind="stable").head(limit).sort_index()``."""
    if len(keys) <= limit:
        return list(range(len(keys)))
    return sorted(sorted(range(len(keys)), key=keys.__getitem__)[:limit])


def _grid(matrix: pd.DataFrame, org: pd.DataFrame, language: str) -> _Grid:
    """The matrix's cells: our people (most senior first, by name) by the account's contacts
    (by level, then name), at most ``MATRIX_PEOPLE`` by ``MATRIX_CONTACTS`` of them (the
    most senior, then those we know best: the part of a large account a KAM acts on).

    Equals the pandas way (tests/test_chart_fast_paths.py keeps it: ``drop_duplicates``,
    ``groupby`` max and nunique, ``sort_values``, a cross and a left ``merge``), made row
    by row in Python: on an account's tens of contacts pandas' operations took most of the
    chart's time."""
    unranked = len(LEVELS)
    contact_columns = (["contact_id", "name", "title", "level"] if not nothing(org) else
                       ["contact_id", "contact_name", "contact_title", "contact_level"])
    source = org if not nothing(org) else matrix
    links = list(zip(*(matrix[c].tolist() for c in (
        "person_id", "person_name", "person_level", "contact_id", "strength", "days_since")),
        strict=True))
    best: dict[object, Any] = {}  # the strongest relationship with each contact
    known: dict[object, set[object]] = {}  # the contacts each of our people knows
    for person, _, _, contact, strength, _ in links:
        if not missing(contact):
            if not missing(strength) and (contact not in best or strength > best[contact]):
                best[contact] = strength
            if not missing(person):
                known.setdefault(person, set()).add(contact)
    contacts = _first_rows(list(zip(*(source[c].tolist() for c in contact_columns),
                                    strict=True)))
    contacts.sort(key=lambda row: (LEVEL_RANK.get(row[3], unranked), na_last(row[1])))
    people = _first_rows([row[:3] for row in links])
    people.sort(key=lambda row: (LEVEL_RANK.get(row[2], unranked), na_last(row[1])))
    shown_contacts = [contacts[i] for i in _top(
        [(LEVEL_RANK.get(row[3], unranked), -best.get(match_key(row[0]), 0)) for row in contacts],
        MATRIX_CONTACTS)]
    shown_people = [people[i] for i in _top(
        [(LEVEL_RANK.get(row[2], unranked), na_last(None if missing(row[0]) else
                                                  -len(known.get(row[0], ()))))
         for row in people], MATRIX_PEOPLE)]
    # each pair's first relationship (``drop_duplicates``), a missing id matching a missing one
    first: dict[tuple[object, object], int] = {}
    for position, row in enumerate(links):
        first.setdefault((match_key(row[0]), match_key(row[3])), position)
    cells = [(person, contact, first.get((match_key(person[0]), match_key(contact[0])), -1))
             for person in shown_people for contact in shown_contacts]
    # NaT for a cell without a relationship: the dates of a left merge
    last_contact = np.append(matrix["last_contact"].to_numpy(), np.datetime64("NaT"))
    at = [cell[2] for cell in cells]
    data = pd.DataFrame({
        "person": [str(person[1]) for person, _, _ in cells],
        "contact": [str(contact[1]) for _, contact, _ in cells],
        "title": [str(contact[2]) if not missing(contact[2]) else ""
                  for _, contact, _ in cells],
        "level_label": words([contact[3] for _, contact, _ in cells], "level.", language),
        "strength": [None if link < 0 or missing(links[link][4]) else int(links[link][4])
                     for link in at],
        "last_contact": dates(pd.Series(last_contact[at]), language),
        "days_since": [None if link < 0 or missing(links[link][5]) else int(links[link][5])
                       for link in at],
    })
    return _Grid(data, [str(row[1]) for row in shown_people],
                 [str(row[1]) for row in shown_contacts], len(contacts), len(people))


@built
def coverage_chart(coverage_by_level: pd.DataFrame, language: str,
                   min_strength: int = DEFAULT_MIN_STRENGTH) -> Chart | None:
    """How strong our relationships with the account's contacts are at each level (A8).

    Parameters
    ----------
    coverage_by_level
        ``contacts.coverage_by_level(account, min_strength)``.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).
    min_strength
        The strength from which a contact counts as covered (as the frame was computed
        with): the segments from it on are drawn in blues, those below in greys.

    Returns
    -------
    Chart or None
        Per level (strategic, tactical, operational) a bar of its contacts split by their
        strongest relationship with us (none, 1 knows the name ... 5 trusted advisor),
        with the coverage % (covered / contacts) beside it; None when the frame is empty
        or the account has no contacts.
    """
    check_language(language)
    if nothing(coverage_by_level) or not (coverage_by_level["contacts"] > 0).any():
        return None
    names = [t("chart.strength.none", language),
             *(f"{n} {t(f'strength.{n}', language)}" for n in RELATIONSHIP_STRENGTHS)]
    colours = [_NONE, *(_COVERED[n - min_strength] if n >= min_strength
                                else _BELOW[n - 1] for n in RELATIONSHIP_STRENGTHS)]
    level_names = words(LEVELS, "level.", language)
    rows = []
    for row in coverage_by_level.itertuples(index=False):
        common = {"level_label": words([row.level], "level.", language)[0],
                  "contacts": int(row.contacts), "covered": int(row.covered),
                  "share_covered": row.share_covered,
                  "text": (f"{fmt.share(row.share_covered, language)} "
                           f"({int(row.covered)}/{int(row.contacts)})")}
        for rank, (column, name) in enumerate(zip(STRENGTH_COLUMNS, names, strict=True)):
            rows.append({**common, "strength": name, "count": int(getattr(row, column)),
                         "rank": rank})
    data = pd.DataFrame(rows)
    most = int(data["contacts"].max())
    y = alt.Y("level_label:N", sort=level_names, title=t("word.level", language))
    tooltip = [tip("level_label", "word.level", language),
               tip("strength", "word.strength", language),
               tip("count", "word.contacts", language, "quantitative"),
               tip("share_covered", "word.coverage", language, "quantitative", PCT_FORMAT)]
    bars = alt.Chart().transform_filter("datum.count > 0").mark_bar(
        height={"band": 0.65}, stroke="white", strokeWidth=1).encode(
        y=y,
        x=alt.X("count:Q", stack="zero", scale=alt.Scale(domain=[0, most * 1.3]),
                axis=alt.Axis(format="d", tickMinStep=1, title=t("word.contacts", language))),
        color=alt.Color("strength:N", scale=alt.Scale(domain=names, range=colours),
                        legend=alt.Legend(title=t("chart.strongest", language),
                                          columns=legend_columns(names))),
        order=alt.Order("rank:Q"),
        tooltip=tooltip)
    text = alt.Chart().transform_filter("datum.rank === 0").mark_text(
        align="left", dx=5, fontSize=12).encode(
        y=y, x=alt.X("contacts:Q"), text=alt.Text("text:N"), tooltip=tooltip[:1] + tooltip[3:])
    title = alt.TitleParams(t("chart.coverage_title", language, strength=min_strength,
                              name=t(f"strength.{min_strength}", language)),
                            anchor="start", fontSize=12, fontWeight="normal")
    chart = alt.layer(bars, text, data=data,  # on the layers' parent (``built``)
                      width=theme.WIDTH, height=theme.HEIGHT // 2, title=title)
    levels = "; ".join(f"{row.level_label} {row.text}" for row in
                       data[data["rank"] == 0].itertuples(index=False))
    return finish(chart, language, description=t("chart.desc.coverage", language,
                                                 levels=levels))


@built
def contact_matrix_chart(matrix: pd.DataFrame, org: pd.DataFrame,
                         language: str) -> Chart | None:
    """Our people x the account's contacts, with the strength of each relationship (A8).

    Parameters
    ----------
    matrix
        ``contacts.contact_matrix(account, as_of)``.
    org
        ``organisation.org_chart(account)``: every contact, so contacts without any
        relationship show as empty columns.
    language
        A report language ("en", "nl": ``kamkit.labels.LANGUAGES``).

    Returns
    -------
    Chart or None
        A grid with our people as rows and the contacts as columns, grouped by level
        (strategic first) and sorted by name within it; strength 1-5 as colour and text;
        None when the matrix is empty (no relationships).
        At most ``MATRIX_CONTACTS`` contacts and ``MATRIX_PEOPLE`` people are shown (the
        most senior, then those with the strongest relationships); the subtitle counts
        the rest.
    """
    check_language(language)
    if nothing(matrix, "strength"):
        return None
    grid = _grid(matrix, org, language)
    data, people_order, contact_order = grid.data, grid.people, grid.contacts
    level_names = words(LEVELS, "level.", language)
    step = max(34, min(90, theme.WIDTH // max(1, len(contact_order))))
    tooltip = tips(language, ("person", "word.our_person"), ("contact", "word.contact"),
                   ("title", "word.title"), ("level_label", "word.level"),
                   ("strength", "word.strength", "quantitative"),
                   ("last_contact", "chart.last_contact"),
                   ("days_since", "word.days_since", "quantitative"))
    colour = alt.Color("strength:Q", scale=alt.Scale(domain=[1, 5], scheme=theme.STRENGTH_SCHEME),
                       legend=alt.Legend(title=t("word.strength", language), tickCount=5,
                                         format="d"))
    row_step = min(40, max(26, theme.HEIGHT // 8))
    shown_levels = [name for name in level_names if name in set(data["level_label"])]
    shown_levels += sorted(set(data["level_label"]) - set(shown_levels))
    blocks = []
    for index, level in enumerate(shown_levels):
        part = data[(data["level_label"] == level).to_numpy()]
        in_part = set(part["contact"])
        base = alt.Chart().encode(  # its data on the layers' parent (``built``)
            x=alt.X("contact:N", sort=[c for c in contact_order if c in in_part],
                    title=None,
                    axis=alt.Axis(labelAngle=-35, labelLimit=140, domain=False, ticks=False,
                                  grid=False)),
            y=alt.Y("person:N", sort=people_order, title=t("word.our_person", language),
                    axis=alt.Axis(domain=False, ticks=False, grid=False) if index == 0
                    else None),
        )
        empty = base.mark_rect(color=_EMPTY_CELL, stroke="white", strokeWidth=2).encode(
            tooltip=tooltip[:4])
        linked = base.transform_filter("isValid(datum.strength)")
        cells = linked.mark_rect(stroke="white", strokeWidth=2).encode(
            color=colour, tooltip=tooltip)
        text = linked.mark_text(fontSize=12).encode(
            text=alt.Text("strength:Q"), color=text_colour("datum.strength >= 4"), tooltip=tooltip)
        blocks.append(alt.layer(
            empty, cells, text, data=part,
            title=alt.TitleParams(level, fontSize=12, fontWeight="normal", anchor="middle"),
            width=alt.Step(step), height=alt.Step(row_step)))
    total, team = grid.total, grid.team
    hidden = (total - len(contact_order)) + (team - len(people_order))
    note = (t("chart.matrix_more", language, shown=fmt.number(len(contact_order), language),
              contacts=counted("contacts", total, language),
              people=fmt.number(len(people_order), language),
              team=counted("people", team, language),
              hidden=counted("contacts", total - len(contact_order), language))
            if hidden else alt.Undefined)
    chart = alt.hconcat(
        *blocks, spacing=8,
        title=alt.TitleParams(t("chart.title.contact_matrix", language), subtitle=note))
    known = data[data["strength"].notna().to_numpy()]
    strongest = known.sort_values("strength", ascending=False, kind="stable").iloc[0]
    description = t("chart.desc.contact_matrix", language, relations=len(known),
                    strongest=f"{strongest['person']} – {strongest['contact']} "
                              f"({int(strongest['strength'])})")
    return finish(chart, language, description=description)
