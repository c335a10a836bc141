"""The account document: what people write about an account, one YAML file per account.

``documents/<account_id>.yaml`` holds the written parts of the account analysis (vision,
organisation notes, both SWOTs, strategic conclusions) and the account plan (3-year vision,
objectives, strategy mix, account team, actions, revenue and margin targets). Objects
that others point at carry stable ids: SWOT items, conclusions, objectives, actions.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from kamkit.controls import id_flaw
from kamkit.currency import MONEY
from kamkit.problems import SaidError, words
from kamkit.schema import LEVELS, RENAMED_TARGET_KEYS


def _one_word(value: str) -> str:
    reason = id_flaw(value)
    if reason:
        raise SaidError(reason)
    return value


Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60),
               AfterValidator(_one_word)]
"""An id in a document: one word without control characters (``kamkit.controls.id_flaw``)."""
Text = Annotated[str, StringConstraints(strip_whitespace=True)]

METRICS: dict[str, str] = {
    "revenue": MONEY,
    "gross_margin": MONEY,
    "margin_pct": "%",
    "share_of_wallet": "%",
    "volume": "service unit",
    "services_bought": "count",
    "relationship_coverage": "%",
    "satisfaction": "score 0-10",
    "complaints": "count",
}
"""Metrics a quantitative objective can name, with their unit."""

ACTION_STATUSES = ("open", "in_progress", "done", "cancelled")


class _Model(BaseModel):
    # allow_inf_nan: a target of .inf or .nan is no target (and not "measurable")
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True,
                              allow_inf_nan=False)


class SwotItem(_Model):
    id: Id
    text: Text


class Swot(_Model):
    strengths: tuple[SwotItem, ...] = ()
    weaknesses: tuple[SwotItem, ...] = ()
    opportunities: tuple[SwotItem, ...] = ()
    threats: tuple[SwotItem, ...] = ()

    def items(self) -> tuple[SwotItem, ...]:
        return self.strengths + self.weaknesses + self.opportunities + self.threats

    def _repr_html_(self) -> str:
        from kamkit.display import swot_html

        return swot_html(self)


class Conclusion(_Model):
    """A strategic conclusion: the confrontation of SWOT items into a direction."""

    id: Id
    text: Text
    based_on: tuple[Id, ...] = Field(
        default=(), description="Ids of the SWOT items this conclusion confronts."
    )


class Analysis(_Model):
    vision: Text = ""
    strategy: Text = ""
    organisation: Text = ""
    swot_account: Swot = Swot()
    swot_ours: Swot = Swot()
    conclusions: tuple[Conclusion, ...] = ()


class Scope(_Model):
    service: Id | None = None
    location: Id | None = None


class Objective(_Model):
    id: Id
    title: Text
    kind: Literal["quantitative", "qualitative"]
    metric: Text | None = None
    scope: Scope = Scope()
    target: float | None = None
    deadline: dt.date | None = None
    owner: Id | None = None
    conclusions: tuple[Id, ...] = Field(
        default=(), description="Ids of the strategic conclusions this objective takes up: "
        "the link from the confrontation of the SWOTs to the plan (checked: each must be a "
        "conclusion of the analysis).")
    notes: Text = ""

    def _repr_html_(self) -> str:
        from kamkit.display import objectives_html

        return objectives_html([self])


class Period(_Model):
    start: dt.date
    end: dt.date


class RelationshipMix(_Model):
    bottom_up: Text = ""
    top_down: Text = ""
    horizontal: Text = ""


class Strategy(_Model):
    product_mix: Text = ""
    price_mix: Text = ""
    promotion_mix: Text = ""
    relationship_mix: RelationshipMix = RelationshipMix()


class TeamMember(_Model):
    person: Id
    role: Text
    counterparts: tuple[Id, ...] = ()


class Action(_Model):
    id: Id
    what: Text
    owner: Id | None = None
    due: dt.date
    status: Literal["open", "in_progress", "done", "cancelled"] = "open"
    objective: Id | None = None

    def _repr_html_(self) -> str:
        from kamkit.display import actions_html

        return actions_html([self])


class _Target(_Model):
    """Revenue and margin targets, read under their keys of every format version."""

    @model_validator(mode="before")
    @classmethod
    def _current_keys(cls, data: object) -> object:
        if not isinstance(data, dict) or not RENAMED_TARGET_KEYS.keys() & data.keys():
            return data
        for old, new in RENAMED_TARGET_KEYS.items():
            if old in data and new in data:
                raise SaidError(words("problem.doc.both_keys", old=old, new=new))
        return {RENAMED_TARGET_KEYS.get(key, key): value for key, value in data.items()}


class MonthlyTarget(_Target):
    month: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    revenue: float = Field(ge=0)
    gross_margin: float


class AnnualTarget(_Target):
    revenue: float | None = Field(default=None, ge=0)
    gross_margin: float | None = None


class Targets(_Model):
    annual: AnnualTarget = AnnualTarget()
    monthly: tuple[MonthlyTarget, ...] = ()


class Plan(_Model):
    period: Period
    vision_3y: Text = ""
    objectives: tuple[Objective, ...] = ()
    strategy: Strategy = Strategy()
    team: tuple[TeamMember, ...] = ()
    actions: tuple[Action, ...] = ()
    targets: Targets = Targets()

    def _repr_html_(self) -> str:
        from kamkit.display import actions_html, objectives_html

        return objectives_html(self.objectives) + actions_html(self.actions)


class AccountDocument(_Model):
    """Everything written about one account."""

    account_id: Id
    reviewed: dt.date | None = Field(
        default=None, description="When the KAM last reviewed the whole document; its age "
        "counts in the account's health score (data freshness).")
    analysis: Analysis = Analysis()
    plan: Plan | None = None
    asks: tuple[Text, ...] = Field(
        default=(), description="What the KAM asks of management at the quarter review "
        "(budget, a sponsor, a decision), one line each; the review deck ends with them.")

    def _repr_html_(self) -> str:
        from kamkit.display import document_html

        return document_html(self)

    @field_validator("account_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


__all__ = [
    "ACTION_STATUSES",
    "LEVELS",
    "METRICS",
    "AccountDocument",
    "Action",
    "Analysis",
    "Conclusion",
    "MonthlyTarget",
    "Objective",
    "Plan",
    "Swot",
    "SwotItem",
    "TeamMember",
]
