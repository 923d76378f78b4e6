"""DOMAIN section 11: what mail and calendar headers tell about the map. Who an address is
(ours, a customer's, nobody's), the people seen who are not on the map, and the strength
suggestions. Pure functions over counts the store gives; nothing here reads a file or a store.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from stakeworks.domain.rules.state import ContactLike, threshold_days
from stakeworks.domain.settings import Settings

SEEN_MIN_DAYS = 2  # distinct days an address needs to be proposed
SEEN_RECENT_DAYS = 180  # people seen are ordered by distinct days in this window
SUGGESTION_WINDOW_DAYS = 90
WARMING_MEETINGS = 2
WARMING_DAYS_FROM_THEM = 3
ONE_WAY_TO_THEM = 5
# Mail providers anyone can use: a contact writing from one does not make every address there
# the account's (a CSM would not expect all of gmail.com at one customer; docs/evidence.md).
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com",
    "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "proton.me",
    "protonmail.com", "mail.com", "yandex.com", "zoho.com", "fastmail.com",
})  # fmt: skip

DECAYING, WARMING, ONE_WAY = "decaying", "warming", "one_way"
SUGGESTION_KINDS = (DECAYING, WARMING, ONE_WAY)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower()


def web_domain(text: str) -> str:
    """An account's website as a mail domain: `https://www.Acme.com/x` -> `acme.com`."""
    host = text.strip().lower().split("://")[-1].split("/")[0].split(":")[0]
    return host.removeprefix("www.")


def is_role_address(address: str, settings: Settings) -> bool:
    return address.partition("@")[0].lower() in settings.role_addresses


def is_ours(address: str, settings: Settings) -> bool:
    domain = domain_of(address)
    return any(domain == d or domain.endswith("." + d) for d in settings.our_domains)


@dataclass(frozen=True, slots=True)
class AddressBook:
    """Who an address is: ours, a contact's, at an account's domain, or nobody we know."""

    settings: Settings
    contacts: Container[str]  # contacts' addresses, lower-case (an import's: those its file names)
    domains: Mapping[str, Sequence[int]]  # mail domain -> the accounts it belongs to

    def is_customer(self, address: str) -> bool:
        if address in self.contacts:
            return True
        return not is_ours(address, self.settings) and domain_of(address) in self.domains


def account_domains(pairs: Iterable[tuple[int, str]]) -> dict[str, list[int]]:
    """Mail domain -> accounts, from (account id, a contact's email or the account's website)."""
    # Accounts per domain as a dict's keys (first seen first): a generated or a real portfolio
    # puts thousands of accounts at one domain, and a list's `in` made this quadratic.
    found: dict[str, dict[int, None]] = {}
    for account_id, text in pairs:
        domain = domain_of(text) if "@" in text else web_domain(text)
        if domain and "." in domain and domain not in PUBLIC_MAIL_DOMAINS:
            found.setdefault(domain, {})[account_id] = None
    return {domain: list(accounts) for domain, accounts in found.items()}


# -- people seen ---------------------------------------------------------------------------


@dataclass(slots=True)
class SeenCounts:
    """What the imports saw of one address that is no contact's."""

    address: str
    names: Counter[str] = field(default_factory=Counter)
    days: set[date] = field(default_factory=set)
    meetings: int = 0
    from_them: int = 0
    to_them: int = 0
    with_contacts: Counter[int] = field(default_factory=Counter)


@dataclass(frozen=True, slots=True)
class Seen:
    """One person seen in mail or calendar who is not on the map (CLI.md `seen`)."""

    address: str
    names: list[str]  # most frequent first
    account_ids: list[int]  # every account whose domain it is
    first_seen: date
    last_seen: date
    days: int
    recent_days: int  # distinct days in the last 180
    meetings: int
    from_them: int
    to_them: int
    with_contacts: list[int]  # contact ids, most often first

    @property
    def account_id(self) -> int | None:
        """The account, when the domain belongs to one only."""
        return self.account_ids[0] if len(self.account_ids) == 1 else None

    @property
    def name(self) -> str:
        return self.names[0] if self.names else self.address


def people_seen(counts: Iterable[SeenCounts], book: AddressBook, dismissed: Iterable[str], today: date) -> list[Seen]:
    """Section 11: addresses at an account's domain, no contact's, not role addresses, not
    dismissed, seen on >= 2 distinct days; by distinct days in the last 180, then last seen."""
    gone = set(dismissed)
    since = today - timedelta(days=SEEN_RECENT_DAYS)
    out: list[Seen] = []
    # A domain's accounts sorted once, not once per person there (thousands of accounts may share one).
    ordered: dict[str, list[int]] = {}
    for c in counts:
        domain = domain_of(c.address)
        accounts = book.domains.get(domain)
        if (
            not accounts
            or c.address in book.contacts
            or c.address in gone
            or is_role_address(c.address, book.settings)
            or is_ours(c.address, book.settings)
            or len(c.days) < SEEN_MIN_DAYS
        ):
            continue
        names = [n for n, _ in sorted(c.names.items(), key=lambda kv: (-kv[1], kv[0])) if n]
        ids = ordered.get(domain) or ordered.setdefault(domain, sorted(accounts))
        out.append(Seen(
            c.address, names, list(ids), min(c.days), max(c.days), len(c.days),
            sum(1 for d in c.days if since <= d <= today), c.meetings, c.from_them, c.to_them,
            [i for i, _ in sorted(c.with_contacts.items(), key=lambda kv: (-kv[1], kv[0]))],
        ))  # fmt: skip
    out.sort(key=lambda s: (-s.recent_days, -s.last_seen.toordinal(), s.address))
    return out


# -- strength suggestions ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Activity:
    """A contact's evidence in the 90 days up to today."""

    meetings: int = 0
    from_them: int = 0
    from_them_days: int = 0  # distinct days with a message from them
    to_them: int = 0


@dataclass(frozen=True, slots=True)
class StaleCutoffs:
    """Last-touch days before which a contact rated >= 3 may be decaying (a superset the store
    reads; `_decaying` decides): by level for a contact holding no role with a threshold of its
    own, `otherwise` for levels with no entry, `shortest` (the latest day) for one holding such a role."""

    by_level: dict[str, date]
    otherwise: date
    shortest: date


def stale_cutoffs(today: date, settings: Settings) -> StaleCutoffs:
    """Section 11's decaying row as cutoffs: last touched more than twice the threshold ago (the
    untimed window for no threshold); a role's threshold only ever shortens a level's."""
    untimed = settings.untimed_engagement_window_days

    def limit(threshold: int | None) -> int:
        return 2 * threshold if threshold is not None else untimed

    limits = [limit(t) for t in (*settings.level_threshold_days.values(), *settings.role_threshold_days.values())]
    return StaleCutoffs(
        {level: today - timedelta(days=limit(t)) for level, t in settings.level_threshold_days.items()},
        today - timedelta(days=untimed),
        today - timedelta(days=min([untimed, *limits])),
    )


@dataclass(frozen=True, slots=True)
class Suggestion:
    contact_id: int
    kind: str
    strength: int | None
    suggested: int
    last_touch: date | None
    activity: Activity
    reason: str

    @property
    def id(self) -> int:
        """Stable while the suggestion stands: the contact's id and the kind's place."""
        return suggestion_id(self.contact_id, self.kind)


def suggestion_id(contact_id: int, kind: str) -> int:
    return contact_id * 10 + SUGGESTION_KINDS.index(kind) + 1


def parse_suggestion_id(value: int) -> tuple[int, str] | None:
    contact_id, place = divmod(value, 10)
    return (contact_id, SUGGESTION_KINDS[place - 1]) if 1 <= place <= len(SUGGESTION_KINDS) else None


def _decaying(
    c: ContactLike, today: date, settings: Settings, thresholds: dict[tuple[str, frozenset[str]], int | None]
) -> str | None:
    if c.strength is None or c.strength < 3:
        return None
    key = (c.level, frozenset(c.roles))
    threshold = thresholds[key] if key in thresholds else thresholds.setdefault(key, threshold_days(*key, settings))
    limit = 2 * threshold if threshold is not None else settings.untimed_engagement_window_days
    if c.last_touch is None:
        return "never touched"
    days = (today - c.last_touch).days
    if days <= limit:
        return None
    what = f"twice the threshold of {threshold} days" if threshold is not None else "the untimed window"
    return f"last touched {days} days ago, more than {what} ({limit})"


def _warming(c: ContactLike, a: Activity) -> str | None:
    if c.strength is not None and c.strength > 2:
        return None
    if a.meetings >= WARMING_MEETINGS:
        return f"{a.meetings} meetings in the last {SUGGESTION_WINDOW_DAYS} days"
    if a.from_them_days >= WARMING_DAYS_FROM_THEM:
        return f"messages from them on {a.from_them_days} days in the last {SUGGESTION_WINDOW_DAYS} days"
    return None


def _one_way(c: ContactLike, a: Activity) -> str | None:
    if c.strength is None or c.strength < 3 or a.to_them < ONE_WAY_TO_THEM or a.from_them:
        return None
    return f"{a.to_them} messages to them and none from them in the last {SUGGESTION_WINDOW_DAYS} days"


def suggestions_for(
    c: ContactLike, activity: Activity, today: date, settings: Settings, contact_id: int,
    thresholds: dict[tuple[str, frozenset[str]], int | None] | None = None,
) -> list[Suggestion]:  # fmt: skip
    """Section 11's table for one contact (departed contacts get none); `thresholds` remembers
    each (level, roles) pair's threshold across calls."""
    if c.status == "departed":
        return []
    out = []
    why = _decaying(c, today, settings, {} if thresholds is None else thresholds)
    if why and c.strength is not None:
        out.append(Suggestion(contact_id, DECAYING, c.strength, c.strength - 1, c.last_touch, activity, why))
    why = _warming(c, activity)
    if why:
        suggested = 3 if c.strength is None else c.strength + 1
        out.append(Suggestion(contact_id, WARMING, c.strength, suggested, c.last_touch, activity, why))
    why = _one_way(c, activity)
    if why:
        out.append(Suggestion(contact_id, ONE_WAY, c.strength, 2, c.last_touch, activity, why))
    return out


def evidence_key(strength: int | None, touches: int, interactions: int) -> str:
    """What a rejection was made on: a new rating, touch or interaction changes it."""
    return f"strength={strength};touches={touches};interactions={interactions}"
