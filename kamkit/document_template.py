"""The commented template of a new account document (``kamkit new-account``)."""

from __future__ import annotations

import datetime as dt

from kamkit.documents import ACTION_STATUSES, METRICS

_TEMPLATE = """\
# Account document for {account_id}: what people write about the account.
# The figures (spend, share of wallet, revenue, coverage) come from the workbook's tables;
# this file holds the judgement. Ids (AS1, S1, C1, OBJ1, ACT1) must be unique in the file:
# conclusions point at SWOT items, objectives at conclusions, actions at objectives.
account_id: {account_id}
# The date you last went through this whole document (YYYY-MM-DD); its age counts in the
# account's health score. Empty: never reviewed.
# reviewed: 2026-06-30

# ---------------------------------------------------------------- account analysis
analysis:
  # A1 The account's vision and overall strategy, in its own words where possible.
  vision: ""
  strategy: ""
  # A2 Organisation: what the org chart from contacts.csv does not show
  # (decision processes, reorganisations, who really decides).
  organisation: ""
  # A3 SWOT from the account's own perspective (its market, its business).
  swot_account:
    strengths: []      # - {{id: AS1, text: "..."}}
    weaknesses: []     # - {{id: AW1, text: "..."}}
    opportunities: []  # - {{id: AO1, text: "..."}}
    threats: []        # - {{id: AT1, text: "..."}}
  # A9 SWOT of our own position within the account.
  swot_ours:
    strengths: []      # - {{id: S1, text: "..."}}
    weaknesses: []     # - {{id: W1, text: "..."}}
    opportunities: []  # - {{id: O1, text: "..."}}
    threats: []        # - {{id: T1, text: "..."}}
  # Strategic conclusions: confront strengths and weaknesses with opportunities and
  # threats. based_on lists the SWOT ids each conclusion rests on.
  conclusions: []
  # - id: C1
  #   text: "Use our strength S1 to take opportunity AO1 ..."
  #   based_on: [S1, AO1]

# ---------------------------------------------------------------- account plan
plan:
  period: {{start: {start}, end: {end}}}
  # P1 The desired situation with this account in 3 years.
  vision_3y: ""
  # P2 Objectives for the plan period. kind: quantitative (SMART-checked against the data)
  # or qualitative. metric, one of: {metrics}.
  # scope narrows a metric to a service and/or location code.
  objectives: []
  # - id: OBJ1
  #   title: "Grow revenue to EUR 1.2 million"
  #   kind: quantitative
  #   metric: revenue
  #   scope: {{service: CLEAN, location: NL-RTM}}
  #   target: 1200000
  #   deadline: {end}
  #   owner: P01            # a person_id from team.csv
  #   conclusions: [C1]
  # P3 Account strategy.
  strategy:
    product_mix: ""     # deep selling (more of what they buy from us), cross selling
    price_mix: ""       # price build-up, margin policy
    promotion_mix: ""   # material and personal promotion effort
    relationship_mix:
      bottom_up: ""
      top_down: ""
      horizontal: ""    # "oil spots": from one department to the next
  # The account team, matched to the contact matrix.
  team: []
  # - {{person: P01, role: Key account manager, counterparts: [{account_id}-C01]}}
  # P4 Action plan. status: {statuses}.
  actions: []
  # - {{id: ACT1, what: "...", owner: P01, due: {start}, status: open, objective: OBJ1}}
  # P5 Monitoring: revenue and gross margin targets in the workbook's currency. Give the
  # annual figures (phased by month from the account's own seasonality) or a target per
  # month.
  targets:
    annual: {{revenue: null, gross_margin: null}}
    monthly: []
    # - {{month: "{first_month}", revenue: 100000, gross_margin: 25000}}

# ---------------------------------------------------------------- quarter review
# What you ask of management at the quarter review (a budget, a sponsor, a decision), one
# line each; the review deck ends with them.
asks: []
# - "A sponsor on the board for the 2027 tender"
"""


def account_document_template(account_id: str, year: int | None = None) -> str:
    """A commented, valid YAML skeleton with every section of the method for ``account_id``."""
    year = year or dt.date.today().year + 1
    return _TEMPLATE.format(
        account_id=account_id,
        start=f"{year}-01-01",
        end=f"{year}-12-31",
        first_month=f"{year}-01",
        metrics=", ".join(METRICS),
        statuses=", ".join(ACTION_STATUSES),
    )
