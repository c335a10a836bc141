"""The plan charts: marks, fields, translated titles, the as-of rule, overdue in red, None
without a plan, offline SVG.

As in ``test_charts``: checked through the Vega-Lite spec and rendered with vl-convert.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import vl_convert
from test_charts import colours, english_only, fields, marks, titles

from kamkit import plan
from kamkit.charts import plan as charts
from kamkit.charts import theme
from kamkit.charts.textfit import text_width
from kamkit.labels import labels, t
from kamkit.workbook import AccountData, load_workbook

MINI = Path(__file__).parent / "fixtures" / "mini"

MINI_AS_OF = "2025Q4"
DEMO_AS_OF = "2026Q3"

Frames = dict[str, pd.DataFrame]
"""An account's plan frames the charts draw, computed once for both languages."""


def plan_frames(account: AccountData, as_of: str) -> Frames:
    return {"pva": plan.plan_vs_actual(account, as_of), "fc": plan.forecast(account, as_of),
            "status": plan.objective_status(account, as_of),
            "actions": plan.action_plan(account, as_of)}


ChartOf = Callable[[Frames, str, str], object]

CHARTS: dict[str, ChartOf] = {
    "plan_vs_actual": lambda f, as_of, lang: charts.plan_vs_actual_chart(
        f["pva"], lang, fc=f["fc"]),
    "objectives": lambda f, as_of, lang: charts.objective_progress_chart(f["status"], lang),
    "actions": lambda f, as_of, lang: charts.action_timeline_chart(
        f["actions"], dt.date.fromisoformat(_day(as_of)), lang),
}

# chart -> (marks, fields it encodes, an English and a Dutch title it must show)
EXPECTED: dict[str, tuple[set[str], set[str], str, str]] = {
    "plan_vs_actual": ({"line", "point"},
                       {"month", "value", "series", "cum_target", "cum_actual", "achievement"},
                       "Revenue, cumulative (EUR)", "Omzet, cumulatief (€)"),
    "objectives": ({"bar", "rule", "text"},
                   {"objective", "shown", "status", "baseline", "current", "forecast",
                    "target", "unit"},
                   "Progress to target", "Voortgang naar doel"),
    "actions": ({"point", "rule", "text"},
                {"due", "row_y", "state", "id", "what", "owner", "status", "objective"},
                "Due date", "Deadline"),
}


def _day(as_of: str) -> str:
    return {"2025Q4": "2025-12-31", "2026Q3": "2026-09-30"}[as_of]


@pytest.fixture(scope="module")
def mini():
    return load_workbook(MINI)


@pytest.fixture(scope="module")
def accounts(mini, demo) -> dict[str, tuple[AccountData, str]]:
    return {"A1": (mini.account("A1"), MINI_AS_OF),
            "MAAS": (demo.account("MAAS"), DEMO_AS_OF),
            "VDIJK": (demo.account("VDIJK"), DEMO_AS_OF)}


class _Lazy(dict):
    """A dict whose missing entries are made by ``make(key)`` when first read: a module's
    tests share them, and a test run that reads a few (the fast tier) builds only those."""

    def __init__(self, make: Callable[[Any], Any]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, key: Any) -> Any:
        self[key] = value = self._make(key)
        return value


@pytest.fixture(scope="module")
def frames(accounts) -> dict[str, Frames]:
    return _Lazy(lambda account_id: plan_frames(*accounts[account_id]))


@pytest.fixture(scope="module")
def specs(accounts, frames) -> dict[tuple[str, str, str], dict]:
    """Every chart of A1, MAAS and VDIJK in both languages, as Vega-Lite specs (each built
    when a test first reads it)."""
    def make(key: tuple[str, str, str]) -> dict:
        name, account_id, lang = key
        return CHARTS[name](frames[account_id], accounts[account_id][1], lang).to_dict()
    return _Lazy(make)


def _layers(spec: dict) -> list[dict]:
    """The layers of a layered chart, or of each panel of a vconcat."""
    panels = spec.get("vconcat", [spec])
    return [layer for panel in panels for layer in panel.get("layer", [panel])]


def _rows(spec: dict, layer: dict) -> list[dict]:
    data = layer.get("data") or {}
    return spec["datasets"][data["name"]] if "name" in data else []


def _all_rows(spec: dict) -> list[dict]:
    return [row for rows in spec["datasets"].values() for row in rows]


def _mark(layer: dict) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


# ---------------------------------------------------------------------------- all charts


@pytest.mark.parametrize("account_id", ["A1", "MAAS"])
@pytest.mark.parametrize("name", list(CHARTS))
@pytest.mark.sample(5)  # the cases covered by the others: benchmarks/fast_tier.py
def test_chart_has_its_marks_and_fields(specs, name, account_id) -> None:
    expected_marks, expected_fields, _, _ = EXPECTED[name]
    spec = specs[(name, account_id, "en")]
    assert expected_marks <= marks(spec)
    assert expected_fields <= fields(spec)
    assert spec["config"]["font"] == theme.FONT  # the theme (theme.config)


@pytest.mark.parametrize("account_id", ["A1", "MAAS"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_titles_are_translated(specs, name, account_id) -> None:
    _, _, english, dutch = EXPECTED[name]
    assert english in titles(specs[(name, account_id, "en")])
    dutch_titles = titles(specs[(name, account_id, "nl")])
    assert dutch in dutch_titles
    assert not dutch_titles & english_only()


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_numbers_and_months_follow_the_language(specs) -> None:
    dutch = specs[("plan_vs_actual", "MAAS", "nl")]["config"]["locale"]
    assert dutch["number"]["thousands"] == "."
    assert dutch["time"]["shortMonths"][2] == "mrt"
    english = specs[("plan_vs_actual", "MAAS", "en")]["config"]["locale"]
    assert english["time"]["shortMonths"][2] == "Mar"
    svg = vl_convert.vegalite_to_svg(specs[("plan_vs_actual", "VDIJK", "nl")])
    assert ">mrt<" in svg and ">okt<" in svg and "2.000.000" in svg
    assert ">Mar<" in vl_convert.vegalite_to_svg(specs[("plan_vs_actual", "VDIJK", "en")])


@pytest.mark.parametrize("name", list(CHARTS))
def test_a2_without_plan_gives_no_chart(mini, name) -> None:
    assert CHARTS[name](plan_frames(mini.account("A2"), MINI_AS_OF), MINI_AS_OF, "en") is None


@pytest.mark.parametrize("account_id", ["A1", "MAAS"])
def test_empty_frames_give_no_chart(frames, account_id) -> None:
    found = frames[account_id]
    assert charts.plan_vs_actual_chart(found["pva"].iloc[0:0], "en") is None
    assert charts.plan_vs_actual_chart(found["pva"].iloc[0:0], "en", fc=found["fc"]) is None
    assert charts.objective_progress_chart(found["status"].iloc[0:0], "en") is None
    assert charts.action_timeline_chart(found["actions"].iloc[0:0],
                                        dt.date(2026, 9, 30), "en") is None


@pytest.mark.slow  # vl-convert draws nine charts
@pytest.mark.parametrize("account_id", ["A1", "MAAS", "VDIJK"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_renders_to_svg_offline(specs, name, account_id) -> None:
    _, _, english, dutch = EXPECTED[name]
    for language, title in (("en", english), ("nl", dutch)):
        svg = vl_convert.vegalite_to_svg(specs[(name, account_id, language)])
        assert svg.startswith("<svg")
        assert title in svg, (name, account_id, language)


# ---------------------------------------------------------------------------- plan vs actual


def test_plan_vs_actual_draws_targets_actuals_and_forecast(specs, demo) -> None:
    spec = specs[("plan_vs_actual", "MAAS", "en")]
    assert len(spec["vconcat"]) == 2  # revenue above gross margin
    assert [panel["title"]["text"] for panel in spec["vconcat"]] == ["Revenue", "Gross margin"]
    rows = _all_rows(spec)
    revenue = [row for row in _rows(spec, spec["vconcat"][0]) if row["series"] == "Actual"]
    assert len(revenue) == 9  # January to September 2026 have actuals
    assert {row["series"] for row in rows} == {"Target", "Actual", "Forecast"}
    forecast = [row for row in _rows(spec, spec["vconcat"][0]) if row["series"] == "Forecast"]
    assert [row["month"][:7] for row in forecast] == ["2026-09", "2026-12"]
    expected = plan.forecast(demo.account("MAAS"), DEMO_AS_OF)
    assert forecast[-1]["value"] == pytest.approx(expected["forecast"].iloc[0])
    dashes = next(node["encoding"]["strokeDash"]["scale"] for node in _layers(spec)
                  if "strokeDash" in node.get("encoding", {}))
    assert dashes["range"][0] != [1, 0]  # the target is dashed, the actual solid
    assert dashes["range"][1] == [1, 0]


@pytest.mark.slow  # the fast tier's rule: no line cheaper fast tests miss
def test_forecast_status_colours_the_subtitle(specs) -> None:
    behind = specs[("plan_vs_actual", "MAAS", "en")]["vconcat"][0]["title"]
    assert behind["subtitle"].endswith("off track")
    assert behind["subtitleColor"] == theme.ALERT
    on_track = specs[("plan_vs_actual", "VDIJK", "nl")]["vconcat"][0]["title"]
    assert on_track["subtitle"].endswith("op koers")
    assert on_track["subtitleColor"] == theme.MARGIN


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_plan_vs_actual_without_forecast_has_no_subtitle(frames) -> None:
    spec = charts.plan_vs_actual_chart(frames["MAAS"]["pva"], "en").to_dict()
    assert all(isinstance(panel["title"], str) for panel in spec["vconcat"])
    assert "Forecast" not in {row["series"] for row in _all_rows(spec)}


def test_a_period_without_actuals_to_come_has_no_forecast_line(specs) -> None:
    # A1's plan year 2025 is over on 2025-12-31: every month has actuals.
    spec = specs[("plan_vs_actual", "A1", "en")]
    assert {row["series"] for row in _all_rows(spec)} == {"Target", "Actual"}
    legends = [layer["encoding"]["color"]["legend"]["values"] for layer in _layers(spec)
               if "color" in layer.get("encoding", {})]
    assert legends[0] == ["Target", "Actual"]


# ---------------------------------------------------------------------------- objectives


def test_objective_progress_is_clipped_for_display(specs) -> None:
    spec = specs[("objectives", "VDIJK", "en")]
    rows = {row["objective"][:3]: row for row in _rows(spec, _layers(spec)[0])}
    assert set(rows) == {"OB1", "OB2"}  # OB3 (qualitative) and OB4 have no progress
    assert rows["OB1"]["progress"] > 1.5 and rows["OB1"]["shown"] == 1.5
    assert rows["OB1"]["progress_text"] == f"{rows['OB1']['progress']:.0%}"



def test_negative_progress_is_drawn_below_zero(specs) -> None:
    maas = specs[("objectives", "MAAS", "nl")]
    below = [row for row in _rows(maas, _layers(maas)[0]) if row["progress"] < 0]
    # each bar and its point at its own value (down to -150%), not stuck at 0
    assert below and all(row["shown"] == max(row["progress"], -1.5) for row in below)
    lowest = min(row["shown"] for row in below)
    domain = _layers(maas)[0]["encoding"]["x"]["scale"]["domain"]
    assert domain[0] <= lowest < domain[0] + 0.25 and domain[1] == 1.5
    points = [layer for layer in _layers(maas) if _mark(layer) == "point"]
    assert points and all(layer["encoding"]["x"]["field"] == "shown" for layer in points)


def test_progress_axis_starts_at_zero_without_negative_progress(specs) -> None:
    spec = specs[("objectives", "VDIJK", "en")]
    assert _layers(spec)[0]["encoding"]["x"]["scale"]["domain"] == [0.0, 1.5]


def test_objective_colours_say_its_status_and_the_name_whether_it_is_smart(specs) -> None:
    spec = specs[("objectives", "MAAS", "en")]
    found = colours(spec)
    rows = {row["objective"][:3]: row for row in _rows(spec, _layers(spec)[0])}
    # green is on track only: a bar going the wrong way is never green, whatever SMART says
    for row in rows.values():
        expected = ("on track" if row["progress"] >= 1.0 else
                    "at risk" if row["progress"] >= 0.90 else "off track")
        assert row["status"] == expected
        assert found[row["status"]] == theme.STATUS_COLOURS[expected.replace(" ", "_")]
    assert any(row["progress"] < 0 and found[row["status"]] == theme.ALERT
               for row in rows.values())
    assert theme.US not in found.values()  # blue is "us" only
    assert rows["OB1"]["smart"] == "not SMART" and rows["OB2"]["smart"] == "SMART"
    assert rows["OB1"]["objective"].endswith("(not SMART)")
    assert not rows["OB2"]["objective"].endswith("SMART)")
    assert rows["OB2"]["baseline"].startswith("EUR\u00a0")
    dutch = specs[("objectives", "MAAS", "nl")]
    dutch_rows = {row["objective"][:3]: row for row in _rows(dutch, _layers(dutch)[0])}
    assert dutch_rows["OB1"]["smart"] == "niet SMART"
    assert dutch_rows["OB1"]["objective"].endswith("(niet SMART)")
    assert dutch_rows["OB1"]["target"] == "45,0%"


LONG_TITLES = ["Grow total revenue despite the loss of Eindhoven second site and more besides",
               "MAINTENANCE WORK MEASURED MONTHLY WITH WIDE WWW MMM CAPITALS EVERYWHERE",
               "Ééntje élève à Zürich où ça coûte très cher: één, twee, drie, vier, vijf",
               "x" * 300]


@pytest.mark.parametrize("language", ["en", "nl"])
def test_a_long_title_is_shortened_before_the_smart_verdict(frames, language) -> None:
    """However long or wide a title, the axis label ends with the whole verdict and fits
    the axis's label limit (so Vega never cuts it); the tooltip keeps the whole title."""
    status = frames["MAAS"]["status"].dropna(subset=["progress"])
    smart = status["smart"].astype("boolean").fillna(True).to_numpy()
    titles = [LONG_TITLES[i % len(LONG_TITLES)] for i in range(len(status))]
    spec = charts.objective_progress_chart(status.assign(title=titles), language).to_dict()
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    rows = _rows(spec, _layers(spec)[0])
    verdict = f"({t('plan_chart.smart_no', language)})"
    assert len(rows) == len(status) and not smart.all()
    for row, ok, title, ob in zip(rows, smart, titles, status["id"], strict=True):
        assert row["objective"].endswith(verdict) != ok, row["objective"]
        assert text_width(row["objective"], theme.LABEL_SIZE) <= axis["labelLimit"]
        assert row["objective"].startswith(f"{ob} ") and row["title"] == f"{ob} {title}"


def test_the_target_rule_stands_at_100_percent(specs) -> None:
    spec = specs[("objectives", "A1", "en")]
    rules = [layer for layer in _layers(spec) if _mark(layer) == "rule"]
    assert rules and all(_rows(spec, rule) == [{"x": 1.0}] for rule in rules)


def test_no_objective_with_progress_gives_no_chart(frames) -> None:
    status = frames["A1"]["status"].assign(progress=float("nan"))
    assert charts.objective_progress_chart(status, "en") is None


# ---------------------------------------------------------------------------- actions


@pytest.mark.parametrize("account_id", ["A1", "MAAS"])
def test_overdue_actions_are_red(specs, frames, account_id) -> None:
    overdue = set(frames[account_id]["actions"].query("overdue")["id"])
    assert overdue  # A1's ACT1; MAAS's AC03, AC04, AC05
    for language in ("en", "nl"):
        spec = specs[("actions", account_id, language)]
        label = t("horizon.overdue", language)
        assert colours(spec)[label] == theme.ALERT
        points = next(layer for layer in _layers(spec) if _mark(layer) == "point")
        rows = _rows(spec, points)
        assert {row["id"] for row in rows if row["state"] == label} == overdue


def test_the_as_of_rule_is_drawn(specs) -> None:
    for account_id, day in (("A1", "2025-12-31"), ("MAAS", "2026-09-30")):
        spec = specs[("actions", account_id, "nl")]
        rules = [layer for layer in _layers(spec)
                 if _mark(layer) == "rule" and layer["encoding"].get("x", {}).get("field")
                 == "due"]
        assert len(rules) == 1
        assert [row["due"][:10] for row in _rows(spec, rules[0])] == [day]
        texts = [row.get("text") for layer in _layers(spec) for row in _rows(spec, layer)]
        assert f"per {day[8:]}-{day[5:7]}-{day[:4]}" in texts


def test_horizon_rows_are_in_order_and_translated(specs) -> None:
    spec = specs[("actions", "MAAS", "nl")]
    points = next(layer for layer in _layers(spec) if _mark(layer) == "point")
    rows = _rows(spec, points)
    heights = {}
    for row in rows:
        heights.setdefault(row["horizon"], []).append(row["row_y"])
    order = ["te laat", "binnen 3 weken", "binnen 3 maanden", "binnen 4 kwartalen",
             "afgerond"]
    assert list(heights) == order  # the frame lists actions by horizon
    assert all(max(heights[a]) < min(heights[b]) for a, b in itertools.pairwise(order))
    label_expr = points["encoding"]["y"]["axis"]["labelExpr"]
    positions = [label_expr.index(f'"{name}"') for name in order]
    assert positions == sorted(positions)


def test_actions_close_in_time_get_their_own_lane(specs) -> None:
    spec = specs[("actions", "MAAS", "en")]
    points = next(layer for layer in _layers(spec) if _mark(layer) == "point")
    y = {row["id"]: row["row_y"] for row in _rows(spec, points)}
    assert y["AC06"] != y["AC07"]  # a week apart, both in the next 3 weeks


def test_horizon_and_status_labels_exist() -> None:
    table = labels()
    codes = ([f"horizon.{h.replace(' ', '_')}" for h in plan.HORIZONS]
             + [f"status.{s}" for s in plan.STATUSES]
             + [f"action.{s}" for s in ("open", "in_progress", "done", "cancelled")])
    for key in codes:
        assert set(table[key]) == {"en", "nl"}, key


@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_action_chart_takes_the_as_of_as_text(accounts, frames) -> None:
    _, as_of = accounts["MAAS"]
    frame = frames["MAAS"]["actions"]
    by_text = charts.action_timeline_chart(frame, as_of, "en").to_dict()
    by_date = charts.action_timeline_chart(frame, dt.date(2026, 9, 30), "en").to_dict()
    assert by_text == by_date


def test_a_missing_owner_is_named(accounts, frames) -> None:
    _, as_of = accounts["A1"]
    frame = frames["A1"]["actions"]
    assert frame["owner_name"].isna().any()
    spec = charts.action_timeline_chart(frame, as_of, "nl").to_dict()
    owners = {row["id"]: row["owner"] for layer in _layers(spec)
              for row in _rows(spec, layer) if "owner" in row}
    assert owners["ACT2"] == "geen eigenaar"


def _id_extents(spec: dict) -> tuple[float, list[tuple[str, float, float]]]:
    """Where the as-of rule stands and where each action id's text spans,
    in pixels from the plot's left edge, from the spec: the time scale's domain, the
    chart's width, each id layer's rows (after its filter), align, dx and font size, with
    a character at most 0.7 font sizes wide (wider than Helvetica's capitals and digits)."""
    layers = _layers(spec)
    rule = next(layer for layer in layers if _mark(layer) == "rule"
                and layer["encoding"].get("x", {}).get("field") == "due")
    start, end = (pd.Timestamp(v["year"], v["month"], v["date"], v.get("hours", 0))
                  for v in rule["encoding"]["x"]["scale"]["domain"])
    width = spec["width"]

    def px(day: str) -> float:
        return (pd.Timestamp(day) - start) / (end - start) * width

    extents = []
    for layer in layers:
        if _mark(layer) != "text" or layer["encoding"].get("text", {}).get("field") != "id":
            continue
        mark = layer["mark"]
        rows = _rows(spec, layer)
        for step in layer.get("transform", []):
            test = step["filter"]
            rows = [row for row in rows if row[test["field"]] == test["equal"]]
        for row in rows:
            x = px(row["due"]) + mark["dx"]
            text = len(row["id"]) * mark["fontSize"] * 0.7
            extents.append((row["id"], x, x + text) if mark["align"] == "left"
                           else (row["id"], x - text, x))
    return px(_rows(spec, rule)[0]["due"]), extents


def _as_of_crossings(spec: dict) -> list[str]:
    rule, extents = _id_extents(spec)
    assert extents
    width = spec["width"]
    return ([name for name, left, right in extents if left < rule < right]
            + [f"{name} outside" for name, left, right in extents
               if right < 0 or left > width + 20])


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_as_of_rule_crosses_no_id(specs, language) -> None:
    for account_id in ("A1", "MAAS", "VDIJK"):
        assert _as_of_crossings(specs[("actions", account_id, language)]) == []


@pytest.mark.parametrize("shift", range(-40, 41, 3))
@pytest.mark.slow  # covered by cheaper fast tests (benchmarks/fast_tier.py)
def test_ids_near_the_as_of_rule_on_either_side_stay_clear_of_it(frames, shift) -> None:
    """Every account, as-of dates moved around MAAS's: a due date a day to weeks before or
    after the rule, ids of other lengths too."""
    actions = frames["MAAS"]["actions"].copy()
    day = dt.date(2026, 9, 30) + dt.timedelta(days=shift)
    actions.loc[actions.index[2], "id"] = "ACTION-105"
    for language in ("en", "nl"):
        spec = charts.action_timeline_chart(actions, day, language).to_dict()
        assert _as_of_crossings(spec) == []
