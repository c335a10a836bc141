"""What every kamkit chart shares: the finish (theme and the language's locale), EUR axes,
tooltips, date and year labels, and the test for an empty frame.

The analysis charts (``kamkit.charts.analysis``) and the plan charts (``kamkit.charts.plan``)
are built from these; a new chart (a widget's, say) uses them too, so that it speaks the
report language the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, ParamSpec, TypeVar

import altair as alt
import pandas as pd
from altair.utils.schemapi import SchemaBase, debug_mode

from kamkit import formatting as fmt
from kamkit.charts import theme
from kamkit.labels import t, words
from kamkit.locale import for_language

FieldType = Literal["quantitative", "ordinal", "temporal", "nominal"]
"""Vega-Lite's field types, as a tooltip takes them."""

__all__ = [
    "AMOUNT_FORMAT",
    "PCT_FORMAT",
    "Chart",
    "amount_axis",
    "built",
    "confidences",
    "dates",
    "finish",
    "nothing",
    "text_colour",
    "tip",
    "tips",
    "vega_date",
    "vega_locale",
    "year_labels",
]

Chart = alt.TopLevelMixin

AMOUNT_FORMAT = ",.0f"
"""Vega format of amounts; the currency is in the title ("Spend (EUR)", the workbook's
currency), the separators come from the language's number locale (1,234 in en, 1.234 in
nl)."""
PCT_FORMAT = ".0%"
"""Vega format of a share (a fraction 0..1) as a whole per cent."""


_P = ParamSpec("_P")
_R = TypeVar("_R")


ALTERING = threading.RLock()
"""Held while kamkit changes how Altair works for a moment, by one thread at a time:
building a chart (``built``) or making its spec (``kamkit.charts.render.chart_spec``)."""


def _params_in(chart: Any) -> bool:
    """Whether ``chart`` or any of its parts has parameters (selections, variables)."""
    return any(not alt.utils.is_undefined(value) and bool(value) if key == "params"
               else any(_params_in(part) for part in _charts_in(value))
               for key, value in chart._kwds.items())


def _charts_in(value: object) -> list[Any]:
    if isinstance(value, alt.TopLevelMixin):
        return [value]
    if isinstance(value, list):
        return [part for part in value if isinstance(part, alt.TopLevelMixin)]
    return []


def chart_holding(chart: Any, kwds: dict[str, Any]) -> Any:
    """A new chart of ``chart``'s type holding ``kwds`` as its properties, made without
    Altair's constructor (which, for a layered or concatenated chart, combines its parts'
    data and parameters anew, deep-copying every part)."""
    copy = object.__new__(type(chart))
    object.__setattr__(copy, "_args", chart._args)
    object.__setattr__(copy, "_kwds", kwds)
    return copy


def _charts_copied(value: Any) -> Any:
    """``value`` with every chart in it copied (``chart_copy``), a list of charts
    (layers, concatenated charts) a new list; anything else as it is."""
    if isinstance(value, alt.TopLevelMixin):
        chart: Any = value  # a SchemaBase too
        return chart_holding(chart, {key: _charts_copied(part)
                                     for key, part in chart._kwds.items()})
    if isinstance(value, list) and any(isinstance(part, alt.TopLevelMixin) for part in value):
        return [_charts_copied(part) for part in value]
    return value


def chart_copy(self: SchemaBase, deep: Any = True, ignore: list[str] | None = None) -> Any:
    """Altair's ``copy``, except for a chart (``SchemaBase.copy`` while kamkit builds charts,
    ``built``, and makes their specs, ``kamkit.charts.render.chart_spec``):

    - a shallow one: a new chart holding the same properties (what ``deep=False`` promises),
      where Altair makes the chart again from them, and for a layered or concatenated chart
      that combines its parts' data and parameters anew, deep-copying every part (``to_dict``
      copies every chart it meets so: a third of the time of a report's specs);
    - a deep one of a chart without parameters: the chart and every chart in it (layers,
      concatenated charts) copied, each holding the same other parts (encodings, marks,
      data). Altair's constructors of layered and concatenated charts deep-copy every part
      three or four times, to set a property or two on each chart; what they set is set on
      the charts, which are now copies, and none of them changes a part in place (with
      parameters they do: those charts are copied in full)."""
    if ignore is None and isinstance(self, alt.TopLevelMixin):
        if deep is False:
            return chart_holding(self, dict(self._kwds))
        if deep is True and not _params_in(self):
            return _charts_copied(self)
    return ALTAIRS_COPY(self, deep, ignore)


ALTAIRS_COPY = SchemaBase.copy
"""Altair's own ``copy``, which kamkit's (``chart_copy``) falls back to."""


@contextmanager
def copying_charts() -> Iterator[None]:
    """Charts copied with ``chart_copy`` meanwhile, by one thread at a time (``ALTERING``)."""
    with ALTERING:
        previous = SchemaBase.copy  # Altair's, or ``chart_copy`` when nested
        SchemaBase.copy = chart_copy  # type: ignore[method-assign]
        try:
            yield
        finally:
            SchemaBase.copy = previous  # type: ignore[method-assign]


def built(make: Callable[_P, _R]) -> Callable[_P, _R]:
    """A chart function whose parts skip Altair's check as each is made (its debug mode,
    a schema validation per axis, scale, tooltip...): the whole spec is checked once it is
    complete (``kamkit.charts.render.chart_spec``, and ``to_dict()``), which finds the same
    errors. Charts are copied by chart meanwhile (``chart_copy``): the charts a chart
    function makes are its own until it returns the one it built of them.

    Layers that all draw on one DataFrame are made without data and the layered chart
    given it: Altair would move it up from each layer itself (the same spec), but first
    hashes each layer's spec with its data written out as text."""
    @functools.wraps(make)
    def build(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with copying_charts(), debug_mode(False):
            return make(*args, **kwargs)

    return build


def vega_locale(language: str) -> dict[str, Any]:
    """The language's record (``kamkit.locale``) as a Vega number and time locale: the
    separators and minus sign of numbers, the currency (the one ``language`` carries), and
    the month and day names of time axes."""
    locale = for_language(language)
    return {
        "number": {"decimal": locale.decimal, "thousands": locale.group, "grouping": [3],
                   "currency": list(fmt.currency_text(language)),
                   # d3-format's default is U+2212; the tables and sentences write the record's
                   "minus": locale.minus},
        "time": {"dateTime": locale.date_time, "date": locale.date, "time": locale.time,
                 "periods": list(locale.periods), "days": list(locale.days),
                 "shortDays": list(locale.short_days), "months": list(locale.months),
                 "shortMonths": list(locale.short_months)},
    }


def nothing(frame: pd.DataFrame | None, column: str | None = None) -> bool:
    """True when there is nothing to chart: no rows, or no value at all in ``column``."""
    if frame is None or frame.empty:
        return True
    return column is not None and bool(frame[column].isna().all())


def finish(chart: Chart, language: str, title: str | None = None,
           description: str | None = None) -> Chart:
    """The kamkit look, with the language's number separators, month names and dates, set on
    ``chart`` itself, which is returned: a chart function finishes the chart it has just
    made.

    ``title`` is drawn above the chart and names it; ``description`` says what it shows and
    its main figure, for readers who cannot see it (Vega makes it the chart's ARIA label;
    ``kamkit.charts.render`` writes both into the SVG as ``<title>`` and ``<desc>``). Marks
    get no ARIA labels of their own: Vega builds them from every field, "null" included,
    and the tables beside each chart hold the figures."""
    # Set on the chart, not on a copy: a copy of a layered or concatenated chart (also
    # Altair's ``properties`` and ``configure_*``) builds it again, re-combining the data
    # and parameters of all its parts. The whole spec is validated when drawn (``render``).
    top: Any = chart  # any top-level chart: TopLevelMixin declares none of its properties
    if title:
        top.title = title
    if description:
        top.description = description
    with debug_mode(False):  # checked with the whole spec
        top.config = alt.Config(**theme.config(), locale=vega_locale(language), aria=False,
                                # dates shown without a format of their own (tooltips,
                                # legends, text marks) as the language writes a date, like
                                # the tables and sentences; axes pick their own
                                timeFormat=for_language(language).date)
    # the word for a missing figure, for tooltips (``kamkit.charts.render.vega_spec``)
    top.usermeta = {"kamkit": {"missing": for_language(language).missing}}
    return chart


def amount_axis(title_key: str, language: str) -> alt.Axis:
    """An axis of amounts, the currency in its title (the label's ``{currency}``)."""
    return alt.Axis(format=AMOUNT_FORMAT, title=t(title_key, language))


def tip(field: str, title_key: str, language: str, kind: FieldType = "nominal",
        format: str | None = None, **values: object) -> alt.Tooltip:
    """One tooltip line with a translated title; ``format="amount"`` for amounts (in the
    currency of the title's ``{currency}``)."""
    fmt_string = AMOUNT_FORMAT if format == "amount" else format
    return alt.Tooltip(field, type=kind, title=t(title_key, language, **values),
                       format=fmt_string or alt.Undefined)


TipLine = tuple[str, str] | tuple[str, str, FieldType]
"""One line of ``tips``: the field and the label key of its title, and its type when not
nominal."""


def tips(language: str, *lines: TipLine) -> list[alt.Tooltip]:
    """A tooltip of several lines (``tip`` each)."""
    return [tip(line[0], line[1], language, line[2] if len(line) == 3 else "nominal")
            for line in lines]


def confidences(values: Iterable[object], language: str) -> list[str]:
    """Confidences ("high", ...) as their words in ``language``."""
    return words(values, "word.", language)


def year_labels(values: pd.Series) -> list[str]:
    """Years as labels of an ordinal axis ("2025", never "2,025")."""
    return [str(int(year)) for year in values]


def dates(values: pd.Series, language: str) -> list[str]:
    """Dates as the language writes them (``formatting.date``), for tooltips and texts."""
    return fmt.dates(pd.to_datetime(values), language)


def vega_date(day: pd.Timestamp | dt.date) -> dict[str, int]:
    """A date as a Vega-Lite date-time (a scale's domain end or a rule's position)."""
    day = pd.Timestamp(day)
    return {"year": day.year, "month": day.month, "date": day.day}


def text_colour(test: str) -> alt.ColorValue:
    """White text where ``test`` (a Vega expression) holds, dark text elsewhere."""
    # as a channel object: ``encode`` turns a dict into one through Altair's ``from_dict``,
    # which hashes every schema class first (about 3 ms a channel)
    return alt.ColorValue(**alt.when(test).then(alt.value("white"))
                          .otherwise(alt.value(theme.DARK_TEXT)))
