"""Both SWOTs, the confrontation into conclusions, and the missing written parts.

Mini A1 document: account SWOT AS1, AW1, AO1, AT1; our SWOT S1, W1, O1, T1;
one conclusion C1 based on S1 (our strength) and AO1 (the account's opportunity).
"""

from __future__ import annotations

import pytest

from kamkit.analysis import (
    confrontation,
    confrontation_matrix,
    missing_parts,
    swot_table,
)
from kamkit.documents import AccountDocument, Analysis, Conclusion, Swot, SwotItem
from kamkit.errors import KamkitError


def test_swot_table(a1) -> None:
    account = swot_table(a1.document, "account")
    assert list(account["quadrant"]) == ["strength", "weakness", "opportunity", "threat"]
    assert list(account["id"]) == ["AS1", "AW1", "AO1", "AT1"]
    ours = swot_table(a1.document, "ours")
    assert list(ours["id"]) == ["S1", "W1", "O1", "T1"]
    assert ours["text"].iloc[0] == "Quality of cleaning"


def test_swot_table_rejects_an_unknown_swot(a1) -> None:
    with pytest.raises(KamkitError, match=r"'account'.*'ours'"):
        swot_table(a1.document, "theirs")  # type: ignore[arg-type]


def test_confrontation(a1) -> None:
    conclusions = confrontation(a1.document)
    assert len(conclusions) == 1
    c1 = conclusions.iloc[0]
    # strength S1 x opportunity AO1 -> C1
    assert c1["conclusion_id"] == "C1"
    assert c1["strengths"] == "S1" and c1["opportunities"] == "AO1"
    assert c1["weaknesses"] == "" and c1["threats"] == "" and c1["unknown"] == ""


def test_confrontation_matrix(a1) -> None:
    matrix = confrontation_matrix(a1.document)
    # our S1, W1 x the opportunities and threats O1, T1 (ours) and AO1, AT1 (account's)
    assert len(matrix) == 2 * 4
    linked = matrix[matrix["n_conclusions"] > 0]
    assert len(linked) == 1
    pair = linked.iloc[0]
    assert (pair["internal_id"], pair["external_id"], pair["tows"]) == ("S1", "AO1", "SO")
    assert pair["conclusions"] == "C1" and pair["external_swot"] == "account"
    assert set(matrix["tows"]) == {"SO", "ST", "WO", "WT"}
    # our own SWOT only: 2 x 2 pairs, none linked by C1
    own = confrontation_matrix(a1.document, include_account=False)
    assert len(own) == 4 and (own["n_conclusions"] == 0).all()


def test_confrontation_with_several_items_per_quadrant() -> None:
    swot = Swot(strengths=(SwotItem(id="S1", text="a"), SwotItem(id="S2", text="b")),
                threats=(SwotItem(id="T1", text="c"),))
    document = AccountDocument(account_id="X", analysis=Analysis(
        swot_ours=swot,
        conclusions=(Conclusion(id="C1", text="x", based_on=("S2", "S1", "T1")),
                     Conclusion(id="C2", text="y", based_on=("S1", "T1")))))
    row = confrontation(document).iloc[0]
    assert row["strengths"] == "S2, S1" and row["threats"] == "T1"
    matrix = confrontation_matrix(document)
    # S1 x T1 is linked by both conclusions, S2 x T1 by C1 only
    s1 = matrix[(matrix["internal_id"] == "S1").to_numpy()].iloc[0]
    assert s1["conclusions"] == "C1, C2" and s1["n_conclusions"] == 2 and s1["tows"] == "ST"


def test_missing_parts(a1) -> None:
    assert not missing_parts(a1.document)["missing"].any()
    partial = AccountDocument(account_id="X", analysis=Analysis(
        vision="Grow", swot_ours=Swot(strengths=(SwotItem(id="S1", text="a"),))))
    parts = missing_parts(partial).set_index("part")
    assert not parts.loc["vision", "missing"]
    assert parts.loc["swot_ours.strengths", "items"] == 1
    assert parts.loc["strategy", "missing"] and parts.loc["conclusions", "missing"]
    assert parts.loc["swot_account.threats", "method_part"] == "A3"
    # vision, strategy, organisation, 2 x 4 quadrants, conclusions = 12 parts; 10 missing
    assert len(parts) == 12 and parts["missing"].sum() == 10
