"""The sponsor program's owner (issue 22, CLI.md "The sponsor program's owner"): touches by our
executives, nominations, the review queue, approvals under the three-account limit (several
processes at once included), declines, the optimiser's pairs through the queue, and the
program's measurement on a hand-computed example."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from stakeworks.domain.program_report import (
    ExecutiveTouch,
    Sponsorship,
    measure,
    program_report,
    renewals_between,
)
from tests.conftest import BOTH_BACKENDS, ROOT, TODAY, Cli, Result, acting, stored

pytestmark = BOTH_BACKENDS

EXECS = """name,title,level,function,industries,region
Ada Stone,Chief Customer Officer,c_level,cs,software,EMEA
Ben Ford,VP Sales,vp,sales,retail,EMEA
"""
MORE_ACCOUNTS = "\n".join(f"Acme {i},{100000 + i},EUR,2027-03-31,strategic,software,EMEA,Alex" for i in range(6))


def program(northwind: Cli, tmp_path: Path) -> Cli:
    """Northwind's store with six more strategic accounts and two of our executives."""
    accounts = tmp_path / "more.csv"
    accounts.write_text("name,arr,currency,renewal_date,tier,industry,region,csm\n" + MORE_ACCOUNTS + "\n")
    execs = tmp_path / "execs.csv"
    execs.write_text(EXECS)
    assert northwind("import", "accounts", str(accounts)).code == 0
    assert northwind("import", "executives", str(execs)).code == 0
    return northwind


def at(cli: Cli, *args: str) -> Result:
    return cli("--today", TODAY.isoformat(), *args)


def js(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


# -- who from our side -----------------------------------------------------------------


def test_a_touch_names_our_executive_or_a_csm(northwind: Cli, tmp_path: Path):
    cli = program(northwind, tmp_path)
    by_exec = js(
        at(
            cli,
            "touch",
            "Northwind",
            "Sarah Kim",
            "--kind",
            "ebr",
            "--date",
            "2026-10-01",
            "--by",
            "ada stone",
            "--json",
        )
    )
    by_csm = js(
        at(
            cli,
            "touch",
            "Northwind",
            "Tom Chen",
            "--kind",
            "call",
            "--date",
            "2026-10-02",
            "--by",
            "Alex Rivera",
            "--json",
        )
    )
    assert by_exec == {"account": "Northwind", "contact": "Sarah Kim", "date": "2026-10-01", "kind": "ebr",
                       "by": "Ada Stone", "by_executive": True, "contacts": ["Sarah Kim"], "touches": 1}  # fmt: skip
    assert by_csm["by"] == "Alex Rivera" and by_csm["by_executive"] is False
    rows = stored(
        cli.db, "SELECT by_name, by_executive_id IS NOT NULL FROM touches WHERE date >= '2026-10-01' ORDER BY date"
    )
    assert rows == [("Ada Stone", 1), ("Alex Rivera", 0)]


def test_an_executives_touch_is_an_existing_relationship_in_the_fit(northwind: Cli, tmp_path: Path):
    cli = program(northwind, tmp_path)
    assert js(at(cli, "sponsors", "nominate", "Northwind", "Ben Ford", "--reason", "CFO not engaged", "--json"))
    before = js(at(cli, "sponsors", "review", "--json"))[0]
    assert before["components"]["relationship"]["points"] == 0
    assert (
        at(cli, "touch", "Northwind", "Sarah Kim", "--kind", "meeting", "--date", "2026-10-01", "--by", "Ben Ford").code
        == 0
    )
    after = js(at(cli, "sponsors", "review", "--json"))[0]
    assert after["components"]["relationship"]["points"] > 0
    assert "Sarah Kim" in after["components"]["relationship"]["why"]
    assert after["fit"] == before["fit"] + after["components"]["relationship"]["points"]


# -- nominations and the queue -------------------------------------------------------


def test_a_nomination_waits_for_the_owner_and_assigns_nothing(northwind: Cli, tmp_path: Path, backend: str):
    cli = program(northwind, tmp_path)
    made = js(
        at(cli, "--user", "Alex Rivera", "sponsors", "nominate", "Northwind", "--reason", "renewal at risk", "--json")
    )
    assert (
        made["status"] == "pending"
        and made["proposed_by"] == acting(backend, "Alex Rivera")
        and made["executive"] is None
    )
    assert stored(cli.db, "SELECT count(*) FROM sponsor_assignments") == [(0,)]
    (entry,) = js(at(cli, "sponsors", "review", "--json"))
    assert (entry["account"], entry["reason"], entry["source"], entry["executive"]) == (
        "Northwind", "renewal at risk", "nomination", None)  # fmt: skip
    assert [o["executive"] for o in entry["options"]]  # the best fits with room are offered
    # the same account twice, or a nomination without a reason, is refused
    again = at(cli, "sponsors", "nominate", "Northwind", "--reason", "again")
    assert again.code == 1 and "already waiting" in again.err
    blank = at(cli, "sponsors", "nominate", "Acme 1", "--reason", "  ")
    assert blank.code == 2 and "--reason" in blank.err


def test_approve_makes_the_assignment_and_records_who_when_and_the_start(northwind: Cli, tmp_path: Path, backend: str):
    cli = program(northwind, tmp_path)
    js(at(cli, "sponsors", "nominate", "Northwind", "--reason", "renewal at risk", "--json"))
    no_exec = at(cli, "sponsors", "approve", "1")
    assert no_exec.code == 2 and "names no executive" in no_exec.err
    done = js(at(cli, "--user", "Morgan Lee", "sponsors", "approve", "1", "Ada Stone", "--json"))
    assert done == {
        "id": 1,
        "status": "approved",
        "executive": "Ada Stone",
        "account": "Northwind",
        "decided_by": acting(backend, "Morgan Lee"),
    }
    score = js(at(cli, "assess", "Northwind", "--json"))
    assignment = stored(cli.db, "SELECT start_date, score_at_start, risk_at_start, id FROM sponsor_assignments")
    assert assignment[0][:3] == (TODAY.isoformat(), score["score"], score["risk"])
    review = stored(cli.db, "SELECT status, decided_by, decided_on, executive_id, assignment_id FROM sponsor_reviews")
    assert review == [("approved", acting(backend, "Morgan Lee"), TODAY.isoformat(), 1, assignment[0][3])]
    twice = at(cli, "sponsors", "approve", "1", "Ada Stone")
    assert twice.code == 1 and "already approved" in twice.err
    assert js(at(cli, "sponsors", "review", "--json")) == []


def test_approval_over_the_limit_is_refused_and_writes_nothing(northwind: Cli, tmp_path: Path):
    cli = program(northwind, tmp_path)
    for i in range(3):
        assert at(cli, "sponsors", "assign", "Ada Stone", f"Acme {i}").code == 0
    js(at(cli, "sponsors", "nominate", "Northwind", "Ada Stone", "--reason", "wants Ada", "--json"))
    (entry,) = js(at(cli, "sponsors", "review", "--json"))
    assert (entry["load_after"], entry["capacity"], entry["over_limit"]) == (4, 3, True)
    refused = at(cli, "sponsors", "approve", "1")
    assert refused.code == 1 and "limit is 3" in refused.err and "Acme 0" in refused.err
    assert stored(cli.db, "SELECT count(*) FROM sponsor_assignments WHERE active = 1") == [(3,)]
    assert stored(cli.db, "SELECT status FROM sponsor_reviews") == [("pending",)]


def test_decline_needs_a_reason_and_keeps_it(northwind: Cli, tmp_path: Path, backend: str):
    cli = program(northwind, tmp_path)
    js(at(cli, "sponsors", "nominate", "Northwind", "--reason", "renewal at risk", "--json"))
    assert at(cli, "sponsors", "decline", "1", "--reason", " ").code == 2
    assert at(cli, "sponsors", "decline", "7", "--reason", "no").code == 2
    done = js(at(cli, "--user", "Morgan Lee", "sponsors", "decline", "1", "--reason", "multi-thread first", "--json"))
    assert done["status"] == "declined"
    assert stored(cli.db, "SELECT status, decided_by, decision_reason FROM sponsor_reviews") == [
        ("declined", acting(backend, "Morgan Lee"), "multi-thread first")
    ]
    assert at(cli, "sponsors", "decline", "1", "--reason", "again").code == 1
    assert at(cli, "sponsors", "approve", "1", "Ada Stone").code == 1


def test_the_optimisers_pairs_go_to_the_queue_unless_the_owner_approves_them(northwind: Cli, tmp_path: Path):
    cli = program(northwind, tmp_path)
    pairs = {(p["executive"], p["account"]) for p in js(at(cli, "sponsors", "suggest", "--json"))["pairs"]}
    assert pairs
    queued = js(at(cli, "sponsors", "suggest", "--apply", "--json"))
    assert queued["count"] == len(pairs) and queued["action"] == "queued"
    assert stored(cli.db, "SELECT count(*) FROM sponsor_assignments") == [(0,)]
    waiting = js(at(cli, "sponsors", "review", "--json"))
    assert {(e["executive"], e["account"]) for e in waiting} == pairs
    assert {e["source"] for e in waiting} == {"suggestion"}
    assert js(at(cli, "sponsors", "suggest", "--apply", "--json"))["count"] == 0  # nothing proposed twice
    approved = js(at(cli, "sponsors", "suggest", "--approve", "--json"))
    assert approved["count"] == len(pairs)
    held = stored(cli.db, "SELECT e.name, a.name FROM sponsor_assignments s JOIN executives e ON e.id = s.executive_id "
                  "JOIN accounts a ON a.id = s.account_id WHERE s.active = 1")  # fmt: skip
    assert set(held) == pairs
    assert js(at(cli, "sponsors", "review", "--json")) == []  # the queued entries were the ones approved


RACE = """
import sys
from stakeworks.cli.main import main
sys.exit(main(["--db", sys.argv[1], "--today", sys.argv[2], "sponsors", "approve", sys.argv[3], "Ada Stone"]))
"""


def test_five_concurrent_approvals_for_an_executive_with_one_place_left(northwind: Cli, tmp_path: Path):
    """Five processes approve five entries for the same executive (holding 2 of 3) at once:
    exactly one succeeds, four are refused with exit 1, the store holds 3."""
    cli = program(northwind, tmp_path)
    for i in range(2):
        assert at(cli, "sponsors", "assign", "Ada Stone", f"Acme {i}").code == 0
    for i in range(2, 6):
        js(at(cli, "sponsors", "nominate", f"Acme {i}", "--reason", "race", "--json"))
    js(at(cli, "sponsors", "nominate", "Northwind", "--reason", "race", "--json"))
    procs = [
        subprocess.Popen([sys.executable, "-c", RACE, str(cli.db), TODAY.isoformat(), str(n)], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(1, 6)
    ]  # fmt: skip
    codes = sorted(p.wait(timeout=120) for p in procs)
    errors = [p.stderr.read() for p in procs if p.returncode]  # type: ignore[union-attr]
    assert codes == [0, 1, 1, 1, 1], errors
    assert all("limit is 3" in e for e in errors) and not any("Traceback" in e for e in errors)
    assert stored(cli.db, "SELECT count(*) FROM sponsor_assignments WHERE active = 1") == [(3,)]
    assert stored(cli.db, "SELECT status, count(*) FROM sponsor_reviews GROUP BY status") == [
        ("approved", 1),
        ("pending", 4),
    ]


RACE_ASSIGN = """
import sys
from stakeworks.cli.main import main
sys.exit(main(["--db", sys.argv[1], "--today", sys.argv[2], "sponsors", "assign", "Ada Stone", sys.argv[3]]))
"""


def test_five_writers_assign_one_executive_to_five_accounts_at_once(northwind: Cli, tmp_path: Path):
    """Issue 17's race, straight at the store: five processes assign the executive (holding 2
    of 3) to five accounts at once; one wins, four exit 1, the store holds 3 (a file, and a
    server where a plain count under READ COMMITTED would let several through)."""
    cli = program(northwind, tmp_path)
    for i in range(2):
        assert at(cli, "sponsors", "assign", "Ada Stone", f"Acme {i}").code == 0
    procs = [
        subprocess.Popen([sys.executable, "-c", RACE_ASSIGN, str(cli.db), TODAY.isoformat(), name], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("Acme 2", "Acme 3", "Acme 4", "Acme 5", "Northwind")
    ]  # fmt: skip
    codes = sorted(p.wait(timeout=120) for p in procs)
    errors = [p.stderr.read() for p in procs if p.returncode]  # type: ignore[union-attr]
    assert codes == [0, 1, 1, 1, 1], errors
    assert not any("Traceback" in e for e in errors)
    assert stored(cli.db, "SELECT count(*) FROM sponsor_assignments WHERE active = 1") == [(3,)]


# -- measurement ---------------------------------------------------------------------------

START = date(2026, 1, 1)


def touch(day: int, kind: str = "meeting", executive: int = 1, account: int = 10) -> ExecutiveTouch:
    return ExecutiveTouch(executive, account, START + timedelta(days=day), kind, "Sarah Kim")


def test_duties_by_hand():
    """Strategic, 200 days in: one EBR due (182-day period), two quarters due (91 days).
    The sponsor touched on day 10 (quarter 0) and held an EBR on day 100 (quarter 1);
    a CSM's touch is not the sponsor's, nor one at another account, nor one before the start."""
    s = Sponsorship(1, "Ada Stone", 10, "Northwind", "strategic", START, 70, "high", 40, "medium", date(2026, 9, 30))
    touches = [touch(10), touch(100, "ebr"), touch(150, executive=2), touch(120, account=11), touch(-5, "ebr")]
    m = measure(s, touches, START + timedelta(days=200))
    assert (m.ebr_due, m.ebr_held, m.checkins_due, m.checkins_done) == (1, 1, 2, 2)
    assert m.last_touch_by_sponsor == START + timedelta(days=100)
    assert m.score_change == -30 and m.overdue == []
    late = measure(s, [touch(10)], START + timedelta(days=300))  # three quarters due, one EBR due
    assert (late.ebr_due, late.ebr_held, late.checkins_due, late.checkins_done) == (1, 0, 3, 1)
    assert late.overdue == ["EBR: 0 held of 1 due", "check-ins: 1 of 3 quarters"]
    enterprise = measure(
        Sponsorship(1, "Ada", 10, "N", "enterprise", START, None, None, 10, "low"), [], START + timedelta(days=364)
    )
    assert enterprise.ebr_due == 0 and enterprise.score_change is None
    other = measure(
        Sponsorship(1, "Ada", 10, "N", "mid_market", START, 5, "low", 10, "low"), [], START + timedelta(days=400)
    )
    assert other.ebr_due is None and other.overdue == ["check-ins: 0 of 4 quarters"]


def test_renewals_since_the_start_on_annual_terms():
    assert renewals_between(date(2026, 9, 30), date(2025, 1, 1), date(2026, 11, 1)) == 2  # 2025-09-30, 2026-09-30
    assert renewals_between(date(2027, 3, 31), date(2026, 4, 1), date(2026, 11, 1)) == 0
    assert renewals_between(None, START, date(2026, 11, 1)) == 0
    assert renewals_between(date(2028, 2, 29), date(2026, 1, 1), date(2027, 3, 1)) == 2  # 2026-02-28, 2027-02-28


def test_program_report_orders_overdue_executives_first_and_totals_by_hand():
    today = START + timedelta(days=200)
    a = Sponsorship(1, "Zoe Able", 10, "Northwind", "strategic", START, 70, "high", 40, "medium")
    b = Sponsorship(2, "Ada Stone", 11, "Acme", "enterprise", START, 20, "low", 35, "medium")
    report = program_report(
        [a, b], [touch(10), touch(100, "ebr")], today, {1: "Zoe Able", 2: "Ada Stone", 3: "Cy Free"}
    )
    assert [e.executive for e in report.executives] == ["Ada Stone", "Cy Free", "Zoe Able"]
    assert report.executives[0].overdue and not report.executives[2].overdue
    assert report.totals == {
        "executives": 3, "executives_overdue": 1, "accounts": 2, "improved": 1, "worsened": 1, "unchanged": 0,
        "no_start_score": 0, "high_risk_now": 0, "ebr_due": 1, "ebr_held": 1, "checkins_due": 4, "checkins_done": 2,
        "renewals_since_start": 0,
    }  # fmt: skip


def test_report_command_json_markdown_and_csv(northwind: Cli, tmp_path: Path):
    cli = program(northwind, tmp_path)
    assert cli("--today", "2026-01-01", "sponsors", "assign", "Ada Stone", "Acme 0").code == 0
    assert (
        at(cli, "touch", "Northwind", "Sarah Kim", "--kind", "ebr", "--date", "2026-10-01", "--by", "Ada Stone").code
        == 0
    )
    data = js(at(cli, "sponsors", "report", "--json"))
    ada = next(e for e in data["executives"] if e["executive"] == "Ada Stone")
    (acme,) = ada["accounts"]
    assert set(acme) >= {"account", "since", "score_at_start", "score_now", "risk_now", "ebr_due", "ebr_held",
                         "checkins_due", "checkins_done", "last_touch_by_sponsor"}  # fmt: skip
    assert (acme["account"], acme["since"], acme["ebr_due"], acme["checkins_due"]) == ("Acme 0", "2026-01-01", 1, 3)
    assert acme["ebr_held"] == 0 and acme["last_touch_by_sponsor"] is None  # the EBR was at Northwind
    assert data["totals"]["accounts"] == 1 and ada["overdue"] is True
    md = at(cli, "sponsors", "report", "--export", "md")
    assert md.code == 0 and "## Ada Stone (duties overdue)" in md.out and "| Acme 0 | 2026-01-01 |" in md.out
    target = tmp_path / "program.csv"
    assert at(cli, "sponsors", "report", "--export", "csv", "-o", str(target)).code == 0
    lines = target.read_text().splitlines()
    assert lines[0].startswith("executive,account,since,score_at_start,score_now")
    assert lines[1].startswith("Ada Stone,Acme 0,2026-01-01,")
    both = at(cli, "sponsors", "report", "--export", "csv", "--json")
    assert both.code == 2 and "choose one" in both.err
