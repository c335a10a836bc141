"""Charts of our relationships with the account (A8): coverage per level and the contact
matrix. From the frames of ``kamkit.analysis.contacts`` and ``organisation``."""

from __future__ import annotations

import altair as alt
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


def _top(frame: pd.DataFrame, limit: int, keys: list[str]) -> pd.DataFrame:
    """The first ``limit`` rows of ``frame`` by ``keys`` (in their order), the order kept."""
    if len(frame) <= limit:
        return frame
    return frame.sort_values(keys, kind="stable").head(limit).sort_index(kind="stable")


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
    level_rank = {level: rank for rank, level in enumerate(LEVELS)}
    contacts = (org[["contact_id", "name", "title", "level"]] if not nothing(org) else
                matrix[["contact_id", "contact_name", "contact_title", "contact_level"]]
                .set_axis(["contact_id", "name", "title", "level"], axis=1))
    best = matrix.groupby("contact_id")["strength"].max()
    contacts = (contacts.drop_duplicates("contact_id")
                .assign(rank=lambda f: f["level"].map(level_rank).fillna(len(LEVELS)),
                        best=lambda f: -f["contact_id"].map(best).fillna(0))
                .sort_values(["rank", "name"], kind="stable").reset_index(drop=True))
    links_of = matrix.groupby("person_id")["contact_id"].nunique()
    people = (matrix[["person_id", "person_name", "person_level"]]
              .drop_duplicates("person_id")
              .assign(rank=lambda f: f["person_level"].map(level_rank).fillna(len(LEVELS)),
                      links=lambda f: -f["person_id"].map(links_of))
              .sort_values(["rank", "person_name"], kind="stable").reset_index(drop=True))
    total, team = len(contacts), len(people)
    # senior first, then those we know best: the part of a large account a KAM acts on
    contacts = _top(contacts, MATRIX_CONTACTS, ["rank", "best"])
    people = _top(people, MATRIX_PEOPLE, ["rank", "links"])
    links = matrix.drop_duplicates(["person_id", "contact_id"])[
        ["person_id", "contact_id", "strength", "last_contact", "days_since"]]
    grid = (people[["person_id", "person_name"]]
            .merge(contacts[["contact_id", "name", "title", "level"]], how="cross")
            .merge(links, on=["person_id", "contact_id"], how="left"))
    level_names = words(LEVELS, "level.", language)
    data = pd.DataFrame({
        "person": [str(p) for p in grid["person_name"]],
        "contact": [str(c) for c in grid["name"]],
        "title": [str(v) if pd.notna(v) else "" for v in grid["title"]],
        "level_label": words(grid["level"], "level.", language),
        "strength": [None if pd.isna(s) else int(s) for s in grid["strength"]],
        "last_contact": dates(grid["last_contact"], language),
        "days_since": [None if pd.isna(d) else int(d) for d in grid["days_since"]],
    })
    people_order = [str(p) for p in people["person_name"]]
    contact_order = [str(c) for c in contacts["name"]]
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
    hidden = (total - len(contacts)) + (team - len(people))
    note = (t("chart.matrix_more", language, shown=fmt.number(len(contacts), language),
              contacts=counted("contacts", total, language),
              people=fmt.number(len(people), language),
              team=counted("people", team, language),
              hidden=counted("contacts", total - len(contacts), language))
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
