"""DOMAIN sections 11 and 12 row by row, at their boundaries: people seen (2 distinct days, 180
days, role addresses, our domains, a domain shared by two accounts), strength suggestions
(twice the threshold, the untimed window, 2 meetings, 3 days of messages from them, 5 messages
to them and none from them), who of us knows whom, our bus factor and handover."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest

from stakeworks.domain.evidence import (
    Activity,
    AddressBook,
    SeenCounts,
    account_domains,
    parse_suggestion_id,
    people_seen,
    suggestion_id,
    suggestions_for,
)
from stakeworks.domain.our_side import OurPeople, OurSide, TouchBy, handover, people_on
from stakeworks.domain.rows import ContactRow
from stakeworks.domain.settings import Settings

TODAY = date(2026, 11, 1)
SETTINGS = Settings(our_domains=("ourco.example",))


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def person(level: str = "manager", strength: int | None = 3, last: int | None = 0, roles: frozenset[str] = frozenset(),
           status: str = "active") -> ContactRow:  # fmt: skip
    return ContactRow(1, 1, "P", "", level, strength, "neutral", status, None, None if last is None else ago(last),
                      "", roles)  # fmt: skip


def kinds(c: ContactRow, a: Activity = Activity(), settings: Settings = SETTINGS) -> list[tuple[str, int]]:
    return [(s.kind, s.suggested) for s in suggestions_for(c, a, TODAY, settings, 1)]


# -- decaying -------------------------------------------------------------------------------


def test_decaying_after_twice_the_threshold():
    assert kinds(person("manager", 3, 60)) == []  # threshold 30: 60 days is twice, not more
    assert kinds(person("manager", 3, 61)) == [("decaying", 2)]
    assert kinds(person("manager", 5, 61)) == [("decaying", 4)]
    assert kinds(person("vp", 4, 364, frozenset({"champion"}))) == [("decaying", 3)]  # champion's 30 is smaller
    assert kinds(person("manager", 2, 200)) == []  # only rated >= 3
    assert kinds(person("manager", None, 200)) == []


def test_decaying_without_threshold_uses_the_untimed_window_and_never_touched_decays():
    assert kinds(person("user", 3, 365)) == []
    assert kinds(person("user", 3, 366)) == [("decaying", 2)]
    assert kinds(person("user", 3, None)) == [("decaying", 2)]
    assert kinds(person("user", 3, 200), settings=Settings(untimed_engagement_window_days=180)) == [("decaying", 2)]


def test_departed_contacts_get_no_suggestion():
    assert kinds(person("manager", 3, 400, status="departed")) == []


# -- warming ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strength", "activity", "expected"),
    [
        (None, Activity(meetings=2), [("warming", 3)]),
        (None, Activity(meetings=1), []),
        (None, Activity(from_them=5, from_them_days=3), [("warming", 3)]),
        (None, Activity(from_them=5, from_them_days=2), []),  # 5 messages on 2 days: not 3 distinct days
        (2, Activity(meetings=2), [("warming", 3)]),
        (1, Activity(meetings=3), [("warming", 2)]),
        (3, Activity(meetings=9, from_them=9, from_them_days=9), []),  # rated 3: nothing to warm
    ],
)
def test_warming(strength: int | None, activity: Activity, expected: list[tuple[str, int]]):
    assert kinds(person("c_level", strength, 1), activity) == expected


# -- one way -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strength", "activity", "expected"),
    [
        (3, Activity(to_them=5), [("one_way", 2)]),
        (5, Activity(to_them=12), [("one_way", 2)]),
        (3, Activity(to_them=4), []),
        (3, Activity(to_them=5, from_them=1, from_them_days=1), []),
        (2, Activity(to_them=5), []),
        (None, Activity(to_them=5), []),
    ],
)
def test_one_way(strength: int | None, activity: Activity, expected: list[tuple[str, int]]):
    assert kinds(person("c_level", strength, 1), activity) == expected


def test_decaying_and_one_way_can_stand_together_each_with_its_own_id():
    found = suggestions_for(person("manager", 4, 70), Activity(to_them=5), TODAY, SETTINGS, 42)
    assert [(s.kind, s.suggested) for s in found] == [("decaying", 3), ("one_way", 2)]
    assert [parse_suggestion_id(s.id) for s in found] == [(42, "decaying"), (42, "one_way")]
    assert parse_suggestion_id(420) is None and suggestion_id(7, "warming") == 72


# -- people seen -------------------------------------------------------------------------------


def seen_counts(address: str, days: list[int], **kw: int) -> SeenCounts:
    c = SeenCounts(address, Counter({"": len(days)}), {ago(d) for d in days})
    c.from_them = kw.get("from_them", len(days))
    return c


BOOK = AddressBook(
    SETTINGS,
    frozenset({"tom@northwind.example"}),
    account_domains([(1, "tom@northwind.example"), (2, "https://www.Contoso.example/about"),
                     (3, "kai@contoso.example"), (4, "me@gmail.com")]),
)  # fmt: skip


def test_people_seen_need_two_distinct_days_at_an_accounts_domain():
    found = people_seen(
        [seen_counts("ned@northwind.example", [3, 3]), seen_counts("bob@northwind.example", [3, 4]),
         seen_counts("tom@northwind.example", [1, 2]), seen_counts("x@elsewhere.example", [1, 2]),
         seen_counts("me2@gmail.com", [1, 2])],
        BOOK, [], TODAY,
    )  # fmt: skip
    assert [s.address for s in found] == ["bob@northwind.example"]  # a public mail domain is no account's


def test_role_addresses_our_domains_and_dismissed_are_never_people():
    counts = [seen_counts(a, [1, 2]) for a in ("noreply@northwind.example", "Support@northwind.example".lower(),
                                                "ann@ourco.example", "gone@northwind.example")]  # fmt: skip
    assert people_seen(counts, BOOK, ["gone@northwind.example"], TODAY) == []
    # the role addresses are a setting; an address at our domain is ours, never an account's
    custom = AddressBook(Settings(role_addresses=("ops",), our_domains=("ourco.example",)), BOOK.contacts,
                         {**BOOK.domains, "ourco.example": [9]})  # fmt: skip
    assert [s.address for s in people_seen(counts, custom, [], TODAY)] == [
        "gone@northwind.example", "noreply@northwind.example", "support@northwind.example"]  # fmt: skip


def test_a_domain_shared_by_two_accounts_belongs_to_each():
    (s,) = people_seen([seen_counts("eve@contoso.example", [1, 2])], BOOK, [], TODAY)
    assert s.account_ids == [2, 3] and s.account_id is None


def test_people_seen_ordered_by_days_in_the_last_180_then_last_seen():
    found = people_seen(
        [seen_counts("old@northwind.example", [181, 200, 300, 400]),  # 4 days, none in the window
         seen_counts("edge@northwind.example", [180, 190]),  # 180 days ago is inside
         seen_counts("new@northwind.example", [1, 2]),
         seen_counts("fresh@northwind.example", [0, 5])],
        BOOK, [], TODAY,
    )  # fmt: skip
    assert [(s.address, s.recent_days) for s in found] == [
        ("fresh@northwind.example", 2), ("new@northwind.example", 2), ("edge@northwind.example", 1),
        ("old@northwind.example", 0),
    ]  # fmt: skip


# -- our side -----------------------------------------------------------------------------------


def touch(contact: int, days: int, by: str, account: int = 1, csm: str = "Alex Rivera") -> TouchBy:
    return TouchBy(account, contact, ago(days), by, csm)


PEOPLE = OurPeople({"alex@ourco.example": "Alex Rivera", "bea@ourco.example": "Bea Stone"})


def test_a_blank_by_is_the_accounts_csm_and_a_name_is_the_address_that_carries_it():
    assert people_on("", "Alex Rivera") == ["Alex Rivera"] and people_on("", "") == []
    assert people_on("a@ourco.example; b@ourco.example", "X") == ["a@ourco.example", "b@ourco.example"]
    side = OurSide([touch(1, 5, ""), touch(1, 3, "alex@ourco.example"), touch(1, 1, "ALEX  rivera"),
                    touch(1, 2, "bea@ourco.example; Chris Doe")], PEOPLE)  # fmt: skip
    assert [(k.who, k.touches, k.last) for k in side.who_knows(1)] == [
        ("Alex Rivera", 3, ago(1)), ("Bea Stone", 1, ago(2)), ("Chris Doe", 1, ago(2))
    ]  # fmt: skip


def test_our_bus_factor_counts_people_of_ours_on_engaged_contacts():
    side = OurSide([touch(1, 5, "alex@ourco.example"), touch(2, 5, "bea@ourco.example"),
                    touch(3, 5, "Chris Doe")], PEOPLE)  # fmt: skip
    assert side.bus_factor([1, 2]) == 2
    assert side.bus_factor([1]) == 1
    assert side.bus_factor([]) == 0


def test_handover_marks_accounts_nobody_else_of_ours_knows_as_orphaned():
    side = OurSide([
        touch(1, 5, "alex@ourco.example", account=1), touch(2, 5, "bea@ourco.example", account=1),
        touch(3, 5, "alex@ourco.example", account=2),
        touch(4, 5, "bea@ourco.example", account=3),
    ], PEOPLE)  # fmt: skip
    held = {h.account_id: h for h in handover(side, "alex@ourco.example", {1: [1, 2], 2: [3], 3: [4]})}
    assert set(held) == {1, 2}
    assert not held[1].orphaned and held[2].orphaned
    assert [(c.contact_id, c.others) for c in held[1].contacts] == [(1, [])]
    # a contact that is not engaged does not count for knowing the account
    assert handover(side, "alex@ourco.example", {1: [2]}) == []
