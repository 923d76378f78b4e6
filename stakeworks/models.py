"""Records of the stakeworks store (DOMAIN section 1) as pydantic models.

Validation happens here, at the write boundary; the rules engine reads these
(or any object with the same attributes) and never validates again.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Tier(StrEnum):
    STRATEGIC = "strategic"
    ENTERPRISE = "enterprise"
    MID_MARKET = "mid_market"
    SMB = "smb"


class Kraljic(StrEnum):
    STRATEGIC = "strategic"
    LEVERAGE = "leverage"
    BOTTLENECK = "bottleneck"
    NON_CRITICAL = "non_critical"


class Level(StrEnum):
    C_LEVEL = "c_level"
    VP = "vp"
    DIRECTOR = "director"
    MANAGER = "manager"
    USER = "user"


class Band(StrEnum):
    """Level bands of seed 000's map, top to bottom."""

    EXECUTIVE = "executive"
    SENIOR = "senior"
    WORKING = "working"


BAND_OF_LEVEL: dict[str, Band] = {
    Level.C_LEVEL: Band.EXECUTIVE,
    Level.VP: Band.SENIOR,
    Level.DIRECTOR: Band.SENIOR,
    Level.MANAGER: Band.WORKING,
    Level.USER: Band.WORKING,
}

LEVEL_RANK: dict[str, int] = {lvl.value: i for i, lvl in enumerate(Level)}


class Role(StrEnum):
    CHAMPION = "champion"
    ECONOMIC_BUYER = "economic_buyer"
    DECISION_MAKER = "decision_maker"
    EXECUTIVE_SPONSOR = "executive_sponsor"
    TECHNICAL_LEAD = "technical_lead"
    END_USER_CHAMPION = "end_user_champion"
    INFLUENCER = "influencer"
    DETRACTOR = "detractor"
    END_USER = "end_user"


ROLE_PRIORITY: dict[str, str] = {
    Role.CHAMPION: "critical",
    Role.ECONOMIC_BUYER: "critical",
    Role.DECISION_MAKER: "high",
    Role.EXECUTIVE_SPONSOR: "high",
    Role.TECHNICAL_LEAD: "medium",
    Role.END_USER_CHAMPION: "medium",
    Role.INFLUENCER: "varies",
    Role.DETRACTOR: "high",
    Role.END_USER: "low",
}


class Sentiment(StrEnum):
    ADVOCATE = "advocate"
    SUPPORTIVE = "supportive"
    NEUTRAL = "neutral"
    RESISTANT = "resistant"
    DETRACTOR = "detractor"


SENTIMENT_RANK: dict[str, int] = {s.value: i for i, s in enumerate(Sentiment)}


class Status(StrEnum):
    ACTIVE = "active"
    NOT_ENGAGED = "not_engaged"
    DEPARTED = "departed"


class TouchKind(StrEnum):
    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    QBR = "qbr"
    EBR = "ebr"
    EVENT = "event"
    IN_APP = "in_app"


class PlanStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


Score1to5 = Annotated[int, Field(ge=1, le=5)]


class Record(BaseModel):
    model_config = ConfigDict(validate_assignment=True, extra="forbid", str_strip_whitespace=True)


class Account(Record):
    id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    arr: float = Field(default=0, ge=0)
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    renewal_date: date | None = None
    tier: Tier = Tier.MID_MARKET
    industry: str = ""
    region: str = ""
    csm: str = ""
    strategic_value: Score1to5 = 3
    growth_potential: Score1to5 = 3
    kraljic: Kraljic | None = None
    last_ebr: date | None = None
    next_ebr: date | None = None
    notes: str = ""

    @field_validator("currency", mode="before")
    @classmethod
    def _upper_currency(cls, v: object) -> object:
        return v.strip().upper() if isinstance(v, str) else v


class Contact(Record):
    id: int | None = None
    account_id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    title: str = ""
    email: str = ""
    department: str = ""
    level: Level = Level.USER
    level_inferred: bool = False
    roles: frozenset[Role] = frozenset()
    strength: Score1to5 = 3
    sentiment: Sentiment = Sentiment.NEUTRAL
    status: Status = Status.ACTIVE
    departed_on: date | None = None
    key_to_success: bool = False
    reports_to_id: int | None = None
    engagement_strategy: str = ""
    notes: str = ""
    # Derived from the touch log by the store; never typed by a user.
    last_touch: date | None = None
    last_touch_kind: TouchKind | None = None
    # Optimistic-locking counter: bumped by every save, checked on the next.
    version: int = 0

    @field_validator("email")
    @classmethod
    def _email_shape(cls, v: str) -> str:
        if v and ("@" not in v or " " in v):
            raise ValueError("not an email address")
        return v.lower()


class Touch(Record):
    id: int | None = None
    contact_id: int
    date: date
    kind: TouchKind
    note: str = ""


class Executive(Record):
    id: int | None = None
    name: str = Field(min_length=1, max_length=200)
    title: str = ""
    level: Level = Level.VP
    function: str = ""
    industries: frozenset[str] = frozenset()
    region: str = ""
    capacity: int = Field(default=3, ge=1, le=20)
    exception_reason: str = ""
    active: bool = True

    @field_validator("level")
    @classmethod
    def _eligible(cls, v: Level) -> Level:
        if v not in (Level.VP, Level.C_LEVEL):
            raise ValueError("only VP and C-level executives can sponsor")
        return v

    @model_validator(mode="after")
    def _exception_needed(self) -> Executive:
        if self.capacity > 3 and not self.exception_reason.strip():
            raise ValueError("capacity over 3 needs an exception reason")
        return self


class SponsorAssignment(Record):
    id: int | None = None
    executive_id: int
    account_id: int
    start_date: date
    active: bool = True


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
    kind: str = "task"  # "task" or "checklist"
    action: str
    owner: str = "CSM"
    due_date: date | None = None
    done: bool = False
    position: int = 0
