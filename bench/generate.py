"""A deterministic large portfolio: 10,000 accounts, 200,000 contacts,
1,000,000 touches, 200 executives, with the demo's distributions.

Written straight through SQL in one transaction (the store's triggers and
checks still run); the same rows are also written as a contacts CSV for the
import benchmark. Usage: python -m bench.generate OUT_DIR [--scale 1.0]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from scripts.names import COMPANY_KINDS, COMPANY_WORDS, FIRST, INDUSTRY_OF, LAST
from stakeworks.db.store import Store

AS_OF = date(2026, 11, 1)
REGIONS = ("EMEA", "North America", "APAC", "LATAM")
SLOTS = (
    ("c_level", "CEO", "Executive"), ("c_level", "CFO", "Finance"), ("c_level", "CTO", "Engineering"),
    ("vp", "VP Engineering", "Engineering"), ("vp", "VP Finance", "Finance"), ("vp", "VP Operations", "Operations"),
    ("director", "Director of Platform", "Engineering"), ("director", "Head of Operations", "Operations"),
    ("director", "IT Director", "IT"), ("manager", "Engineering Manager", "Engineering"),
    ("manager", "Procurement Manager", "Finance"), ("manager", "Operations Manager", "Operations"),
    ("user", "Senior Engineer", "Engineering"), ("user", "Analyst", "Operations"), ("user", "Support Specialist", "Support"),
)  # fmt: skip
TOUCH_KINDS = ("call", "email", "meeting", "qbr", "in_app", "event", "ebr")
CONTACT_CSV_HEADER = ("account", "name", "title", "email", "department", "level", "roles", "strength", "sentiment",
                      "last_touch", "last_touch_kind")  # fmt: skip


def generate(out_dir: Path, scale: float = 1.0, seed: int = 20261101) -> tuple[Path, Path]:
    rng = random.Random(seed)
    n_accounts = int(10_000 * scale)
    n_contacts = int(200_000 * scale)
    n_touches = int(1_000_000 * scale)
    out_dir.mkdir(parents=True, exist_ok=True)
    db_path, csv_path = out_dir / "large.db", out_dir / "contacts.csv"
    for p in (db_path, db_path.with_name(db_path.name + "-wal"), db_path.with_name(db_path.name + "-shm")):
        p.unlink(missing_ok=True)
    store = Store(db_path)
    c = store.conn
    accounts = []
    for i in range(n_accounts):
        tier = rng.choices(("strategic", "enterprise", "mid_market", "smb"), (1, 3, 8, 8))[0]
        kind = rng.choice(COMPANY_KINDS)
        arr = {"strategic": 1.2e6, "enterprise": 350e3, "mid_market": 90e3, "smb": 20e3}[tier] * rng.uniform(0.4, 1.8)
        accounts.append((
            i + 1, f"{rng.choice(COMPANY_WORDS)} {kind} {i + 1:05d}", round(arr, -2), "EUR",
            (AS_OF + timedelta(days=rng.randint(-20, 420))).isoformat(), tier, INDUSTRY_OF[kind], rng.choice(REGIONS),
            f"CSM {i % 60:02d}", rng.randint(1, 5), rng.randint(1, 5),
            rng.choice(("strategic", "leverage", "bottleneck", "non_critical", None)),
        ))  # fmt: skip
    # Contacts per account: 20 on average, 4 to 60, one account with exactly 200 for the editor benchmark.
    sizes = [max(4, min(60, int(rng.gauss(20, 8)))) for _ in range(n_accounts)]
    sizes[0] = 200
    total = sum(sizes)
    sizes = [max(1, round(s * n_contacts / total)) for s in sizes]
    sizes[0] = 200
    while sum(sizes) != n_contacts:  # exact totals: nudge random accounts (never the 200-contact one)
        k = rng.randrange(1, n_accounts)
        sizes[k] += 1 if sum(sizes) < n_contacts else -1 if sizes[k] > 4 else 0
    contacts: list[tuple[Any, ...]] = []
    roles: list[tuple[int, str]] = []
    touches: list[tuple[Any, ...]] = []
    csv_rows: list[tuple[Any, ...]] = []
    cid = 0
    touch_budget = n_touches / max(1, sum(sizes))
    for a, size in zip(accounts, sizes, strict=True):
        account_id, account_name = a[0], a[1]
        health = rng.betavariate(3, 1.6)
        for j in range(size):
            cid += 1
            level, title, dept = SLOTS[j % len(SLOTS)] if j < len(SLOTS) else rng.choice(SLOTS[6:])
            strength = max(1, min(5, round(rng.gauss(2.4 + health * 2.2, 0.9))))
            r = []
            if j == 3:
                r.append("champion")
            if j == 1:
                r.append("economic_buyer")
            if j == 0 and rng.random() < 0.6:
                r.append("executive_sponsor")
            if j == 2 and rng.random() < 0.4:
                r.append("decision_maker")
            if level == "manager" and dept in ("Engineering", "IT") and not r:
                r.append("technical_lead")
            if level == "user":
                r.append("end_user_champion" if strength >= 4 else "end_user")
            status = "not_engaged" if rng.random() < 0.05 else "departed" if rng.random() < 0.02 else "active"
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            email = f"{name.lower().replace(' ', '.')}.{cid}@{account_name.split()[0].lower()}.example"
            sentiment = ("advocate", "supportive", "neutral", "neutral", "resistant")[5 - strength]
            n_t = 1 + int(rng.expovariate(1 / max(touch_budget - 1, 0.1)))
            fresh = rng.random() < health
            last = AS_OF - timedelta(days=rng.randint(1, 28) if fresh else rng.randint(30, 400))
            days = sorted([last - timedelta(days=rng.randint(1, 365)) for _ in range(n_t - 1)] + [last])
            kind = rng.choice(TOUCH_KINDS)
            for d in days:
                touches.append((cid, d.isoformat(), kind if d == last else rng.choice(TOUCH_KINDS), ""))
            last_iso = days[-1].isoformat() if days else None
            contacts.append((cid, account_id, name, title, email, dept, level, strength, sentiment, status,
                             (AS_OF - timedelta(days=10)).isoformat() if status == "departed" else None,
                             last_iso, kind if days else None, "" if "detractor" not in r else ""))  # fmt: skip
            roles.extend((cid, role) for role in r)
            csv_rows.append((account_name, name, title, email, dept, level, ";".join(r), strength, sentiment,
                             last_iso or "", kind if days else ""))  # fmt: skip
    # Exactly n_touches: trim or top up with older touches on random contacts.
    del touches[n_touches:]
    while len(touches) < n_touches:
        who = rng.randint(1, cid)
        touches.append((who, (AS_OF - timedelta(days=rng.randint(400, 700))).isoformat(), rng.choice(TOUCH_KINDS), ""))
    with store.transaction():
        c.executemany(
            "INSERT INTO accounts (id, name, arr, currency, renewal_date, tier, industry, region, csm, "
            "strategic_value, growth_potential, kraljic) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            accounts,
        )
        # last_touch is written with the contact so the touch trigger fires once per contact, not per touch.
        c.executemany(
            "INSERT INTO contacts (id, account_id, name, title, email, department, level, strength, sentiment, "
            "status, departed_on, last_touch, last_touch_kind, engagement_strategy) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            contacts,
        )
        c.executemany("INSERT INTO contact_roles (contact_id, role) VALUES (?, ?)", roles)
        c.executemany("INSERT INTO touches (contact_id, date, kind, note) VALUES (?, ?, ?, ?)", touches)
        execs = []
        for i in range(int(200 * max(scale, 0.05))):
            execs.append((i + 1, f"Executive {i + 1:03d} {rng.choice(LAST)}", rng.choice(("vp", "c_level")),
                          rng.choice(("sales", "product", "engineering", "cs", "finance")),
                          ";".join(rng.sample(sorted(set(INDUSTRY_OF.values())), 2)), rng.choice(REGIONS)))  # fmt: skip
        c.executemany(
            "INSERT INTO executives (id, name, level, function, industries, region) VALUES (?,?,?,?,?,?)", execs
        )
        strategic = [a[0] for a in accounts if a[5] in ("strategic", "enterprise")]
        rng.shuffle(strategic)
        assignments = []
        for ex in execs[: len(execs) // 2]:
            for _ in range(rng.randint(1, 3)):
                if strategic:
                    assignments.append((ex[0], strategic.pop(), "2026-01-15"))
        c.executemany(
            "INSERT INTO sponsor_assignments (executive_id, account_id, start_date) VALUES (?,?,?)", assignments
        )
        c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('generated_on', ?)", (AS_OF.isoformat(),))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CONTACT_CSV_HEADER)
        w.writerows(csv_rows)
    return db_path, csv_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="bench/data")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    db, csv_file = generate(Path(args.out), args.scale)
    print(f"wrote {db} and {csv_file}", file=sys.stderr)


if __name__ == "__main__":
    main()
