"""The account document: what people write about an account, one YAML file per account.

``documents/<account_id>.yaml`` holds the written parts of the account analysis (vision,
organisation notes, both SWOTs, strategic conclusions) and the account plan (3-year vision,
objectives, strategy mix, account team, actions, revenue and margin targets). Objects
that others point at carry stable ids: SWOT items, conclusions, objectives, actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import UnionType
from typing import Annotated, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from kamkit.controls import id_flaw
from kamkit.currency import MONEY
from kamkit.parsing import no_such_date_words, not_fitting_words, parse_date
from kamkit.problems import SaidError, words
from kamkit.schema import LEVELS, RENAMED_TARGET_KEYS, Kind


def _one_word(value: str) -> str:
    reason = id_flaw(value)
    if reason:
        raise SaidError(reason)
    return value


Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60),
               AfterValidator(_one_word)]
"""An id in a document: one word without control characters (``kamkit.controls.id_flaw``)."""
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
"""A free text; may be left empty (a vision not written yet)."""
Required = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A text an item is nothing without (a SWOT item's text, an objective's title, an action's
what): blank after stripping is an error, in ``kamkit validate``, the edit API and the
workbench alike (one model, one rule)."""



def _day(value: object) -> object:
    """A date written as text, read as the workbook's readers read one (2026-03-15,
    15-03-2026, 15/03/2026, 2026-3-5): what a person types is what a table cell may hold."""
    if isinstance(value, int | float):  # pydantic would take 20260315 for seconds since 1970
        raise SaidError(not_fitting_words(Kind.DATE))
    if not isinstance(value, str):
        return value  # a date already, or something pydantic names
    day = parse_date(value)
    if day is not None:
        return day
    raise SaidError(no_such_date_words(value) or not_fitting_words(Kind.DATE))


Day = Annotated[dt.date, BeforeValidator(_day)]
"""A date in a document: kamkit writes it YYYY-MM-DD; text in the readers' other layouts
(``kamkit.parsing.parse_date``) is read too."""

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

SIGNED_METRICS = frozenset({"gross_margin", "margin_pct"})
"""The metrics whose target may be below zero (a loss cut back); any other metric's target
below zero is a slip of the sign (``kamkit validate`` warns, the SMART check says so)."""

ACTION_STATUSES = ("open", "in_progress", "done", "cancelled")
ObjectiveKind = Literal["quantitative", "qualitative"]
OBJECTIVE_KINDS: tuple[str, ...] = get_args(ObjectiveKind)


class _Model(BaseModel):
    # allow_inf_nan: a target of .inf or .nan is no target (and not "measurable")
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True,
                              allow_inf_nan=False)


class SwotItem(_Model):
    id: Id
    text: Required


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
    text: Required
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
    title: Required
    kind: ObjectiveKind
    metric: Text | None = None
    scope: Scope = Scope()
    target: float | None = None
    deadline: Day | None = None
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
    start: Day
    end: Day


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
    role: Required
    counterparts: tuple[Id, ...] = ()


class Action(_Model):
    id: Id
    what: Required
    owner: Id | None = None
    due: Day
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
    reviewed: Day | None = Field(
        default=None, description="When the KAM last reviewed the whole document; its age "
        "counts in the account's health score (data freshness).")
    analysis: Analysis = Analysis()
    plan: Plan | None = None
    asks: tuple[Required, ...] = Field(
        default=(), description="What the KAM asks of management at the quarter review "
        "(budget, a sponsor, a decision), one line each; the review deck ends with them.")

    def _repr_html_(self) -> str:
        from kamkit.display import document_html

        return document_html(self)

    @field_validator("account_id", mode="before")
    @classmethod
    def _id_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


FieldPath = tuple[str | None, ...]
"""Where a document holds a field, as keys (None: every item of a list)."""


def date_paths(model: type[BaseModel] = AccountDocument,
               path: FieldPath = ()) -> list[FieldPath]:
    """Where ``model`` holds dates, as paths of keys (None: every item of a list), from its
    annotations: ``[("reviewed",), ("plan", "actions", None, "due"), ...]``."""
    return _paths(model, path, lambda annotation: annotation is dt.date)


def required_paths(model: type[BaseModel] = AccountDocument,
                   path: FieldPath = ()) -> list[FieldPath]:
    """Where ``model`` holds ``Required`` texts (blank is an error), from its annotations:
    ``[("analysis", "swot_account", "strengths", None, "text"), ...]``."""
    return _paths(model, path, lambda annotation: annotation == Required)


def path_text(path: FieldPath) -> str:
    """A path as a reader writes it: ``plan.actions[].due``."""
    return "".join("[]" if part is None else (f".{part}" if at else part)
                   for at, part in enumerate(path))


Match = Callable[[object], bool]


def _paths(model: type[BaseModel], path: FieldPath, match: Match) -> list[FieldPath]:
    found = []
    for name, info in model.model_fields.items():
        # pydantic keeps a field's own Annotated metadata apart: put it back, to match
        annotation = (Annotated[info.annotation, *info.metadata]
                      if info.metadata else info.annotation)
        found += _paths_in(annotation, (*path, name), match)
    return found


def _paths_in(annotation: object, path: FieldPath, match: Match) -> list[FieldPath]:
    if match(annotation):
        return [path]
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _paths_in(args[0], path, match)
    if origin in (Union, UnionType):
        return [found for arg in args for found in _paths_in(arg, path, match)]
    if origin is tuple:
        return _paths_in(args[0], (*path, None), match)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _paths(annotation, path, match)
    return []


__all__ = [
    "ACTION_STATUSES",
    "LEVELS",
    "METRICS",
    "SIGNED_METRICS",
    "AccountDocument",
    "Action",
    "Analysis",
    "Conclusion",
    "Day",
    "MonthlyTarget",
    "Objective",
    "Plan",
    "Required",
    "Swot",
    "SwotItem",
    "TeamMember",
    "date_paths",
    "path_text",
    "required_paths",
]
