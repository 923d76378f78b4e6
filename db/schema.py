"""The schema as an ordered list of migrations; `PRAGMA user_version` is the index.

Never edit a migration that has shipped: append a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from stakeworks.db import history

_DATE = "({col} IS NULL OR date({col}, '+0 days') IS {col})"


def _date(col: str) -> str:
    return _DATE.format(col=col)


LEVELS = "('c_level','vp','director','manager','user')"
ROLES = (
    "('champion','economic_buyer','decision_maker','executive_sponsor','technical_lead',"
    "'end_user_champion','influencer','detractor','end_user')"
)

V1 = f"""
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    arr REAL NOT NULL DEFAULT 0 CHECK (arr >= 0),
    currency TEXT NOT NULL DEFAULT 'EUR' CHECK (length(currency) = 3),
    renewal_date TEXT CHECK {_date("renewal_date")},
    tier TEXT NOT NULL DEFAULT 'mid_market'
        CHECK (tier IN ('strategic','enterprise','mid_market','smb')),
    industry TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    csm TEXT NOT NULL DEFAULT '',
    strategic_value INTEGER NOT NULL DEFAULT 3 CHECK (strategic_value BETWEEN 1 AND 5),
    growth_potential INTEGER NOT NULL DEFAULT 3 CHECK (growth_potential BETWEEN 1 AND 5),
    kraljic TEXT CHECK (kraljic IS NULL OR kraljic IN
        ('strategic','leverage','bottleneck','non_critical')),
    last_ebr TEXT CHECK {_date("last_ebr")},
    next_ebr TEXT CHECK {_date("next_ebr")},
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX accounts_name_nocase ON accounts (name COLLATE NOCASE);
CREATE INDEX accounts_renewal ON accounts (renewal_date);
CREATE INDEX accounts_csm ON accounts (csm);

CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    title TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    department TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL DEFAULT 'user' CHECK (level IN {LEVELS}),
    level_inferred INTEGER NOT NULL DEFAULT 0 CHECK (level_inferred IN (0, 1)),
    strength INTEGER NOT NULL DEFAULT 3 CHECK (strength BETWEEN 1 AND 5),
    sentiment TEXT NOT NULL DEFAULT 'neutral'
        CHECK (sentiment IN ('advocate','supportive','neutral','resistant','detractor')),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','not_engaged','departed')),
    departed_on TEXT CHECK {_date("departed_on")},
    key_to_success INTEGER NOT NULL DEFAULT 0 CHECK (key_to_success IN (0, 1)),
    reports_to_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL
        CHECK (reports_to_id IS NULL OR reports_to_id <> id),
    engagement_strategy TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    -- Derived from touches by the triggers below; kept here so a portfolio
    -- read is one scan instead of a GROUP BY over a million touches.
    last_touch TEXT CHECK {_date("last_touch")},
    last_touch_kind TEXT,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_account ON contacts (account_id);
CREATE INDEX contacts_email ON contacts (email) WHERE email <> '';
CREATE INDEX contacts_reports_to ON contacts (reports_to_id);

CREATE TRIGGER contacts_reports_to_same_account
BEFORE UPDATE OF reports_to_id ON contacts
WHEN NEW.reports_to_id IS NOT NULL
 AND (SELECT account_id FROM contacts WHERE id = NEW.reports_to_id) IS NOT NEW.account_id
BEGIN SELECT RAISE(ABORT, 'reports-to must be a contact of the same account'); END;

CREATE TRIGGER contacts_reports_to_same_account_insert
BEFORE INSERT ON contacts
WHEN NEW.reports_to_id IS NOT NULL
 AND (SELECT account_id FROM contacts WHERE id = NEW.reports_to_id) IS NOT NEW.account_id
BEGIN SELECT RAISE(ABORT, 'reports-to must be a contact of the same account'); END;

CREATE TRIGGER contacts_reports_to_no_cycle
BEFORE UPDATE OF reports_to_id ON contacts
WHEN NEW.reports_to_id IS NOT NULL AND EXISTS (
    WITH RECURSIVE chain(id) AS (
        SELECT NEW.reports_to_id
        UNION
        SELECT c.reports_to_id FROM contacts c JOIN chain ON c.id = chain.id
        WHERE c.reports_to_id IS NOT NULL
    ) SELECT 1 FROM chain WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'reports-to would form a cycle'); END;

CREATE TABLE contact_roles (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN {ROLES}),
    PRIMARY KEY (contact_id, role)
) WITHOUT ROWID;

CREATE TABLE touches (
    id INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    date TEXT NOT NULL CHECK (date(date, '+0 days') IS date),
    kind TEXT NOT NULL
        CHECK (kind IN ('call','email','meeting','qbr','ebr','event','in_app')),
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX touches_contact_date ON touches (contact_id, date);

CREATE TRIGGER touches_last_touch_insert AFTER INSERT ON touches
WHEN NEW.date >= coalesce((SELECT last_touch FROM contacts WHERE id = NEW.contact_id), '')
BEGIN
    UPDATE contacts SET last_touch = NEW.date, last_touch_kind = NEW.kind
    WHERE id = NEW.contact_id;
END;

CREATE TRIGGER touches_last_touch_delete AFTER DELETE ON touches
BEGIN
    UPDATE contacts SET
        last_touch = (SELECT max(date) FROM touches WHERE contact_id = OLD.contact_id),
        last_touch_kind = (SELECT kind FROM touches WHERE contact_id = OLD.contact_id
                           ORDER BY date DESC, id DESC LIMIT 1)
    WHERE id = OLD.contact_id;
END;

CREATE TABLE executives (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    title TEXT NOT NULL DEFAULT '',
    level TEXT NOT NULL CHECK (level IN ('vp','c_level')),
    function TEXT NOT NULL DEFAULT '',
    industries TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL DEFAULT 3 CHECK (capacity >= 1),
    exception_reason TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    CHECK (capacity <= 3 OR length(trim(exception_reason)) > 0)
);

CREATE TABLE sponsor_assignments (
    id INTEGER PRIMARY KEY,
    executive_id INTEGER NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    start_date TEXT NOT NULL CHECK (date(start_date, '+0 days') IS start_date),
    ended_on TEXT CHECK {_date("ended_on")},
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX sponsor_one_active_pair
    ON sponsor_assignments (executive_id, account_id) WHERE active = 1;
CREATE INDEX sponsor_account ON sponsor_assignments (account_id) WHERE active = 1;

-- The program's hard limit lives in the store, so no client can break it.
CREATE TRIGGER sponsor_capacity_insert BEFORE INSERT ON sponsor_assignments
WHEN NEW.active = 1
BEGIN
    SELECT RAISE(ABORT, 'executive is retired')
    WHERE (SELECT active FROM executives WHERE id = NEW.executive_id) = 0;
    SELECT RAISE(ABORT, 'sponsor over capacity')
    WHERE (SELECT count(*) FROM sponsor_assignments
           WHERE executive_id = NEW.executive_id AND active = 1)
        >= (SELECT capacity FROM executives WHERE id = NEW.executive_id);
END;

CREATE TRIGGER sponsor_capacity_update BEFORE UPDATE OF active, executive_id
ON sponsor_assignments
WHEN NEW.active = 1
BEGIN
    SELECT RAISE(ABORT, 'sponsor over capacity')
    WHERE (SELECT count(*) FROM sponsor_assignments
           WHERE executive_id = NEW.executive_id AND active = 1 AND id <> NEW.id)
        >= (SELECT capacity FROM executives WHERE id = NEW.executive_id);
END;

CREATE TRIGGER executives_capacity_shrink BEFORE UPDATE OF capacity ON executives
BEGIN
    SELECT RAISE(ABORT, 'sponsor over capacity')
    WHERE (SELECT count(*) FROM sponsor_assignments
           WHERE executive_id = NEW.id AND active = 1) > NEW.capacity;
END;

CREATE TABLE plan_items (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    target_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    target_label TEXT NOT NULL DEFAULT '',
    path_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    path_label TEXT NOT NULL DEFAULT '',
    first_action TEXT NOT NULL DEFAULT '',
    due_date TEXT CHECK {_date("due_date")},
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done','dropped')),
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX plan_items_account ON plan_items (account_id);

CREATE TABLE playbook_tasks (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL DEFAULT 'task' CHECK (kind IN ('task','checklist')),
    action TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT 'CSM',
    due_date TEXT CHECK {_date("due_date")},
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (contact_id, kind, action)
);
CREATE INDEX playbook_tasks_account ON playbook_tasks (account_id, done, due_date);
"""

# v2: one score per account per day, for trends (issue 6).
V2 = """
CREATE TABLE score_history (
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    day TEXT NOT NULL CHECK (date(day, '+0 days') IS day),
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    risk TEXT NOT NULL CHECK (risk IN ('low','medium','high')),
    PRIMARY KEY (account_id, day)
) WITHOUT ROWID;
"""

# v3: which of our executives already knows which customer contact (sponsor fit).
V3 = """
CREATE TABLE executive_contacts (
    executive_id INTEGER NOT NULL REFERENCES executives(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (executive_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX executive_contacts_contact ON executive_contacts (contact_id);
"""

# v4: each account's verdict for one day, so a portfolio read recomputes only
# what changed. Triggers drop an account's row whenever anything its verdict
# depends on is written; a new day, or new settings, make every row stale.
V4 = """
CREATE TABLE verdict_cache (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    settings TEXT NOT NULL,
    score INTEGER NOT NULL,
    risk TEXT NOT NULL,
    bus_factor INTEGER NOT NULL,
    factors TEXT NOT NULL,
    contact_count INTEGER NOT NULL,
    active_count INTEGER NOT NULL
);
CREATE TRIGGER verdict_stale_contact_insert AFTER INSERT ON contacts
BEGIN DELETE FROM verdict_cache WHERE account_id = NEW.account_id; END;
CREATE TRIGGER verdict_stale_contact_update AFTER UPDATE ON contacts
BEGIN DELETE FROM verdict_cache WHERE account_id IN (OLD.account_id, NEW.account_id); END;
CREATE TRIGGER verdict_stale_contact_delete AFTER DELETE ON contacts
BEGIN DELETE FROM verdict_cache WHERE account_id = OLD.account_id; END;
CREATE TRIGGER verdict_stale_role_insert AFTER INSERT ON contact_roles
BEGIN DELETE FROM verdict_cache WHERE account_id = (SELECT account_id FROM contacts WHERE id = NEW.contact_id); END;
CREATE TRIGGER verdict_stale_role_delete AFTER DELETE ON contact_roles
BEGIN DELETE FROM verdict_cache WHERE account_id = (SELECT account_id FROM contacts WHERE id = OLD.contact_id); END;
CREATE TRIGGER verdict_stale_account_update AFTER UPDATE OF renewal_date ON accounts
BEGIN DELETE FROM verdict_cache WHERE account_id = NEW.id; END;
CREATE TRIGGER verdict_stale_settings AFTER INSERT ON meta WHEN NEW.key = 'settings'
BEGIN DELETE FROM verdict_cache; END;
CREATE TRIGGER verdict_stale_settings_update AFTER UPDATE ON meta WHEN NEW.key = 'settings'
BEGIN DELETE FROM verdict_cache; END;
"""

# v5: a touch updates its contact only when it changes last_touch or its kind
# (same end state as v1's trigger). An import writes last_touch with each new
# contact, so its 200,000 touches no longer cost 200,000 UPDATEs.
V5 = """
DROP TRIGGER touches_last_touch_insert;
CREATE TRIGGER touches_last_touch_insert AFTER INSERT ON touches
WHEN NEW.date > coalesce((SELECT last_touch FROM contacts WHERE id = NEW.contact_id), '')
  OR (NEW.date = (SELECT last_touch FROM contacts WHERE id = NEW.contact_id)
      AND NEW.kind IS NOT (SELECT last_touch_kind FROM contacts WHERE id = NEW.contact_id))
BEGIN
    UPDATE contacts SET last_touch = NEW.date, last_touch_kind = NEW.kind
    WHERE id = NEW.contact_id;
END;
"""


# v6 (DOMAIN revision 2): strength may be NULL, "not rated", and existing values
# stay as they are. Dropping a NOT NULL and a default changes no stored row, so
# SQLite's documented in-place procedure applies (sqlite.org/lang_altertable.html,
# section 7: edit the table's text in sqlite_schema, bump the schema cookie)
# instead of copying every contact into a rebuilt table that six other tables
# and eight triggers refer to. Playbook tasks belong to one departure (a contact
# who leaves, comes back and leaves again gets a second playbook) and can be
# cancelled: that table is rebuilt, it is a leaf. The rules changed, so
# yesterday's cached verdicts are dropped.
_STRENGTH_V1 = "strength INTEGER NOT NULL DEFAULT 3 CHECK (strength BETWEEN 1 AND 5)"
_STRENGTH_V6 = "strength INTEGER CHECK (strength BETWEEN 1 AND 5)"
_TASKS_V6 = f"""
CREATE TABLE playbook_tasks_v6 (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    departed_on TEXT NOT NULL CHECK (date(departed_on, '+0 days') IS departed_on),
    kind TEXT NOT NULL DEFAULT 'task' CHECK (kind IN ('task','checklist')),
    action TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT 'CSM',
    due_date TEXT CHECK {_date("due_date")},
    done INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    position INTEGER NOT NULL DEFAULT 0,
    cancelled_on TEXT CHECK {_date("cancelled_on")},
    UNIQUE (contact_id, departed_on, kind, action)
)"""
# A v5 task's departure: its contact's departure date, else the day its D+0 tasks were due.
_TASKS_COPY = """
INSERT INTO playbook_tasks_v6
    (id, account_id, contact_id, departed_on, kind, action, owner, due_date, done, position)
SELECT t.id, t.account_id, t.contact_id,
       coalesce((SELECT c.departed_on FROM contacts c WHERE c.id = t.contact_id AND c.status = 'departed'),
                (SELECT min(u.due_date) FROM playbook_tasks u WHERE u.contact_id = t.contact_id),
                date('now')),
       t.kind, t.action, t.owner, t.due_date, t.done, t.position
FROM playbook_tasks t"""


def v6(conn: sqlite3.Connection) -> None:
    (cookie,) = conn.execute("PRAGMA schema_version").fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    changed = conn.execute(
        "UPDATE sqlite_schema SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'contacts'",
        (_STRENGTH_V1, _STRENGTH_V6),
    ).rowcount
    conn.execute(f"PRAGMA schema_version = {cookie + 1}")  # every connection re-reads the schema
    conn.execute("PRAGMA writable_schema = OFF")
    (sql,) = conn.execute("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'contacts'").fetchone()
    if changed != 1 or _STRENGTH_V6 not in sql:
        raise sqlite3.DatabaseError("contacts table is not the one stakeworks wrote: cannot upgrade it")
    conn.execute(_TASKS_V6)
    conn.execute(_TASKS_COPY)
    conn.execute("DROP TABLE playbook_tasks")
    conn.execute("ALTER TABLE playbook_tasks_v6 RENAME TO playbook_tasks")
    conn.execute("CREATE INDEX playbook_tasks_account ON playbook_tasks (account_id, done, due_date)")
    conn.execute("CREATE INDEX playbook_tasks_contact ON playbook_tasks (contact_id, departed_on)")
    conn.execute("DELETE FROM verdict_cache")


# v7: accounts carry a version like contacts, so the account editor refuses to save over a
# change made elsewhere (another window, an import) since it opened; existing rows start at 0.
V7 = """
ALTER TABLE accounts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
"""


# v8 (DOMAIN section 10, issue 15): accounts and contacts keep the CRM's id and
# which CRM it is; two accounts may share a name when their CRM ids differ, so
# accounts lose UNIQUE(name) for UNIQUE(name, crm_id). An account also keeps its
# web domain (HubSpot contacts name their company by it) and the company's own
# revenue, which is not ARR. SQLite cannot drop a UNIQUE constraint in place:
# accounts is rebuilt by the documented procedure (sqlite.org/lang_altertable.html,
# section 7: new table, copy, drop, rename, with foreign keys off for the step,
# see connection._migrate), every id kept; contacts only gain columns.
_ACCOUNT_COLUMNS_V7 = (
    "id, name, arr, currency, renewal_date, tier, industry, region, csm, strategic_value, "
    "growth_potential, kraljic, last_ebr, next_ebr, notes, version"
)
_ACCOUNTS_V8 = f"""
CREATE TABLE accounts_v8 (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    arr REAL NOT NULL DEFAULT 0 CHECK (arr >= 0),
    currency TEXT NOT NULL DEFAULT 'EUR' CHECK (length(currency) = 3),
    renewal_date TEXT CHECK {_date("renewal_date")},
    tier TEXT NOT NULL DEFAULT 'mid_market'
        CHECK (tier IN ('strategic','enterprise','mid_market','smb')),
    industry TEXT NOT NULL DEFAULT '',
    region TEXT NOT NULL DEFAULT '',
    csm TEXT NOT NULL DEFAULT '',
    strategic_value INTEGER NOT NULL DEFAULT 3 CHECK (strategic_value BETWEEN 1 AND 5),
    growth_potential INTEGER NOT NULL DEFAULT 3 CHECK (growth_potential BETWEEN 1 AND 5),
    kraljic TEXT CHECK (kraljic IS NULL OR kraljic IN
        ('strategic','leverage','bottleneck','non_critical')),
    last_ebr TEXT CHECK {_date("last_ebr")},
    next_ebr TEXT CHECK {_date("next_ebr")},
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0,
    crm TEXT NOT NULL DEFAULT '',
    crm_id TEXT NOT NULL DEFAULT '',
    domain TEXT NOT NULL DEFAULT '',
    company_revenue REAL CHECK (company_revenue IS NULL OR company_revenue >= 0),
    CHECK (crm_id = '' OR crm <> '')
)"""
_AFTER_ACCOUNTS_V8 = (
    "CREATE UNIQUE INDEX accounts_name_crm_id ON accounts (name, crm_id)",
    "CREATE INDEX accounts_name_nocase ON accounts (name COLLATE NOCASE)",
    "CREATE INDEX accounts_renewal ON accounts (renewal_date)",
    "CREATE INDEX accounts_csm ON accounts (csm)",
    "CREATE UNIQUE INDEX accounts_crm_id ON accounts (crm, crm_id) WHERE crm_id <> ''",
    "CREATE INDEX accounts_domain ON accounts (domain) WHERE domain <> ''",
    "CREATE TRIGGER verdict_stale_account_update AFTER UPDATE OF renewal_date ON accounts "
    "BEGIN DELETE FROM verdict_cache WHERE account_id = NEW.id; END",
    "ALTER TABLE contacts ADD COLUMN crm TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE contacts ADD COLUMN crm_id TEXT NOT NULL DEFAULT ''",
    "CREATE UNIQUE INDEX contacts_crm_id ON contacts (crm, crm_id) WHERE crm_id <> ''",
)


def v8(conn: sqlite3.Connection) -> None:
    conn.execute(_ACCOUNTS_V8)
    conn.execute(f"INSERT INTO accounts_v8 ({_ACCOUNT_COLUMNS_V7}) SELECT {_ACCOUNT_COLUMNS_V7} FROM accounts")
    conn.execute("DROP TABLE accounts")  # its indexes and its one trigger go with it
    conn.execute("ALTER TABLE accounts_v8 RENAME TO accounts")
    for statement in _AFTER_ACCOUNTS_V8:
        conn.execute(statement)


# v9 (issue 22, CLI.md "The sponsor program's owner"): a touch names who from our side took
# part (a CSM by name, or one of our executives); an assignment keeps the account's score and
# risk on its first day, and how it came about; nominations and the optimiser's suggestions
# wait in one review queue, each decision recorded with who and when. At most one pending
# entry per account and executive (an entry without an executive counts as one).
V9 = f"""
ALTER TABLE touches ADD COLUMN by_name TEXT NOT NULL DEFAULT '';
ALTER TABLE touches ADD COLUMN by_executive_id INTEGER REFERENCES executives(id) ON DELETE SET NULL;
CREATE INDEX touches_by_executive ON touches (by_executive_id, date) WHERE by_executive_id IS NOT NULL;

ALTER TABLE sponsor_assignments ADD COLUMN score_at_start INTEGER
    CHECK (score_at_start IS NULL OR score_at_start BETWEEN 0 AND 100);
ALTER TABLE sponsor_assignments ADD COLUMN risk_at_start TEXT
    CHECK (risk_at_start IS NULL OR risk_at_start IN ('low','medium','high'));

CREATE TABLE sponsor_reviews (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    executive_id INTEGER REFERENCES executives(id) ON DELETE SET NULL,
    source TEXT NOT NULL CHECK (source IN ('nomination','suggestion')),
    reason TEXT NOT NULL DEFAULT '',
    proposed_by TEXT NOT NULL DEFAULT '',
    proposed_on TEXT NOT NULL CHECK (date(proposed_on, '+0 days') IS proposed_on),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','approved','declined')),
    decided_by TEXT NOT NULL DEFAULT '',
    decided_on TEXT CHECK {_date("decided_on")},
    decision_reason TEXT NOT NULL DEFAULT '',
    assignment_id INTEGER REFERENCES sponsor_assignments(id) ON DELETE SET NULL,
    CHECK (status = 'pending' OR decided_on IS NOT NULL),
    CHECK (status <> 'declined' OR length(trim(decision_reason)) > 0),
    CHECK (status <> 'approved' OR executive_id IS NOT NULL)
);
CREATE UNIQUE INDEX sponsor_reviews_one_pending
    ON sponsor_reviews (account_id, coalesce(executive_id, 0)) WHERE status = 'pending';
CREATE INDEX sponsor_reviews_status ON sponsor_reviews (status, proposed_on);
"""


# v10 (issue 18, CLI.md "A living map"): a touch read from a calendar or a mailbox keeps
# where it came from ("ics:UID/occurrence", "mail:Message-ID"), so importing the same file
# again adds nothing; change signals (a bounce, a CRM list that no longer has someone, ...)
# wait for the CSM, each with its evidence, raised once per piece of evidence.
V10 = f"""
ALTER TABLE touches ADD COLUMN source TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX touches_source ON touches (contact_id, source) WHERE source <> '';

CREATE TABLE signals (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('email_bounced','missing_from_crm','moved_account','title_changed')),
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    raised_on TEXT NOT NULL CHECK (date(raised_on, '+0 days') IS raised_on),
    evidence TEXT NOT NULL CHECK (length(trim(evidence)) > 0),
    evidence_key TEXT NOT NULL,
    new_title TEXT,
    new_level TEXT CHECK (new_level IS NULL OR new_level IN {LEVELS}),
    other_account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed','dismissed')),
    decided_on TEXT CHECK {_date("decided_on")},
    decided_by TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, contact_id, evidence_key)
);
CREATE INDEX signals_open ON signals (status, raised_on);
"""


# A step is a script, or a function that runs its statements on the connection
# inside the step's transaction, with foreign keys off (a rebuilt parent table)
# and checked before the step commits.
Migration = str | Callable[[sqlite3.Connection], None]
# The meetings a calendar export has ahead: "next meeting" on the account. One row per contact and
# occurrence (a re-import updates its day and title); once its day has passed it is no longer
# shown, and the next import of the calendar makes it a touch.
V11 = f"""
CREATE TABLE upcoming_meetings (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    day TEXT NOT NULL CHECK {_date("day")},
    title TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL,
    PRIMARY KEY (contact_id, source)
);
CREATE INDEX upcoming_meetings_day ON upcoming_meetings (day);
"""

# v12 (issue 17, CLI.md "Team store"): who changed what, when, kept by the engine (db/history.py).
V12 = ";\n".join(history.migration()) + ";"

# v13 (issue 20): a cached verdict holds up to the last day its answer cannot change
# (domain/rules/validity.py), so the first look of a morning reads it instead of recomputing.
# '' (every row cached before) is never valid: those are recomputed once.
V13 = "ALTER TABLE verdict_cache ADD COLUMN valid_until TEXT NOT NULL DEFAULT '';"

# v14 (issue 20): nothing changes on a file. A team store's inserts set off their triggers once
# per statement instead of once per row (db/postgres_schema.py, ON_INSERT); SQLite has per-row
# triggers only, and a file's and a server's versions are one number.
V14 = ""

# v15 (issue 32, DOMAIN sections 11 and 12): what mail and calendar imports saw of the customer's
# people, one row per message or meeting occurrence and customer address (headers only: who,
# when, which way, and which of our people were on it); our people's display names (a name typed
# as `--by` is the same person as the address that carries it); addresses the CSM said are not
# people to map; strength suggestions the CSM rejected, with the evidence they were rejected on.
V15 = f"""
CREATE TABLE interactions (
    source TEXT NOT NULL CHECK (length(source) > 0),
    address TEXT NOT NULL CHECK (length(address) > 0),
    day TEXT NOT NULL CHECK (date(day, '+0 days') IS day),
    direction TEXT NOT NULL CHECK (direction IN ('from_them','to_them','meeting')),
    kind TEXT NOT NULL DEFAULT 'email' CHECK (kind IN ('email','meeting','qbr','ebr')),
    name TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    ours TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, address)
);
CREATE INDEX interactions_address ON interactions (address, day);
CREATE INDEX interactions_day ON interactions (day);
CREATE INDEX contacts_email_key ON contacts (lower(trim(email))) WHERE email <> '';
CREATE INDEX touches_date ON touches (date, kind, contact_id);
CREATE INDEX touches_by_name ON touches (date) WHERE by_name <> '';

CREATE TABLE our_people (
    address TEXT PRIMARY KEY CHECK (length(address) > 0),
    name TEXT NOT NULL DEFAULT ''
);

CREATE TABLE seen_dismissed (
    address TEXT PRIMARY KEY CHECK (length(address) > 0),
    dismissed_on TEXT NOT NULL CHECK {_date("dismissed_on")},
    dismissed_by TEXT NOT NULL DEFAULT ''
);

CREATE TABLE suggestion_rejections (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('decaying','warming','one_way')),
    evidence_key TEXT NOT NULL,
    rejected_on TEXT NOT NULL CHECK {_date("rejected_on")},
    rejected_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (contact_id, kind)
);
"""

# PEOPLE_STEP (issue 33, DOMAIN sections 13 and 14; step 16, after issue 32's step 15; named, not
# numbered, so its number follows its place in MIGRATIONS): contacts of different accounts said by hand to be
# the same person (email and CRM id link on their own, so only hand links are kept), once per
# pair, the lower id first; influence lines between two contacts of one account, one per
# direction, never a contact to itself. A line names its account so that its verdict is made
# stale by the line's writes and a line across accounts is refused by the store itself.
V_PEOPLE = """
CREATE TABLE contact_links (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    other_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (contact_id, other_id),
    CHECK (contact_id < other_id)
) WITHOUT ROWID;
CREATE INDEX contact_links_other ON contact_links (other_id);

-- The person view finds a person's records by address and by name, in any case.
CREATE INDEX contacts_email_lower ON contacts (lower(email)) WHERE email <> '';
CREATE INDEX contacts_name_lower ON contacts (lower(name));

CREATE TABLE influences (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    from_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    sign TEXT NOT NULL CHECK (sign IN ('positive','negative','neutral')),
    note TEXT NOT NULL DEFAULT '',
    CHECK (from_id <> to_id)
);
CREATE UNIQUE INDEX influences_pair ON influences (from_id, to_id);
CREATE INDEX influences_to ON influences (to_id);
CREATE INDEX influences_account ON influences (account_id);

CREATE TRIGGER influences_same_account_insert BEFORE INSERT ON influences
WHEN (SELECT account_id FROM contacts WHERE id = NEW.from_id) IS NOT NEW.account_id
  OR (SELECT account_id FROM contacts WHERE id = NEW.to_id) IS NOT NEW.account_id
BEGIN SELECT RAISE(ABORT, 'an influence line joins two contacts of its own account'); END;
CREATE TRIGGER influences_same_account_update BEFORE UPDATE ON influences
WHEN (SELECT account_id FROM contacts WHERE id = NEW.from_id) IS NOT NEW.account_id
  OR (SELECT account_id FROM contacts WHERE id = NEW.to_id) IS NOT NEW.account_id
BEGIN SELECT RAISE(ABORT, 'an influence line joins two contacts of its own account'); END;

CREATE TRIGGER verdict_stale_influence_insert AFTER INSERT ON influences
BEGIN DELETE FROM verdict_cache WHERE account_id = NEW.account_id; END;
CREATE TRIGGER verdict_stale_influence_update AFTER UPDATE ON influences
BEGIN DELETE FROM verdict_cache WHERE account_id IN (OLD.account_id, NEW.account_id); END;
CREATE TRIGGER verdict_stale_influence_delete AFTER DELETE ON influences
BEGIN DELETE FROM verdict_cache WHERE account_id = OLD.account_id; END;
"""

# OFFLINE_LOG_STEP (issue 37; meant as step 18, after issue 34's 17; named, not numbered, so its
# number follows its place in MIGRATIONS): the team store's record of each offline sync it took
# (db/sync.py), so a sync cut short is finished without applying anything twice. Made by the
# schema, so a CSM's first sync needs no right to create tables; a file store has it unused (one
# schema for both backends). `login` is the server login that synced: its row-level security
# shows a CSM their own rows only (db/team.py).
V_OFFLINE_LOG = """
CREATE TABLE offline_sync_log (
    checkout_id TEXT NOT NULL,
    sync_no INTEGER NOT NULL,
    login TEXT NOT NULL,
    at TEXT NOT NULL,
    by_user TEXT NOT NULL,
    outcome TEXT NOT NULL,
    PRIMARY KEY (checkout_id, sync_no)
) WITHOUT ROWID;
"""

# EMAIL_KEY_STEP (issue 36; step 18): one index over a contact's address, not three. Every
# lookup by address asks for lower(trim(email)) (contacts_email_key, step 15): addresses match
# case- and space-insensitively everywhere, and an import of 1,000,000 people kept two more
# indexes of the same address that nothing read (half of its writer's time was index upkeep).
V_EMAIL_KEY = """
DROP INDEX contacts_email;
DROP INDEX contacts_email_lower;
"""

# TRIGGERS_STEP (issue 36; step 19): the team store's triggers on a contact's change, an undo's
# capture and the history's update lines ask before they call a function (db/postgres_schema.py):
# nothing changes on a file, whose version follows (one version number for both backends).
V_TRIGGERS = "-- a file's triggers stay as they are: the step is the team store's\n"

MIGRATIONS: list[Migration] = [
    V1, V2, V3, V4, V5, v6, V7, v8, V9, V10, V11, V12, V13, V14, V15, V_PEOPLE, V_OFFLINE_LOG, V_EMAIL_KEY,
    V_TRIGGERS,
]  # fmt: skip
LATEST_VERSION = len(MIGRATIONS)
PEOPLE_STEP = MIGRATIONS.index(V_PEOPLE) + 1
"""The version that brings people across accounts and influence lines (db/postgres_schema.py's step too)."""
OFFLINE_LOG_STEP = MIGRATIONS.index(V_OFFLINE_LOG) + 1
"""The version that brings the server's offline sync log (db/postgres_schema.py's step too)."""
EMAIL_KEY_STEP = MIGRATIONS.index(V_EMAIL_KEY) + 1
"""The version that leaves one index over a contact's address (db/postgres_schema.py's step too)."""
TRIGGERS_STEP = MIGRATIONS.index(V_TRIGGERS) + 1
"""The version whose server triggers ask before they call (db/postgres_schema.py); none on a file."""
