"""The words of the domain: enumerations and their orders, free of pydantic.

Kept apart from the models so the rules (and the app's first frame) can use
them without importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum


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
