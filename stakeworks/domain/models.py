"""Records of the stakeworks store (DOMAIN section 1) as pydantic models.

Validation happens here, at the write boundary; the rules engine reads these
(or any object with the same attributes) and never validates again.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from stakeworks.domain.influence import NOTE_MAX
from stakeworks.domain.text import PROSE_CONTROLS, control_problem, is_invisible
from stakeworks.domain.vocab import (
    BAND_OF_LEVEL,
    LEVEL_RANK,
    ROLE_PRIORITY,
    SENTIMENT_RANK,
    Band,
    Kraljic,
    Level,
    PlanStatus,
    Role,
    Sentiment,
    Status,
    Tier,
    TouchKind,
)

# The vocabulary is re-exported: callers import records and their value types from one place.
__all__ = [
    "BAND_OF_LEVEL", "LEVEL_RANK", "ROLE_PRIORITY", "SENTIMENT_RANK",
    "Band", "Kraljic", "Level", "PlanStatus", "Role", "Sentiment", "Status", "Tier", "TouchKind",
    "STORED", "Amount", "Name", "Line", "Prose", "Score1to5", "Record", "Account", "Contact", "Touch", "Executive", "StoredAccount", "StoredContact", "StoredExecutive", "SponsorAssignment", "SponsorReview", "ReviewSource", "ReviewStatus", "Signal", "SignalKind", "SignalStatus", "PlanItem",
    "PlaybookTask", "Influence",
]  # fmt: skip

Score1to5 = Annotated[int, Field(ge=1, le=5)]

STORED = {"stored": True}
"""Validation context for records read back from the store: what was accepted once is shown,
never refused on the way out (a store written before a check existed still opens)."""


def _from_store(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("stored"))


def _name(value: str, info: ValidationInfo) -> str:
    # Printable text with more than spaces has no control and shows something: the checks below
    # then pass, and an import of 200,000 rows skips them (isprintable is one pass in C).
    if value.isprintable() and value.strip(" "):
        return value
    if not _from_store(info):
        if problem := control_problem(value):
            raise ValueError(f"{problem}; a name is one line of text")
        if is_invisible(value):
            raise ValueError("is blank: only invisible characters")
    return value


def _line(value: str, info: ValidationInfo) -> str:
    if value.isprintable():  # no control character (as control_problem's own first check)
        return value
    if not _from_store(info) and (problem := control_problem(value)):
        raise ValueError(f"{problem}; this field is one line of text")
    return value


def _prose(value: str, info: ValidationInfo) -> str:
    if not _from_store(info) and (problem := control_problem(value, allow=PROSE_CONTROLS)):
        raise ValueError(problem)
    return value


def _finite(value: object, info: ValidationInfo) -> object:
    # Before pydantic's own checks, so NaN is called what it is (not "less than 0"); an older
    # store may hold Infinity, which is shown (and written to JSON as null), never refused on reading.
    if _from_store(info) or isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    try:
        number = float(value)
    except ValueError:
        return value  # pydantic names what is wrong with it
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return value


Amount = Annotated[float, BeforeValidator(_finite), Field(ge=0)]
"""An amount of money: a finite number, 0 or more."""
Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_name)]
"""A record's name: one line, no control characters, something visible."""
Line = Annotated[str, AfterValidator(_line)]
"""One line of text: no control characters (tabs and line breaks included)."""
Prose = Annotated[str, AfterValidator(_prose)]
"""Free text that may run over lines (notes, strategy): tabs and line breaks, no other controls."""


class Record(BaseModel):
    # defer_build: a model's validator is built on its first use, so commands that never make
    # one (risk reads cached verdicts) do not pay ~50 ms at start for all of them.
    model_config = ConfigDict(validate_assignment=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


class Account(Record):
    id: int | None = None
    name: Name
    arr: Amount = 0
    currency: Line = Field(default="EUR", min_length=3, max_length=3)
    renewal_date: date | None = None
    tier: Tier = Tier.MID_MARKET
    industry: Line = ""
    region: Line = ""
    csm: Line = ""
    strategic_value: Score1to5 = 3
    growth_potential: Score1to5 = 3
    kraljic: Kraljic | None = None
    last_ebr: date | None = None
    next_ebr: date | None = None
    notes: Prose = ""
    # Identity in the CRM the account came from (DOMAIN section 10): two accounts
    # may share a name when these differ. Empty for accounts typed here.
    crm: Line = ""
    crm_id: Line = ""
    domain: Line = ""
    """The company's web domain ("acme.example"): how HubSpot contacts name their company."""
    company_revenue: Amount | None = None
    """The customer company's own revenue (Salesforce `AnnualRevenue`): never ARR."""

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_currency(cls, v: object) -> object:
        return v.strip().upper() if isinstance(v, str) else v


class Contact(Record):
    id: int | None = None
    account_id: int | None = None
    name: Name
    title: Line = ""
    email: Line = ""
    department: Line = ""
    level: Level = Level.USER
    level_inferred: bool = False
    roles: frozenset[Role] = frozenset()
    strength: Score1to5 | None = None
    """1-5, or None: not rated (a new contact, a CRM row without a strength)."""
    sentiment: Sentiment = Sentiment.NEUTRAL
    status: Status = Status.ACTIVE
    departed_on: date | None = None
    key_to_success: bool = False
    reports_to_id: int | None = None
    engagement_strategy: Prose = ""
    notes: Prose = ""
    # Derived from the touch log by the store; never typed by a user.
    last_touch: date | None = None
    last_touch_kind: TouchKind | None = None
    # Optimistic-locking counter: bumped by every save, checked on the next.
    version: int = 0
    # Identity in the CRM the contact came from (DOMAIN section 10).
    crm: Line = ""
    crm_id: Line = ""

    @field_validator("email")
    @classmethod
    def _email_shape(cls, v: str) -> str:
        if v and ("@" not in v or " " in v):
            raise ValueError("not an email address")
        return v.lower()


def _same_record(stored: Record, other: object) -> bool:
    """A stored record equals the same record as a plain model (an editor's draft of it):
    pydantic alone compares classes, and a `StoredContact` is a `Contact` that has its id."""
    base = type(stored).__mro__[1]
    return isinstance(other, base) and stored.__dict__ == other.__dict__


class StoredAccount(Account):
    """An account read from the store: it has its id."""

    id: int

    def __eq__(self, other: object) -> bool:
        return _same_record(self, other)


class StoredContact(Contact):
    """A contact read from the store: it has its id and its account."""

    id: int
    account_id: int

    def __eq__(self, other: object) -> bool:
        return _same_record(self, other)


class Touch(Record):
    id: int | None = None
    contact_id: int
    date: date
    kind: TouchKind
    note: Prose = ""
    by_name: Line = ""
    """Who from our side took part: a CSM by name, or (with `by_executive_id`) our executive's name."""
    by_executive_id: int | None = None
    """One of our executives took part: their touches are the sponsor duties and the fit's relationship."""
    source: Line = ""
    """Where an imported touch came from ("ics:UID/occurrence", "mail:Message-ID"): a re-import adds nothing."""


class Executive(Record):
    id: int | None = None
    name: Name
    title: Line = ""
    level: Level = Level.VP
    function: Line = ""
    industries: frozenset[Line] = frozenset()
    region: Line = ""
    capacity: int = Field(default=3, ge=1, le=20)
    exception_reason: Prose = ""
    active: bool = True

    @field_validator("level")
    @classmethod
    def _eligible(cls, v: Level) -> Level:
        if v not in (Level.VP, Level.C_LEVEL):
            raise ValueError("only VP and C-level executives can sponsor")
        return v

    @model_validator(mode="after")
    def _exception_needed(self, info: ValidationInfo) -> Executive:
        if self.capacity > 3 and is_invisible(self.exception_reason) and not _from_store(info):
            raise ValueError("capacity over 3 needs an exception reason")
        return self


class StoredExecutive(Executive):
    """An executive read from the store: it has its id."""

    id: int

    def __eq__(self, other: object) -> bool:
        return _same_record(self, other)


class SponsorAssignment(Record):
    id: int | None = None
    executive_id: int
    account_id: int
    start_date: date
    active: bool = True
    score_at_start: int | None = None
    """The account's score on its first day of sponsorship (None: assigned before it was kept)."""
    risk_at_start: str | None = None


SignalKind = Literal["email_bounced", "missing_from_crm", "moved_account", "title_changed"]
SignalStatus = Literal["open", "confirmed", "dismissed"]


class Signal(Record):
    """A sign that someone left or changed (CLI.md "A living map"), with the evidence that raised
    it; raised once per piece of evidence (`evidence_key`), confirmed or dismissed by the CSM."""

    id: int | None = None
    kind: SignalKind
    contact_id: int
    raised_on: date
    evidence: Prose
    evidence_key: Line
    new_title: Line | None = None
    new_level: Level | None = None
    other_account_id: int | None = None
    status: SignalStatus = "open"
    decided_on: date | None = None
    decided_by: Line = ""


ReviewSource = Literal["nomination", "suggestion"]
ReviewStatus = Literal["pending", "approved", "declined"]


class SponsorReview(Record):
    """An entry of the program owner's review queue: a CSM's nomination of an account (with or
    without the executive they want) or a pair the optimiser suggested; approved or declined
    by the owner, who and when recorded."""

    id: int | None = None
    account_id: int
    executive_id: int | None = None
    source: ReviewSource = "nomination"
    reason: Prose = ""
    proposed_by: Line = ""
    proposed_on: date
    status: ReviewStatus = "pending"
    decided_by: Line = ""
    decided_on: date | None = None
    decision_reason: Prose = ""
    assignment_id: int | None = None


class PlanItem(Record):
    id: int | None = None
    account_id: int
    target_contact_id: int | None = None
    target_label: str = ""
    path_contact_id: int | None = None
    path_label: str = ""
    first_action: str = ""
    due_date: date | None = None
    status: PlanStatus = PlanStatus.OPEN
    # Which gap proposed it, e.g. "economic_buyer"; blank for hand-written items.
    source: str = ""


class PlaybookTask(Record):
    id: int | None = None
    account_id: int
    contact_id: int
    departed_on: date | None = None
    """The departure this task belongs to (a contact who leaves twice gets two playbooks)."""
    kind: str = "task"  # "task" or "checklist"
    action: str
    owner: str = "CSM"
    due_date: date | None = None
    done: bool = False
    position: int = 0
    cancelled_on: date | None = None
    """Set when the departure was undone (the contact is back): kept in history, never open."""

    @property
    def status(self) -> str:
        """`open`, `done` or `cancelled` (a cancelled task stays cancelled, ticked or not)."""
        if self.cancelled_on is not None:
            return "cancelled"
        return "done" if self.done else "open"


class Influence(Record):
    """An influence line as written (DOMAIN section 14): two contacts of one account, never the same."""

    id: int | None = None
    account_id: int
    from_id: int
    to_id: int
    sign: Literal["positive", "negative", "neutral"]
    note: Line = Field(default="", max_length=NOTE_MAX)

    @model_validator(mode="after")
    def _not_itself(self) -> Influence:
        if self.from_id == self.to_id:
            raise ValueError("a contact does not influence itself")
        return self
