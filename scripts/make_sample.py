"""Write sample.db: a realistic, deterministic demo portfolio.

About 40 accounts across tiers, industries, regions and CSMs, 4-15 contacts
each with reports-to chains and touch histories, hand-shaped accounts so that
every risk factor of DOMAIN section 4 fires somewhere (Northwind is DOMAIN
section 7's worked example), and 8 executives, one at exactly three accounts.
A few people hold several accounts (a parent's CFO, a consultant, a champion who
moved: DOMAIN section 13) and a few accounts have influence lines (section 14).

Usage: python scripts/make_sample.py [OUT] [--as-of YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.names import COMPANY_KINDS, COMPANY_WORDS, FIRST, INDUSTRY_OF, LAST  # noqa: E402
from stakeworks.db.store import Store  # noqa: E402
from stakeworks.domain.models import (
    Account,
    Contact,
    Executive,
    Influence,
    PlanItem,
    Signal,
    SponsorReview,
    Status,
    Touch,
)  # noqa: E402
from stakeworks.domain.rules import assess  # noqa: E402
from stakeworks.services.accounts import account_view  # noqa: E402

AS_OF = date(2026, 11, 1)

REGIONS = ("EMEA", "EMEA", "North America", "North America", "APAC", "LATAM")
CSMS = ("Alex Rivera", "Bea Lindgren", "Chidi Obi", "Dana Kowalczyk", "Eli Sato")

# (department, level, title) templates; the first of each department leads it.
ORG = {
    "Executive": [("c_level", "CEO"), ("c_level", "COO")],
    "Finance": [("c_level", "CFO"), ("vp", "VP Finance"), ("director", "Director of FP&A"), ("manager", "Procurement Manager")],
    "Engineering": [("c_level", "CTO"), ("vp", "VP Engineering"), ("director", "Director of Platform"), ("manager", "Engineering Manager"), ("user", "Senior Engineer"), ("user", "DevOps Engineer")],
    "Operations": [("vp", "VP Operations"), ("director", "Head of Operations"), ("manager", "Operations Manager"), ("user", "Operations Analyst")],
    "IT": [("c_level", "CIO"), ("director", "IT Director"), ("manager", "IT Manager"), ("user", "Systems Administrator")],
    "Sales": [("vp", "VP Sales"), ("director", "Sales Director"), ("manager", "Sales Ops Manager")],
    "Customer Support": [("director", "Director of Support"), ("manager", "Support Team Lead"), ("user", "Support Specialist")],
}  # fmt: skip
KINDS = ("call", "email", "meeting", "email", "call", "qbr", "in_app", "event")
NOTES = (
    "Prefers short agendas sent a day ahead.",
    "Asked for a roadmap preview next quarter.",
    "Reorg rumoured in their team.",
    "Joined from a competitor's customer; knows the category well.",
    "Busy with an ERP migration until spring.",
    "",
    "",
    "",
)


@dataclass
class Person:
    name: str
    title: str
    department: str
    level: str
    roles: set[str]
    strength: int | None
    sentiment: str
    status: str = "active"
    last_touch_days: int | None = 20
    departed_days: int | None = None
    strategy: str = ""
    key: bool = False
    boss: str = ""
    notes: str = ""
    kind: str = "call"
    returned_days: int | None = None
    """Marked departed `departed_days` ago by mistake, set back to active this many days ago."""


class Names:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> str:
        while True:
            n = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if n not in self.used:
                self.used.add(n)
                return n


def email_of(name: str, company: str) -> str:
    local = name.lower().replace(" ", ".").replace("'", "")
    domain = company.lower().split()[0] + ".example"
    return f"{local}@{domain}".encode("ascii", "ignore").decode()


SENTIMENT_BY_STRENGTH = {5: "advocate", 4: "supportive", 3: "neutral", 2: "neutral", 1: "resistant"}


def random_people(rng: random.Random, names: Names, health: float, size: int) -> list[Person]:
    """A plausible org slice: healthier accounts are wider, deeper, fresher."""
    depts = ["Engineering", "Finance"]
    extra = [d for d in ORG if d not in depts]
    rng.shuffle(extra)
    depts += extra[: 1 + int(health * 3)]
    people: list[Person] = []
    slots = [(d, lvl, t) for d in depts for lvl, t in ORG[d]]
    rng.shuffle(slots)
    slots.sort(key=lambda s: ("c_level", "vp", "director", "manager", "user").index(s[1]) + rng.random() * 2)
    for dept, level, title in slots[:size]:
        strength = max(1, min(5, round(rng.gauss(2.4 + health * 2.2, 0.9))))
        stale = rng.random() > health
        days = rng.randint(40, 300) if stale else rng.randint(1, 28)
        if rng.random() < 0.06:
            days = None
        people.append(
            Person(
                names.person(), title, dept, level, set(), strength,
                SENTIMENT_BY_STRENGTH[strength] if rng.random() > 0.15 else rng.choice(("supportive", "neutral", "resistant")),
                last_touch_days=days, notes=rng.choice(NOTES), kind=rng.choice(KINDS),
            )
        )  # fmt: skip
    # Roles: a champion, an economic buyer (CFO-ish), maybe sponsor / DM / tech lead.
    senior = [p for p in people if p.level in ("vp", "director")]
    if senior and rng.random() < 0.9:
        champ = max(senior, key=lambda p: p.strength)
        champ.roles.add("champion")
        champ.last_touch_days = rng.randint(2, 26) if rng.random() < health + 0.2 else rng.randint(35, 80)
    finance = [p for p in people if p.department == "Finance"]
    if finance:
        finance[0].roles.add("economic_buyer")
        if rng.random() < health + 0.25:
            finance[0].strength = max(3, finance[0].strength)
            finance[0].last_touch_days = rng.randint(3, 80)
        if finance[0].level == "c_level" and rng.random() < 0.5:
            finance[0].roles.add("decision_maker")
    execs = [p for p in people if p.level == "c_level" and not p.roles]
    if execs and rng.random() < 0.4 + health / 2:
        execs[0].roles.add("executive_sponsor")
        execs[0].last_touch_days = rng.randint(5, 80) if rng.random() < health + 0.1 else rng.randint(95, 200)
    for p in people:
        if not p.roles:
            if p.department in ("Engineering", "IT") and p.level in ("manager", "director"):
                p.roles.add("technical_lead")
            elif p.level == "user":
                p.roles.add("end_user_champion" if p.strength >= 4 else "end_user")
            elif rng.random() < 0.3:
                p.roles.add("influencer")
    if rng.random() < 0.15:
        det = rng.choice(people)
        det.sentiment, det.strength = "detractor", min(det.strength, 2)
        det.strategy = "" if rng.random() < 0.5 else "Address integration concerns with a joint workshop."
    if len(people) > 5 and rng.random() < 0.5:
        p = rng.choice([p for p in people if "champion" not in p.roles])
        p.status, p.last_touch_days = "not_engaged", None
    for p in people:
        p.key = "champion" in p.roles or "economic_buyer" in p.roles or rng.random() < 0.1
        if not p.strategy and p.roles & {"champion", "economic_buyer", "executive_sponsor"}:
            p.strategy = rng.choice(
                (
                    "Quarterly value review with usage data.",
                    "Invite to the customer advisory board.",
                    "Monthly check-in; share roadmap early.",
                    "Tie our outcomes to their annual plan.",
                )
            )
    for p in people:
        if p.level == "c_level" and p.status == "active" and rng.random() < health:
            p.strength = max(3, p.strength)
    _chain(people)
    return people


def _chain(people: list[Person]) -> None:
    """reports-to: each person to the closest more senior person, own department first."""
    order = ("c_level", "vp", "director", "manager", "user")
    for p in people:
        above = [q for q in people if order.index(q.level) < order.index(p.level)]
        if not above:
            continue
        same = [q for q in above if q.department == p.department]
        pool = same or [q for q in above if q.level == "c_level"] or above
        p.boss = max(pool, key=lambda q: order.index(q.level)).name


def northwind() -> list[Person]:
    """DOMAIN section 7 as of 2026-03-10, moved to AS_OF (same day offsets)."""
    return [
        Person("Tom Chen", "VP Engineering", "Engineering", "vp", {"champion"}, 5, "advocate", last_touch_days=9,
               strategy="Primary relationship. Drives internal adoption.", key=True, kind="call",
               notes="Primary relationship. Drives internal adoption"),
        Person("Sarah Kim", "CFO", "Finance", "c_level", {"economic_buyer"}, 2, "neutral", last_touch_days=85,
               key=True, kind="qbr", notes="Met once. Has not engaged since. Critical gap"),
        Person("Lisa Park", "Engineering Manager", "Engineering", "manager", {"technical_lead"}, 3, "supportive",
               last_touch_days=5, boss="Tom Chen", kind="email", notes="Responsive. Handles day-to-day"),
    ]  # fmt: skip


# People of the accounts below, named by hand so the random portfolio keeps its draws.
REVISION_2_PEOPLE = (
    "Marisol Vega", "Ethan Brooks", "Priya Raman", "Jonas Weber", "Aiko Tanaka", "Grace Okafor", "Tomasz Nowak",
    "Hana Kim", "Felix Laurent", "Nadia Petrova", "Omar Haddad",
)  # fmt: skip


def revision_2() -> dict[str, tuple[dict, list[Person]]]:
    """DOMAIN revision 2 in the demo: a weak champion beside an overdue one (whose
    mistaken departure was undone, so its playbook is cancelled), and a freshly
    imported CRM list: not rated, never touched, no coverage yet."""
    return {
        "Kestrel Outdoor": ({"tier": "mid_market", "industry": "retail", "region": "North America", "arr": 140000,
                             "renewal_days": 160, "kraljic": "leverage", "strategic_value": 3},
                            [Person("Marisol Vega", "Director of E-commerce", "Digital", "director", {"champion"}, 2,
                                    "neutral", last_touch_days=6, strategy="Weekly stand-up until the checkout outage is behind us.",
                                    notes="Frustrated since the checkout outage in September."),
                             Person("Ethan Brooks", "VP Merchandising", "Merchandising", "vp", {"champion"}, 4, "supportive",
                                    last_touch_days=52, departed_days=40, returned_days=33,
                                    strategy="Quarterly range review.", notes="Was on leave; marked departed by mistake."),
                             Person("Priya Raman", "CFO", "Finance", "c_level", {"economic_buyer"}, 4, "supportive",
                                    last_touch_days=35, strategy="Budget check-in before each quarter."),
                             Person("Jonas Weber", "IT Manager", "IT", "manager", {"technical_lead"}, 3, "neutral",
                                    last_touch_days=10, boss="Priya Raman"),
                             Person("Aiko Tanaka", "Store Operations Analyst", "Operations", "user", {"end_user"}, None,
                                    "neutral", last_touch_days=None)]),
        "Osprey Freight": ({"tier": "enterprise", "industry": "logistics", "region": "EMEA", "arr": 260000,
                            "renewal_days": 300, "kraljic": "strategic", "strategic_value": 4, "growth_potential": 4},
                           [Person("Grace Okafor", "VP Operations", "Operations", "vp", {"champion"}, None, "neutral",
                                   last_touch_days=3, kind="meeting", notes="Imported from the CRM; kickoff call held."),
                            Person("Tomasz Nowak", "CFO", "Finance", "c_level", {"economic_buyer"}, None, "neutral",
                                   last_touch_days=None, notes="Imported from the CRM."),
                            Person("Hana Kim", "Head of Fleet Planning", "Operations", "director", set(), None, "neutral",
                                   last_touch_days=None, boss="Grace Okafor", notes="Imported from the CRM."),
                            Person("Felix Laurent", "Dispatcher", "Operations", "user", {"end_user"}, None, "neutral",
                                   last_touch_days=None, boss="Hana Kim", notes="Imported from the CRM."),
                            Person("Nadia Petrova", "IT Director", "IT", "director", {"technical_lead"}, None, "neutral",
                                   last_touch_days=None, notes="Imported from the CRM."),
                            Person("Omar Haddad", "Warehouse Coordinator", "Operations", "user", set(), None, "neutral",
                                   last_touch_days=400, boss="Hana Kim", notes="Met at a trade fair last year.")]),
    }  # fmt: skip


def shaped(names: Names) -> dict[str, tuple[dict, list[Person]]]:
    """Accounts built to show one factor each (besides their others)."""
    n = names.person
    return {
        "Northwind": ({"tier": "enterprise", "industry": "software", "region": "EMEA", "arr": 240000,
                       "renewal_days": 204, "kraljic": "leverage"}, northwind()),
        "Quillon Labs": ({"tier": "smb", "industry": "software", "region": "EMEA", "arr": 18000, "renewal_days": 150},
                         [Person(n(), "Head of Data", "Analytics", "director", {"champion"}, 3, "neutral",
                                 status="not_engaged", last_touch_days=None)]),
        "Solano Dental Group": ({"tier": "smb", "industry": "healthcare", "region": "LATAM", "arr": 24000, "renewal_days": 70},
                                [Person(n(), "Practice Manager", "Operations", "manager", {"champion", "economic_buyer"}, 4,
                                        "supportive", last_touch_days=12, strategy="Monthly call.")]),
        "Halvorsen Shipping": ({"tier": "strategic", "industry": "logistics", "region": "EMEA", "arr": 910000,
                                "renewal_days": 120, "kraljic": "strategic", "strategic_value": 5, "growth_potential": 4},
                               [Person(n(), "VP Operations", "Operations", "vp", {"champion"}, 5, "advocate",
                                       status="departed", departed_days=20, last_touch_days=25),
                                Person(n(), "CFO", "Finance", "c_level", {"economic_buyer", "decision_maker"}, 4, "supportive",
                                       last_touch_days=30, strategy="Quarterly ROI review."),
                                Person(n(), "Operations Manager", "Operations", "manager", {"end_user_champion"}, 4, "advocate",
                                       last_touch_days=10),
                                Person(n(), "Director of Logistics IT", "IT", "director", {"technical_lead"}, 3, "neutral",
                                       last_touch_days=15),
                                Person(n(), "CEO", "Executive", "c_level", {"executive_sponsor"}, 4, "supportive",
                                       last_touch_days=60, strategy="EBR twice a year with our CRO.")]),
        "Brightwater Utilities": ({"tier": "enterprise", "industry": "energy", "region": "North America", "arr": 380000,
                                   "renewal_days": 260, "kraljic": "bottleneck", "strategic_value": 4},
                                  [Person(n(), "Director of Grid Analytics", "Engineering", "director", {"champion"}, 4,
                                          "supportive", last_touch_days=47, strategy="Bi-weekly sync."),
                                   Person(n(), "VP Finance", "Finance", "vp", {"economic_buyer"}, 4, "supportive",
                                          last_touch_days=40, strategy="Quarterly review."),
                                   Person(n(), "COO", "Operations", "c_level", {"executive_sponsor"}, 4, "supportive",
                                          last_touch_days=130, strategy="Annual planning session."),
                                   Person(n(), "Operations Analyst", "Operations", "user", {"end_user"}, 3, "neutral",
                                          last_touch_days=8)]),
        "Corvid Insurance": ({"tier": "enterprise", "industry": "financial services", "region": "EMEA", "arr": 520000,
                              "renewal_days": 45, "kraljic": "strategic", "strategic_value": 4, "growth_potential": 2},
                             [Person(n(), "VP Claims Operations", "Operations", "vp", {"champion"}, 4, "supportive",
                                     last_touch_days=14, strategy="Weekly office hours."),
                              Person(n(), "CFO", "Finance", "c_level", {"economic_buyer"}, 3, "neutral",
                                     last_touch_days=150),
                              Person(n(), "Head of Procurement", "Procurement", "director", {"decision_maker"}, 2,
                                     "resistant", last_touch_days=200),
                              Person(n(), "Claims Handler", "Operations", "user", {"end_user"}, 3, "supportive",
                                     last_touch_days=20),
                              Person(n(), "IT Security Lead", "IT", "manager", {"detractor", "influencer"}, 2,
                                     "detractor", last_touch_days=25, strategy="")]),
    }  # fmt: skip


def build(out: Path, as_of: date, seed: int = 7) -> None:
    rng = random.Random(seed)
    names = Names(rng)
    names.used.update(REVISION_2_PEOPLE)
    if out.exists():
        out.unlink()
    store = Store(out)
    # The demo's history starts empty: what the generator wrote is the starting map, not
    # changes anyone made (and the file stays byte-identical from run to run).
    store.repos.tx.recording = False
    store.set_meta("generated_on", as_of.isoformat())
    accounts: dict[str, tuple[dict, list[Person]]] = shaped(names)
    used = set(accounts) | set(revision_2())
    while len(accounts) < 40 - len(revision_2()):
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        if name in used:
            continue
        used.add(name)
        suffix = name.split()[1]
        health = rng.betavariate(3, 1.6)
        tier = rng.choices(("strategic", "enterprise", "mid_market", "smb"), (2, 4, 5, 3))[0]
        size = {"strategic": (9, 15), "enterprise": (7, 13), "mid_market": (5, 9), "smb": (4, 6)}[tier]
        arr = {
            "strategic": (600e3, 2.5e6),
            "enterprise": (180e3, 700e3),
            "mid_market": (40e3, 200e3),
            "smb": (8e3, 45e3),
        }[tier]
        meta = {
            "tier": tier, "industry": INDUSTRY_OF[suffix], "region": rng.choice(REGIONS),
            "arr": round(rng.uniform(*arr), -3), "renewal_days": rng.randint(-10, 400),
            "kraljic": rng.choice(("strategic", "leverage", "bottleneck", "non_critical", None)),
            "strategic_value": rng.randint(1, 5), "growth_potential": rng.randint(1, 5),
        }  # fmt: skip
        accounts[name] = (meta, random_people(rng, names, health, rng.randint(*size)))
    accounts.update(revision_2())
    _unrated(accounts, random.Random(seed + 14))

    departures: list[tuple[int, int, date]] = []
    with store.transaction():
        for i, (name, (meta, people)) in enumerate(sorted(accounts.items())):
            renewal = as_of + timedelta(days=meta.pop("renewal_days"))
            tier = meta["tier"]
            last_ebr = as_of - timedelta(days=rng.randint(30, 300)) if tier in ("strategic", "enterprise") else None
            account_id = store.save_account(
                Account(
                    name=name, renewal_date=renewal, csm=CSMS[i % len(CSMS)], currency="EUR",
                    last_ebr=last_ebr,
                    next_ebr=(last_ebr + timedelta(days=182 if tier == "strategic" else 365)) if last_ebr else None,
                    notes=f"{meta['industry'].capitalize()} customer in {meta['region']}.",
                    **meta,
                )
            )  # fmt: skip
            ids: dict[str, int] = {}
            for p in people:
                saved = store.save_contact(
                    Contact(
                        account_id=account_id, name=p.name, title=p.title, email=email_of(p.name, name),
                        department=p.department, level=p.level, roles=frozenset(p.roles), strength=p.strength,
                        sentiment=p.sentiment, status=p.status, key_to_success=p.key,
                        departed_on=as_of - timedelta(days=p.departed_days) if p.status == "departed" else None,
                        engagement_strategy=p.strategy, notes=p.notes,
                    ),
                    check_version=False, today=as_of,
                )  # fmt: skip
                ids[p.name] = saved.id  # type: ignore[assignment]
                if p.last_touch_days is not None:
                    # Older history first, then the last touch.
                    day = as_of - timedelta(days=p.last_touch_days)
                    for _ in range(rng.randint(0, 6)):
                        back = day - timedelta(days=rng.randint(14, 120))
                        store.add_touch(Touch(contact_id=saved.id, date=back, kind=rng.choice(KINDS), note=""))  # type: ignore[arg-type]
                    store.add_touch(Touch(contact_id=saved.id, date=day, kind=p.kind, note=_touch_note(p)))  # type: ignore[arg-type]
            for p in people:
                if p.boss:
                    c = store.contact(ids[p.name])
                    store.save_contact(c.model_copy(update={"reports_to_id": ids[p.boss]}))
            for p in people:
                if p.status == "departed" and "champion" in p.roles:
                    departures.append((account_id, ids[p.name], as_of - timedelta(days=p.departed_days or 0)))
                if p.returned_days is not None and p.departed_days is not None:
                    # Through the editor's status field: departed (the playbook), then back (cancelled).
                    left, back = as_of - timedelta(days=p.departed_days), as_of - timedelta(days=p.returned_days)
                    c = store.contact(ids[p.name])
                    c = store.save_contact(
                        c.model_copy(update={"status": Status.DEPARTED, "departed_on": left}), today=left
                    )
                    _tick(store, account_id, ids[p.name], ("Identify an interim contact",))
                    store.save_contact(c.model_copy(update={"status": Status.ACTIVE}), today=back)
        _executives(store, rng, as_of)
        _reviews(store, as_of)
        _signals(store, as_of)
        _upcoming(store, as_of)
        _plans(store, as_of)
        _people_across(store, as_of)
        for account_id, contact_id, day in departures:
            # Recorded when the store already held the departure (and knew where the champion went):
            # its playbook, partly worked through.
            store.ensure_playbook(account_id, contact_id, day)
            _tick(store, account_id, contact_id, ("checklist", "Identify an interim contact",
                                                  "Executive outreach to their leadership"))  # fmt: skip
        _influence_lines(store)
        _history(store, rng, as_of)
    store.conn.execute("PRAGMA journal_mode = DELETE")
    store.conn.execute("VACUUM")
    store.close()


def _tick(store: Store, account_id: int, contact_id: int, which: tuple[str, ...]) -> None:
    """Tick a departure's tasks whose kind or action is listed ("checklist": every item)."""
    for t in store.playbook_tasks(account_id):
        if t.contact_id == contact_id and t.status == "open" and (t.kind in which or t.action.startswith(which)):
            store.set_task_done(t.id, True)  # type: ignore[arg-type]


def _unrated(accounts: dict[str, tuple[dict, list[Person]]], rng: random.Random) -> None:
    """A real map has people nobody has rated yet: a few daily users and influencers."""
    for _name, (_meta, people) in sorted(accounts.items()):
        for p in people:
            if p.roles & {"end_user", "influencer"} and p.strength is not None and rng.random() < 0.2:
                p.strength = None


def _touch_note(p: Person) -> str:
    if "champion" in p.roles:
        return "Reviewed adoption and next steps."
    if "economic_buyer" in p.roles:
        return "Budget cycle check-in."
    return ""


EXECUTIVES = (
    ("Marta Ilves", "Chief Revenue Officer", "c_level", "sales", "financial services;software", "EMEA", 4,
     "Sales leader sponsoring a fourth strategic bank at the CEO's request."),
    ("Jonah Reed", "VP Product", "vp", "product", "software;media", "North America", 3, ""),
    ("Ayo Mensah", "VP Engineering", "vp", "engineering", "manufacturing;energy", "EMEA", 3, ""),
    ("Keiko Arai", "Chief Customer Officer", "c_level", "cs", "healthcare;retail", "APAC", 3, ""),
    ("Luis Ortega", "VP Sales EMEA", "vp", "sales", "logistics;retail", "EMEA", 3, ""),
    ("Hannah Berg", "Chief Technology Officer", "c_level", "engineering", "telecommunications;software", "EMEA", 3, ""),
    ("Ravi Menon", "VP Customer Success", "vp", "cs", "financial services;healthcare", "North America", 3, ""),
    ("Claire Dupont", "Chief Financial Officer", "c_level", "finance", "energy;consumer goods", "EMEA", 3, ""),
)  # fmt: skip


def _executives(store: Store, rng: random.Random, as_of: date) -> None:
    ids = []
    for name, title, level, function, industries, region, capacity, reason in EXECUTIVES:
        ids.append(
            store.save_executive(
                Executive(
                    name=name, title=title, level=level, function=function,
                    industries=frozenset(industries.split(";")), region=region, capacity=capacity,
                    exception_reason=reason,
                )
            )
        )  # fmt: skip
    strategic = [
        r[0]
        for r in store.conn.execute(
            "SELECT id FROM accounts WHERE tier IN ('strategic','enterprise') ORDER BY arr DESC"
        )
    ]
    # A few existing relationships between our executives and customer contacts.
    for ex_index, account, contact in (
        (5, "Northwind", "Tom Chen"),
        (0, "Corvid Insurance", None),
        (1, "Dune Media", None),
    ):
        rows = store.conn.execute(
            "SELECT c.id FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE a.name = ? "
            "AND (? IS NULL OR c.name = ?) ORDER BY c.strength DESC, c.name LIMIT 1",
            (account, contact, contact),
        ).fetchall()
        if rows:
            store.link_executive_contact(ids[ex_index], rows[0][0])
    # Ayo (index 2) gets exactly three; a few others one or two; the rest stay open for `suggest`.
    plan = {2: 3, 0: 2, 3: 1, 5: 1, 6: 1}
    cursor = 0
    for ex_index, count in plan.items():
        for _ in range(count):
            if cursor >= len(strategic):
                return
            start = as_of - timedelta(days=rng.randint(30, 500))
            store.assign(ids[ex_index], strategic[cursor], start, _at_start(store, strategic[cursor], as_of, ex_index))
            if ex_index == 2:
                _sponsor_touches(store, ids[ex_index], strategic[cursor], start)
            cursor += 1


def _at_start(store: Store, account_id: int, as_of: date, ex_index: int) -> tuple[int, str]:
    """The account's verdict on its first day of sponsorship, as the program would have kept it:
    Ayo's accounts (index 2) were riskier then (they improved), the others as they are now."""
    a = account_view(store, account_id, as_of).assessment
    return (min(100, a.score + 24), "high") if ex_index == 2 else (a.score, a.risk)


def _sponsor_touches(store: Store, executive_id: int, account_id: int, start: date) -> None:
    """Ayo keeps the duties: a touch each quarter since the start with the account's most recently
    touched contact, the last one an EBR; all before that contact's last touch, so no verdict moves."""
    contacts = [c for c in store.contacts(account_id) if c.last_touch and c.status == "active"]
    if not contacts:
        return
    contact = max(contacts, key=lambda c: (c.last_touch, c.name))
    assert contact.last_touch is not None and contact.id is not None
    days = [start + timedelta(days=91 * k + 10) for k in range(8)]
    days = [d for d in days if d < contact.last_touch]
    for i, day in enumerate(days):
        kind = "ebr" if i == len(days) - 1 else "meeting"
        store.add_touch(Touch(contact_id=contact.id, date=day, kind=kind, note="with our sponsor",
                              by_name="Ayo Mensah", by_executive_id=executive_id))  # fmt: skip


def _reviews(store: Store, as_of: date) -> None:
    """The owner's queue: a CSM's nomination waiting, an earlier one declined."""
    accounts = dict((n, i) for i, n in store.account_names())
    execs = {e.name: e for e in store.executives()}
    waiting = SponsorReview(
        account_id=accounts["Northwind"], executive_id=execs["Hannah Berg"].id, source="nomination",
        reason="CFO not engaged and no executive contact; Hannah already knows Tom Chen", proposed_by="Alex Rivera",
        proposed_on=as_of - timedelta(days=3),
    )  # fmt: skip
    store.propose_sponsor(waiting)
    declined = store.propose_sponsor(
        SponsorReview(
            account_id=accounts["Kestrel Outdoor"],
            source="nomination",
            reason="champion weak, renewal in spring",
            proposed_by="Alex Rivera",
            proposed_on=as_of - timedelta(days=40),
        )  # fmt: skip
    )
    store.decline_sponsor(declined, "not in the program's top accounts; multi-thread first", "Morgan Lee",
                          as_of - timedelta(days=35))  # fmt: skip


def _signals(store: Store, as_of: date) -> None:
    """Two signals waiting in the inbox: a champion's address bounced, a contact has a new title."""
    names = dict(store.account_names())
    people = [(n, c) for a, n in sorted(names.items(), key=lambda x: x[1]) for c in store.contacts(a)]
    champions = [
        (n, c) for n, c in people if "champion" in c.roles and c.status == "active" and c.email and n != "Northwind"
    ]
    champion = champions[0][1]
    store.raise_signals([
        Signal(kind="email_bounced", contact_id=champion.id or 0, raised_on=as_of - timedelta(days=2),
               evidence=f"mail to {champion.email} came back on {as_of - timedelta(days=2)} (550 5.1.1 User unknown; "
                        "report <sample-bounce-1@mx.ourco.example> from mailer-daemon@mx.ourco.example)",
               evidence_key=champion.email.lower()),
    ])  # fmt: skip
    manager = next(c for n, c in people if c.level == "manager" and c.status == "active" and n != "Northwind")
    store.raise_signals([
        Signal(kind="title_changed", contact_id=manager.id or 0, raised_on=as_of - timedelta(days=1),
               evidence=f"the CRM export of {as_of - timedelta(days=1)} gives {manager.name} the title Director of Operations",
               evidence_key="crm:title:Director of Operations", new_title="Director of Operations", new_level="director"),
    ])  # fmt: skip


def _upcoming(store: Store, as_of: date) -> None:
    """Meetings ahead, as a calendar import leaves them: the account screen's "next meeting"."""
    (nw,) = store.conn.execute("SELECT id FROM accounts WHERE name = 'Northwind'").fetchone()
    people = {c.name: c.id or 0 for c in store.contacts(nw)}
    qbr = as_of + timedelta(days=9)
    store.save_upcoming([
        (people[name], qbr, "Northwind Q4 business review", f"ics:sample-qbr@ourco.example@{qbr.isoformat()}")
        for name in ("Tom Chen", "Sarah Kim")
    ])  # fmt: skip


def _plans(store: Store, as_of: date) -> None:
    (nw,) = store.conn.execute("SELECT id FROM accounts WHERE name = 'Northwind'").fetchone()
    people = {c.name: c.id for c in store.contacts(nw)}
    store.save_plan_item(
        PlanItem(account_id=nw, target_contact_id=people["Sarah Kim"], target_label="Sarah Kim (CFO)",
                 path_contact_id=people["Tom Chen"], path_label="Tom Chen (champion introduction)",
                 first_action="Ask Tom to facilitate a brief ROI discussion", due_date=as_of + timedelta(days=21),
                 source="economic_buyer")
    )  # fmt: skip
    store.save_plan_item(
        PlanItem(account_id=nw, target_label="CTO (name unknown)", path_label="Through Tom or Sarah",
                 first_action="Identify name and role first, then propose an executive alignment meeting",
                 due_date=as_of + timedelta(days=75), source="executive_sponsor")
    )  # fmt: skip


def _contact_id(store: Store, account: str, name: str) -> int:
    (found,) = store.conn.execute(
        "SELECT c.id FROM contacts c JOIN accounts a ON a.id = c.account_id WHERE a.name = ? AND c.name = ?",
        (account, name),
    ).fetchone()
    return int(found)


def _add_record(store: Store, account: str, p: Person, email: str, as_of: date) -> int:
    """Another account's record of a person (DOMAIN section 13): its own roles, strength and touches."""
    (account_id,) = store.conn.execute("SELECT id FROM accounts WHERE name = ?", (account,)).fetchone()
    saved = store.save_contact(
        Contact(account_id=account_id, name=p.name, title=p.title, email=email, department=p.department,
                level=p.level, roles=frozenset(p.roles), strength=p.strength, sentiment=p.sentiment,
                key_to_success=p.key, engagement_strategy=p.strategy, notes=p.notes),
        check_version=False, today=as_of,
    )  # fmt: skip
    assert saved.id is not None and p.last_touch_days is not None
    for back in (p.last_touch_days + 63, p.last_touch_days + 29, p.last_touch_days):
        store.add_touch(Touch(contact_id=saved.id, date=as_of - timedelta(days=back), kind=p.kind, note=_touch_note(p)))
    return saved.id


def _people_across(store: Store, as_of: date) -> None:
    """DOMAIN section 13 in the demo: the parent company's CFO who signs for a subsidiary (the same
    address), a consultant advising three customers (the same address), and a champion who left
    Halvorsen Shipping 20 days ago and is now at Meridian Logistics (a new address, linked by hand)."""
    cfo = store.contact(_contact_id(store, "Delta Energy", "Sofia Ivanova"))
    _add_record(store, "Delta Logistics", Person(
        cfo.name, "CFO, Delta Energy (parent company)", "Finance", "c_level", {"economic_buyer", "decision_maker"}, 4,
        "supportive", last_touch_days=12, key=True, kind="meeting",
        strategy="Signs for the subsidiary: align the renewal with the parent's budget cycle.",
        notes="The parent's CFO; the subsidiary's spend goes through her.",
    ), cfo.email, as_of)  # fmt: skip
    consultant = "rowan.ellery@ellery-advisory.example"
    for account, roles, strength, days in (
        ("Summit Foods", {"champion"}, 4, 9),
        ("Quarry Foods", {"champion"}, 4, 16),
        ("Zephyr Pharma", {"influencer"}, 3, 40),
    ):
        _add_record(store, account, Person(
            "Rowan Ellery", "Partner, Ellery Advisory (consultant)", "Advisory", "director", roles, strength,
            "supportive", last_touch_days=days, kind="call", key="champion" in roles,
            strategy="Share the roadmap early: advises three of our customers on their tooling.",
        ), consultant, as_of)  # fmt: skip
    moved = _contact_id(store, "Halvorsen Shipping", "Dmitri Eriksen")
    now = _add_record(store, "Meridian Logistics", Person(
        "Dmitri Eriksen", "SVP Network Operations", "Operations", "vp", {"champion"}, 4, "advocate",
        last_touch_days=6, key=True, kind="meeting", strategy="Our champion at Halvorsen until he moved here.",
        notes="Joined from Halvorsen Shipping.",
    ), "dmitri.eriksen@meridian.example", as_of)  # fmt: skip
    store.link_contacts(moved, now)


def _influence_lines(store: Store) -> None:
    """DOMAIN section 14 in the demo: positive lines from engaged contacts to economic buyers (a plan
    path to them) and a negative line to one (its source counts as a detractor)."""
    lines = (
        ("Juniper Bank", "Chloe Ivanova", "Oscar Petrov", "positive", "co-owns the budget with the CFO"),
        ("Juniper Bank", "Zoe Nakamura", "Chloe Ivanova", "neutral", "weekly exec staff"),
        ("Vantage Insurance", "Sven Zimmermann", "Maya Jansen", "negative",
         "pushes a cheaper competitor in every budget review"),
        ("Vantage Insurance", "Mateo Zimmermann", "Maya Jansen", "positive", "ran the business case with her"),
        ("Zephyr Pharma", "Tara Dubois", "Hana Lopez", "positive", "brought us in; the CFO trusts her numbers"),
    )  # fmt: skip
    for account, source, target, sign, note in lines:
        (account_id,) = store.conn.execute("SELECT id FROM accounts WHERE name = ?", (account,)).fetchone()
        store.save_influence(Influence(account_id=account_id, from_id=_contact_id(store, account, source),
                                       to_id=_contact_id(store, account, target), sign=sign, note=note))  # fmt: skip


def _history(store: Store, rng: random.Random, as_of: date) -> None:
    """Weekly scores for the last 90 days, walking back from today's real score."""
    rows = []
    settings = store.settings()
    for account in store.accounts():
        contacts = store.contacts(account.id)  # type: ignore[arg-type]
        now = assess(contacts, as_of, account.renewal_date, settings)
        score = now.score
        for weeks in range(0, 13):
            day = as_of - timedelta(days=7 * weeks)
            risk = "high" if score >= 30 else "medium" if score >= 12 else "low"
            if weeks == 0:
                risk = now.risk
            rows.append((account.id, day, score, risk))
            score = max(0, min(100, score + rng.choice((0, 0, 0, 12, -12, 30, -30)) * (rng.random() < 0.35)))
    with store.transaction() as c:
        c.executemany(
            "INSERT OR REPLACE INTO score_history (account_id, day, score, risk) VALUES (?, ?, ?, ?)",
            [(a, d.isoformat(), s, r) for a, d, s, r in rows],
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="sample.db")
    parser.add_argument("--as-of", default=AS_OF.isoformat())
    args = parser.parse_args()
    build(Path(args.out), date.fromisoformat(args.as_of))
    print(f"wrote {args.out} (as of {args.as_of})")


if __name__ == "__main__":
    main()
