"""The written analysis: both SWOTs (A3 the account's, A9 ours), their confrontation into
strategic conclusions, and which written parts are still empty (A1-A3, A9)."""

from __future__ import annotations

from typing import Literal

import pandas as pd

from kamkit.documents import AccountDocument, Analysis, Swot
from kamkit.errors import KamkitError
from kamkit.frames import joined, typed

QUADRANTS = ("strength", "weakness", "opportunity", "threat")
"""The SWOT quadrants, singular, as they appear in the ``quadrant`` columns."""
_FIELDS = dict(zip(QUADRANTS, ("strengths", "weaknesses", "opportunities", "threats"),
                   strict=True))
_SWOTS = {"account": "swot_account", "ours": "swot_ours"}
_TOWS = {("strength", "opportunity"): "SO", ("strength", "threat"): "ST",
         ("weakness", "opportunity"): "WO", ("weakness", "threat"): "WT"}
TOWS = tuple(_TOWS.values())
"""The quadrants of the confrontation (the TOWS matrix): our strengths (S) and weaknesses (W)
against the opportunities (O) and threats (T), in reading order SO, ST, WO, WT."""
PROBLEMS = ("no_points", "unknown_points", "no_internal", "no_external")
"""Why a conclusion is no confrontation, or not only one: it rests on no SWOT point; it
names ids found in neither SWOT; it rests on none of our strengths or weaknesses; it rests
on no opportunity or threat."""


def _analysis(document: AccountDocument | None) -> Analysis:
    return document.analysis if document is not None else Analysis()


def _swot(document: AccountDocument | None, which: str) -> Swot:
    if which not in _SWOTS:
        raise KamkitError(f"Unknown SWOT {which!r}: choose 'account' (the account's own, A3) "
                          "or 'ours' (our position in the account, A9).")
    return getattr(_analysis(document), _SWOTS[which])


def swot_table(document: AccountDocument | None,
               which: Literal["account", "ours"] = "account") -> pd.DataFrame:
    """One SWOT as a table: the account's own (A3) or our position in the account (A9).

    Parameters
    ----------
    document
        The account document (``AccountData.document``), or None.
    which
        "account" or "ours"; anything else raises ``KamkitError``.

    Returns
    -------
    DataFrame
        ``quadrant`` (strength, weakness, opportunity, threat), ``id`` and ``text``, in
        that quadrant order and document order within; empty when there is no document.
    """
    swot = _swot(document, which)
    rows = [(quadrant, item.id, item.text)
            for quadrant in QUADRANTS for item in getattr(swot, _FIELDS[quadrant])]
    return typed(pd.DataFrame(rows, columns=["quadrant", "id", "text"]),
                 {"quadrant": "string", "id": "string", "text": "string"})


def _points(document: AccountDocument | None) -> list[tuple[str, str, str, str]]:
    """(quadrant, id, text, swot) of every point of both SWOTs, ours (A9) first, each in
    quadrant and document order."""
    return [(quadrant, item.id, item.text, which) for which in ("ours", "account")
            for quadrant in QUADRANTS
            for item in getattr(_swot(document, which), _FIELDS[quadrant])]


def swot_items(document: AccountDocument | None) -> pd.DataFrame:
    """Every point of both SWOTs: ``quadrant``, ``id``, ``text`` and ``swot`` ("ours", A9,
    first; then "account", A3), in document order; empty when there is no document."""
    return typed(pd.DataFrame(_points(document), columns=["quadrant", "id", "text", "swot"]),
                 {"quadrant": "string", "id": "string", "text": "string", "swot": "string"})


def _placement(ids: tuple[str, ...],
               where: dict[str, tuple[str, str]]) -> tuple[str, str, str]:
    """(quadrants, context, problems) of a conclusion resting on ``ids``, where ``where``
    gives each SWOT point's (quadrant, swot): the TOWS quadrants its points span, the
    account's own strengths and weaknesses it also names, and what keeps it from being a
    confrontation (codes of ``PROBLEMS``)."""
    known = [where[i] for i in ids if i in where]
    internal = {q for q, swot in known if q in ("strength", "weakness") and swot == "ours"}
    external = {q for q, _ in known if q in ("opportunity", "threat")}
    context = [i for i in ids if where.get(i, ("", ""))[1] == "account"
               and where[i][0] in ("strength", "weakness")]
    problems = ["no_points"] if not ids else [
        code for code, failed in (("unknown_points", len(known) < len(ids)),
                                  ("no_internal", not internal),
                                  ("no_external", not external)) if failed]
    quadrants = [code for (inside, outside), code in _TOWS.items()
                 if inside in internal and outside in external]
    return joined(quadrants), joined(context), joined(problems)


def confrontation(document: AccountDocument | None) -> pd.DataFrame:
    """The strategic conclusions with the SWOT items each confronts, split by quadrant, the
    quadrant of the confrontation (TOWS) each is placed in and the objectives it led to.

    Items come from both SWOTs (ours and the account's), so a report can show
    "strength S1 x opportunity AO1 -> C1". The confrontation sets *our* strengths and
    weaknesses (A9) against the opportunities and threats of either SWOT: the account's
    own strengths and weaknesses (A3) are context, not one side of it.

    Parameters
    ----------
    document
        The account document, or None.

    Returns
    -------
    DataFrame
        One row per conclusion, in document order: ``conclusion_id``, ``text``,
        ``strengths``, ``weaknesses``, ``opportunities``, ``threats`` (comma-separated item
        ids in ``based_on`` order; "" when none), ``unknown`` (ids of ``based_on`` found
        in neither SWOT), ``tows`` (the quadrants it is placed in, of SO, ST, WO, WT: every
        pair of one of our strengths or weaknesses and an opportunity or threat it rests
        on; "" when none), ``context`` (the account's own strengths and weaknesses it
        names), ``problems`` (codes of ``PROBLEMS``, "" for a sound confrontation) and
        ``objectives`` (ids of the plan's objectives that name it). Empty when there is
        no document or no conclusion.
    """
    # a point's id names its quadrant and SWOT (the last one so named, as a dict keeps it)
    where = {i: (q, w) for q, i, _, w in _points(document)}
    plan = document.plan if document is not None else None
    objectives = plan.objectives if plan is not None else ()
    rows = []
    for conclusion in _analysis(document).conclusions:
        row: dict[str, object] = {"conclusion_id": conclusion.id, "text": conclusion.text}
        for quadrant, field in (*_FIELDS.items(), (None, "unknown")):
            row[field] = joined(i for i in conclusion.based_on
                                if where.get(i, (None, None))[0] == quadrant)
        row["tows"], row["context"], row["problems"] = _placement(conclusion.based_on, where)
        row["objectives"] = joined(o.id for o in objectives if conclusion.id in o.conclusions)
        rows.append(row)
    columns = ["conclusion_id", "text", *_FIELDS.values(), "unknown", "tows", "context",
               "problems", "objectives"]
    return typed(pd.DataFrame(rows, columns=columns), dict.fromkeys(columns, "string"))


def confrontation_matrix(document: AccountDocument | None,
                         include_account: bool = True) -> pd.DataFrame:
    """Our strengths and weaknesses against the opportunities and threats (TOWS), long format.

    Parameters
    ----------
    document
        The account document, or None.
    include_account
        Also confront our strengths and weaknesses with the account's own opportunities
        and threats (A3), besides the ones in our SWOT (A9).

    Returns
    -------
    DataFrame
        One row per pair (our strength or weakness) x (opportunity or threat):
        ``internal_id``, ``internal_quadrant``, ``internal_text``, ``external_id``,
        ``external_quadrant``, ``external_text``, ``external_swot`` ("ours" or
        "account"), ``tows`` (SO, ST, WO, WT), ``conclusions`` (ids of the conclusions
        based on both items, comma-separated; "" when none) and ``n_conclusions``.
        Ordered internal items first (strengths, weaknesses), then externals.
    """
    items = swot_items(document)
    ours = items[(items["swot"] == "ours").to_numpy()]
    internal = ours[ours["quadrant"].isin(["strength", "weakness"]).to_numpy()]
    external = items[items["quadrant"].isin(["opportunity", "threat"]).to_numpy()]
    if not include_account:
        external = external[(external["swot"] == "ours").to_numpy()]
    pairs = internal.drop(columns="swot").add_prefix("internal_").merge(
        external.add_prefix("external_"), how="cross")
    conclusions = _analysis(document).conclusions
    linking = [[c.id for c in conclusions if i in c.based_on and e in c.based_on]
               for i, e in zip(pairs["internal_id"], pairs["external_id"], strict=True)]
    result = pairs.assign(
        tows=[_TOWS[pair] for pair in zip(pairs["internal_quadrant"],
                                          pairs["external_quadrant"], strict=True)],
        conclusions=[joined(ids) for ids in linking],
        n_conclusions=[len(ids) for ids in linking],
    )
    columns = ["internal_id", "internal_quadrant", "internal_text", "external_id",
               "external_quadrant", "external_text", "external_swot", "tows", "conclusions"]
    return typed(result, {**dict.fromkeys(columns, "string"), "n_conclusions": "int64"})


def missing_parts(document: AccountDocument | None) -> pd.DataFrame:
    """Which written parts of the account analysis are filled in and which are empty.

    Parameters
    ----------
    document
        The account document, or None.

    Returns
    -------
    DataFrame
        One row per part, always all of them: ``part`` ("vision", "strategy",
        "organisation", "swot_account.strengths", ..., "swot_ours.threats",
        "conclusions"), ``method_part`` (A1, A2, A3, A9; "A3/A9" for the conclusions),
        ``items`` (1 for a written text, the number of items for a list, 0 when empty) and
        ``missing`` (True when empty). With no document every part is missing.
    """
    analysis = _analysis(document)
    rows: list[tuple[str, str, int]] = [
        (name, method, int(bool(getattr(analysis, name).strip())))
        for name, method in (("vision", "A1"), ("strategy", "A1"), ("organisation", "A2"))
    ]
    for which, method in (("account", "A3"), ("ours", "A9")):
        swot = getattr(analysis, _SWOTS[which])
        rows += [(f"{_SWOTS[which]}.{field}", method, len(getattr(swot, field)))
                 for field in _FIELDS.values()]
    rows.append(("conclusions", "A3/A9", len(analysis.conclusions)))
    frame = pd.DataFrame(rows, columns=["part", "method_part", "items"])
    return typed(frame.assign(missing=frame["items"] == 0),
                 {"part": "string", "method_part": "string", "items": "int64",
                  "missing": "bool"})
