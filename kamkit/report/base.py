"""What every report shares: sections, the header, loading the account, label and number
helpers. A report is a subclass that lists its sections and builds each one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar, Self

import pandas as pd

from kamkit import analysis as an
from kamkit import formatting as fmt
from kamkit.charts.render import use_charts
from kamkit.labels import check_language, labels, t, words
from kamkit.report import html
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

    def html(self) -> str:
        """The section's text part (heading, findings, how the figures are made) as HTML."""
        note = html.method(self.method) if self.method else ""
        return html.heading(self.title) + html.findings(self.findings) + note

    def show(self) -> None:
        """Display the section in a notebook."""
        from IPython.display import HTML, display

        display(HTML(self.html()))
        for block in self.blocks:
            display(HTML(block) if isinstance(block, str) else block)


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


@dataclass(frozen=True)
class Report:
    """One account's report as of one date; subclasses name the sections and build them."""

    SECTIONS: ClassVar[tuple[str, ...]] = ()
    TITLE: ClassVar[str] = ""  # label key of the report title
    METHOD_VALUES: ClassVar[dict[str, object]] = {}  # extra values for method.* labels

    account: AccountData  # already cut off at ``as_of``
    as_of: dt.date
    language: str
    workbook_path: Path
    min_strength: int = DEFAULT_MIN_STRENGTH  # from this relationship strength a contact
    # counts as covered (schema.RELATIONSHIP_STRENGTHS)

    @classmethod
    def build(cls, workbook: str | Path | Workbook | None, account_id: str,
              as_of: str | dt.date | None, language: str = "en",
              charts: str = "svg") -> Self:
        """Load the workbook (default: the bundled demo) and take the account as of a date or
        quarter; ``charts`` is "svg" (static, the default) or "interactive" (see
        ``kamkit.charts.render``)."""
        check_language(language)
        use_charts(charts)
        book = workbook if isinstance(workbook, Workbook) else load_workbook_cached(workbook)
        day = an.parse_as_of(as_of)
        account = in_language(an.cut_off(book.account(str(account_id)), day), language)
        return cls(account, day, language, book.path)

    def with_min_strength(self, min_strength: int) -> Self:
        """The same report counting a contact as covered from relationship strength
        ``min_strength`` (1-5, ``schema.RELATIONSHIP_STRENGTHS``) on."""
        return replace(self, min_strength=an.check_min_strength(min_strength))

    # ------------------------------------------------------------------ helpers
    @property
    def full_year(self) -> int:
        return an.last_full_year(self.as_of)

    def _t(self, key: str, **values: object) -> str:
        return t(key, self.language, **values)

    def _missing(self, what_key: str, how_key: str) -> str:
        return html.missing(self._t("report.missing", what=self._t(what_key),
                                    how=self._t(how_key, account_id=self.account.account_id)))

    def _full_years(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of complete years only: a spend estimate is for a whole year, so a share of
        a year still running would compare part-year sales with full-year spend."""
        return frame[frame["year"] <= self.full_year].reset_index(drop=True)

    def _translated(self, frame: pd.DataFrame, **prefixes: str) -> pd.DataFrame:
        """``frame`` with the named columns' values shown as their labels (prefix + value)."""
        return frame.assign(**{column: words(frame[column], prefix, self.language)
                               for column, prefix in prefixes.items()})

    def _eur(self, value: object) -> str:
        return fmt.eur(value, self.language)

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
                       tuple(b for b in blocks if b is not None and b != ""), method)

    # ------------------------------------------------------------------ header
    def header_html(self) -> str:
        info = self.account.account
        team = self.account.team.set_index("person_id")["name"]
        title = self._t(self.TITLE, account=info.name)
        subtitle = self._t("report.subtitle", status=self._t(f"status.{info.status}"),
                           kam=team.get(info.kam, info.kam), as_of=self._date(self.as_of))
        return (html.heading(title, 1) + f"<p>{html.text(subtitle)}</p>"
                + f"<p><small>{html.text(self._t('report.source', source=self.workbook_path.name))}"
                "</small></p>")

    def show_header(self) -> None:
        from IPython.display import HTML, display

        display(HTML(self.header_html()))


    def _method_values(self) -> dict[str, object]:
        """Values the report's method.* labels name besides as_of and year."""
        return {**self.METHOD_VALUES, "min_strength": self.min_strength,
                "min_strength_name": self._strength_name()}

    def _strength_name(self) -> str:
        """The minimum strength's name on the scale ("regular working contact")."""
        return self._t(f"strength.{self.min_strength}")

    # ------------------------------------------------------------------ sections
    def section(self, key: str) -> Section:
        """The section ``key``, built by the method ``_<key>``."""
        if key not in self.SECTIONS:
            raise KeyError(f"Unknown section {key!r}; the sections are "
                           f"{', '.join(self.SECTIONS)}.")
        builder: Callable[[], Section] = getattr(self, f"_{key}")
        return builder()

    def show(self, key: str) -> None:
        self.section(key).show()
