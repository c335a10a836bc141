"""What every report shares: sections, the header, loading the account, label and number
helpers. A report is a subclass that lists its sections and builds each one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, ClassVar, Self

import pandas as pd

from kamkit import analysis as an
from kamkit import display as texts
from kamkit import formatting as fmt
from kamkit.charts.render import Shown, use_charts
from kamkit.currency import DEFAULT, currency_of, in_currency
from kamkit.findings import portfolio as portfolio_findings
from kamkit.key_figures import account_key_figures
from kamkit.labels import check_language, labels, t, words
from kamkit.portfolio import Snapshot
from kamkit.report import html
from kamkit.report.portfolio_data import (
    changes_since,
    current_snapshot,
    portfolio_health,
    previous_snapshot,
)
from kamkit.report.summary import TOC_SLOT, Figure, Line, Pick, Summary, anchor, pick
from kamkit.schema import DEFAULT_MIN_STRENGTH
from kamkit.translated import in_language
from kamkit.workbook import AccountData, Workbook, load_workbook_cached


@dataclass(frozen=True)
class Section:
    """A report section: title, findings, then blocks (HTML text or Altair charts)."""

    key: str
    title: str
    findings: tuple[str, ...]
    blocks: tuple[object, ...]

    method: str = ""
    currency: str = DEFAULT  # of the amounts in the findings: kept on one line each
    boxed: bool = False  # nothing to show yet: its one block says so, the findings too

    def html(self) -> str:
        """The section's text part (heading, findings, how the figures are made) as HTML."""
        note = html.method(self.method, self.currency) if self.method else ""
        said = "" if self.boxed else html.findings(self.findings, self.currency)
        return html.heading(self.title, anchor=anchor(self.key)) + said + note

    def show(self) -> None:
        """Display the section in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html()))
        for block in self.blocks:
            display(HTML(block) if isinstance(block, str) else Shown.of(block))


def names(frame: pd.DataFrame, account: AccountData) -> pd.DataFrame:
    """Service and location ids replaced by their names, for sentences."""
    services = account.services.set_index("service")["name"]
    locations = account.locations.set_index("location")["name"]
    out = frame.copy()
    if "service" in out:
        out["service"] = out["service"].map(lambda s: services.get(s, s))
    if "location" in out:
        out["location"] = out["location"].map(lambda s: locations.get(s, s))
    return out


class SectionedReport:
    """What every report shares, for an account or a portfolio: its sections, each built
    once by the method ``_<key>``, and the language's labels and number formats. A
    subclass (a frozen dataclass) has ``as_of``, ``language`` and a ``_built`` dict."""

    SECTIONS: ClassVar[tuple[str, ...]] = ()
    METHOD_VALUES: ClassVar[dict[str, object]] = {}  # extra values for method.* labels

    as_of: dt.date
    language: str
    _built: dict[str, Section]

    @property
    def full_year(self) -> int:
        return an.last_full_year(self.as_of)

    def _t(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)

    def _translated(self, frame: pd.DataFrame, **prefixes: str) -> pd.DataFrame:
        """``frame`` with the named columns' values shown as their labels (prefix + value)."""
        return frame.assign(**{column: words(frame[column], prefix, self.language)
                               for column, prefix in prefixes.items()})

    def _money(self, value: object) -> str:
        """An amount in a table's column whose header names the currency ("Revenue (EUR)"):
        the figure alone, so the unit is said once, not in the header and every cell."""
        return fmt.number(value, self.language)

    def _per_cent(self, value: object) -> str:
        return fmt.per_cent(value, self.language, 1)

    def _share(self, fraction: object) -> str:
        return fmt.share(fraction, self.language, 1)

    def _date(self, value: object) -> str:
        return fmt.date(value, self.language)

    def _column(self, key: str, label_key: str, format: html.Formatter | None = None,
                kind: str = "") -> html.Column:
        """A table column titled by the label ``label_key`` in the report's language."""
        return html.Column(key, self._t(label_key), format, kind)

    def _in_year(self, what_key: str, year: int | None = None) -> str:
        """The caption of a table that covers one year (default: the last full year)."""
        return self._t("caption.in_year", what=self._t(what_key),
                       year=self.full_year if year is None else year)

    def _section(self, key: str, sentences: list[str], *blocks: object) -> Section:
        method_key = f"method.{key}"
        method = (self._t(method_key, as_of=self._date(self.as_of), year=self.full_year,
                          **self._method_values()) if method_key in labels() else "")
        return Section(key, self._t(f"section.{key}"), tuple(sentences),
                       tuple(b for b in blocks if b is not None and b != ""), method,
                       currency_of(self.language))

    def _nothing(self, key: str, sentences: Sequence[str], how_key: str,
                 in_box: bool = True) -> Section:
        """A section with nothing to show yet, said once: in one box, in the section's own
        sentences (``in_box``; they stay its findings, for the summary) or as "Not available
        yet: <section>. <how>", without a note on how figures are made (there are none)."""
        box = html.missing(" ".join(sentences) if in_box and sentences else self._t(
            "report.missing", what=self._t(f"section.{key}"), how=self._t(how_key)))
        return Section(key, self._t(f"section.{key}"), tuple(sentences), (box,),
                       currency=currency_of(self.language), boxed=True)

    def _method_values(self) -> dict[str, object]:
        """Values the report's method.* labels name besides as_of and year."""
        return dict(self.METHOD_VALUES)

    def section(self, key: str) -> Section:
        """The section ``key``, built by the method ``_<key>`` once (the summary reads the
        sections' findings before they are shown)."""
        if key not in self.SECTIONS:
            raise KeyError(f"Unknown section {key!r}; the sections are "
                           f"{', '.join(self.SECTIONS)}.")
        if key not in self._built:
            builder: Callable[[], Section] = getattr(self, f"_{key}")
            self._built[key] = builder()
        return self._built[key]

    def findings(self, key: str) -> tuple[str, ...]:
        """The findings of section ``key``."""
        return self.section(key).findings

    def show(self, key: str) -> None:
        self.section(key).show()


@dataclass(frozen=True)
class Report(SectionedReport):
    """One account's report as of one date; subclasses name the sections and build them."""

    TITLE: ClassVar[str] = ""  # label key of the report title

    account: AccountData  # already cut off at ``as_of``
    as_of: dt.date
    language: str
    workbook_path: Path
    snapshots: Path | None = None  # the folder of quarter folders holding snapshots
    min_strength: int = DEFAULT_MIN_STRENGTH  # from this relationship strength a contact
    # counts as covered (schema.RELATIONSHIP_STRENGTHS)
    _built: dict[str, Section] = field(default_factory=dict, init=False, repr=False,
                                       compare=False)
    _figures: dict[str, Any] = field(default_factory=dict, init=False, repr=False,
                                     compare=False)

    @classmethod
    def build(cls, workbook: str | Path | Workbook | None, account_id: str,
              as_of: str | dt.date | None, language: str = "en",
              charts: str = "svg", snapshots: str | Path | None = None) -> Self:
        """Load the workbook (default: the bundled demo) and take the account as of a date or
        quarter; ``charts`` is "svg" (static, the default) or "interactive" (see
        ``kamkit.charts.render``); ``snapshots`` the folder of quarter folders where
        ``kamkit run`` keeps each quarter's snapshot, for what changed since the last."""
        check_language(language)
        use_charts(charts)
        book = workbook if isinstance(workbook, Workbook) else load_workbook_cached(workbook)
        day = an.parse_as_of(as_of)
        account = in_language(an.cut_off(book.account(str(account_id)), day), language)
        return cls(account, day, in_currency(language, book.currency), book.path,
                   Path(snapshots) if snapshots else None)

    def with_min_strength(self, min_strength: int) -> Self:
        """The same report counting a contact as covered from relationship strength
        ``min_strength`` (1-5, ``schema.RELATIONSHIP_STRENGTHS``) on."""
        return replace(self, min_strength=an.check_min_strength(min_strength))

    def _method_values(self) -> dict[str, object]:
        """Values the report's method.* labels name besides as_of and year."""
        return {**self.METHOD_VALUES, "min_strength": self.min_strength,
                "min_strength_name": self._strength_name()}

    def _strength_name(self) -> str:
        """The minimum strength's name on the scale ("regular working contact")."""
        return self._t(f"strength.{self.min_strength}")

    # ------------------------------------------------------------------ the portfolio
    def _once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._figures:
            self._figures[key] = make()
        return self._figures[key]

    @property
    def previous(self) -> Snapshot | None:
        """The previous quarter's snapshot (as reported then); None without one."""
        return self._once("previous", lambda: previous_snapshot(self.snapshots, self.as_of))

    @property
    def health(self) -> pd.DataFrame:
        """The account's health, component by component (``kamkit.portfolio.health``,
        scored over the whole portfolio); empty for an account outside the portfolio."""
        def make() -> pd.DataFrame:
            book = load_workbook_cached(self.workbook_path)
            components = portfolio_health(book, self.as_of)
            return components[(components["account_id"]
                               == self.account.account_id).to_numpy()].reset_index(drop=True)
        return self._once("health", make)

    @property
    def changes(self) -> pd.DataFrame | None:
        """What changed for the account since the previous quarter's snapshot; None
        without one."""
        def make() -> pd.DataFrame | None:
            if self.previous is None:
                return None
            book = load_workbook_cached(self.workbook_path)
            return changes_since(self.previous, current_snapshot(self.snapshots, book,
                                                                 self.as_of),
                                 [self.account.account_id])
        return self._once("changes", make)

    def _since_lines(self, keys: dict[str, str]) -> list[Line]:
        """The summary's sentences on what changed since last quarter: one per section of
        ``keys`` (section -> the change codes it tells)."""
        changes = self.changes
        if changes is None or self.previous is None:
            return []
        lines = []
        for section, codes in keys.items():
            rows = changes[changes["change"].isin(codes.split()).to_numpy()]
            said = portfolio_findings.account_changes(rows, self.language)
            if said:
                lines.append(Line(self._t("find.change.since", quarter=self.previous["quarter"],
                                          changes="; ".join(said)), section))
        return lines

    def _health_figure(self) -> Figure | None:
        health = self.health
        if health.empty:
            return None
        if pd.isna(health["health"].iloc[0]):  # too little known: said, with how little
            return Figure(self._t("word.health_of_100"), fmt.number(None, self.language),
                          self._t("health.too_little", known=fmt.per_cent(
                              health["known_weight_pct"].iloc[0], self.language)))
        note = ""
        changes, previous = self.changes, self.previous
        if changes is not None and previous is not None:
            row = changes[(changes["change"] == "health").to_numpy()]
            if not row.empty and pd.notna(row["delta"].iloc[0]):
                note = self._t("summary.since", quarter=previous["quarter"],
                               change=fmt.points(row["delta"].iloc[0], self.language))
        return Figure(self._t("word.health_of_100"), fmt.number(health["health"].iloc[0],
                                                         self.language), note)

    # ------------------------------------------------------------------ helpers
    def _missing(self, what_key: str, how_key: str) -> str:
        return html.missing(self._t("report.missing", what=self._t(what_key),
                                    how=self._t(how_key)))

    def _full_years(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of complete years only: a spend estimate is for a whole year, so a share of
        a year still running would compare part-year sales with full-year spend."""
        return frame[frame["year"] <= self.full_year].reset_index(drop=True)

    # ------------------------------------------------------------------ header
    SUMMARY: ClassVar[tuple[Pick, ...]] = ()
    """The findings the executive summary may say, most important first."""
    SINCE: ClassVar[dict[str, str]] = {}
    """The summary's changes since last quarter: section -> the change codes it tells
    (``kamkit.portfolio.CHANGES``), said first."""

    def summary(self) -> Summary | None:
        """The executive summary that opens the report: the figures of ``_summary_figures``
        and the findings named in ``SUMMARY``; None for a report without one."""
        if not self.SUMMARY:
            return None
        titles = {key: self._t(f"section.{key}") for key in self.SECTIONS}
        return Summary(self._t("summary.title"),
                       tuple(f for f in self._summary_figures() if f is not None),
                       pick(self.findings, self.SUMMARY, self._since_lines(self.SINCE)),
                       titles)

    def _summary_figures(self) -> list[Figure | None]:
        """The three or four figures that carry the summary."""
        return []

    @property
    def key_figures(self) -> dict[str, float | int | str | None]:
        """The account's key figures (``kamkit.key_figures``) as of the report's date."""
        if "key_figures" not in self._figures:
            self._figures["key_figures"] = account_key_figures(self.account, self.as_of)
        return self._figures["key_figures"]

    def _revenue_figure(self) -> Figure:
        f = self.key_figures
        return Figure(self._t("batch.col.revenue", year=f["year"]),
                      texts.revenue_text(f, self.language, short=True),
                      self._t("summary.growth" if f["revenue_growth_pct"] is not None
                              else "summary.growth_unknown",
                              growth=texts.growth_text(f, self.language)))

    def _share_figure(self) -> Figure:
        f = self.key_figures
        if f["share"] == 0 and f["share_change_pts"] == 0:  # "0.0% [±0.0 pts]" says nothing
            note = self._t("summary.share_none")
        else:  # a change not known said why, unless the share already does
            note = self._t("summary.share_change_unknown"
                           if f["share_change_pts"] is None and f["share"] is not None
                           else "summary.share_change",
                           change=texts.share_change_text(f, self.language))
        return Figure(self._t("batch.col.share", year=f["year"]),
                      texts.share_text(f, self.language), note)

    def _plan_figure(self) -> Figure:
        f = self.key_figures
        status = f.get("plan_status")
        return Figure(self._t("batch.col.plan"), texts.plan_status_text(f, self.language),
                      status=str(status) if status else None)

    def header_html(self) -> str:
        """Title and subtitle, the executive summary, then the source and the place where
        an HTML report puts its table of contents (``TOC_SLOT``)."""
        info = self.account.account
        team = self.account.team.set_index("person_id")["name"]
        title = self._t(self.TITLE, account=info.name)
        subtitle = self._t("report.subtitle", status=self._t(f"status.{info.status}"),
                           kam=fmt.name(team.get(info.kam, info.kam), self.language),
                           as_of=self._date(self.as_of))
        summary = self.summary()
        return (html.heading(title, 1) + f"<p>{html.text(subtitle)}</p>"
                + (summary.html() if summary is not None else "")
                + "<p><small>"
                + html.text(texts.source_text(self.workbook_path, self.language))
                + "</small></p>" + TOC_SLOT)

    def show_header(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.header_html()))
