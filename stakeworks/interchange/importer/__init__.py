"""CSV imports: map the columns, validate every row, and plan the writes.

Nothing here touches the store. `plan_accounts` and `plan_executives` take
small files whole and return either a plan (every row valid) or an InputError
listing every bad row as `line N, column C: reason`. Contacts files can be
hundreds of thousands of rows, so `open_contacts` checks the columns and
returns a `ContactsFile` whose rows are validated as they stream into the
store's transaction; a bad row anywhere still means nothing is written.

One job per module, each importing only those below it in this list:

- `accounts`, `contacts`, `executives`, `roles`: one kind of file each, its rows to a plan;
  `kinds`: which kind a file looks like, from its header
- `plan`: the plan of a small file; `problems`: bad rows, reported together
- `columns`: each kind's header aliases, and which column feeds which field
- `values`: parsing cells (dates, numbers, strength, roles, levels, touch kinds)

Import the public names from here (`from stakeworks.interchange import importer`).
"""

from stakeworks.interchange.importer.accounts import AccountRow, plan_accounts
from stakeworks.interchange.importer.columns import (
    ACCOUNT_ALIASES,
    CONTACT_ALIASES,
    CRMS,
    EXECUTIVE_ALIASES,
    ColumnMapping,
    detect_crm,
    map_columns,
)
from stakeworks.interchange.importer.contacts import ContactPlanRow, ContactsFile, open_contacts
from stakeworks.interchange.importer.executives import plan_executives
from stakeworks.interchange.importer.kinds import KINDS, KindGuess, kind_of_file, kind_of_header
from stakeworks.interchange.importer.plan import ImportPlan
from stakeworks.interchange.importer.problems import Problems
from stakeworks.interchange.importer.roles import RoleRow, plan_roles
from stakeworks.interchange.importer.values import (
    ROLE_VALUES,
    infer_date_format,
    infer_level,
    parse_bool,
    parse_currency,
    parse_date,
    parse_money,
    parse_number,
    parse_roles,
    parse_strength,
)

__all__ = [
    "ACCOUNT_ALIASES",
    "CONTACT_ALIASES",
    "CRMS",
    "EXECUTIVE_ALIASES",
    "KINDS",
    "KindGuess",
    "kind_of_file",
    "kind_of_header",
    "ROLE_VALUES",
    "AccountRow",
    "ColumnMapping",
    "RoleRow",
    "detect_crm",
    "parse_currency",
    "parse_money",
    "plan_roles",
    "ContactPlanRow",
    "ContactsFile",
    "ImportPlan",
    "Problems",
    "infer_date_format",
    "infer_level",
    "map_columns",
    "open_contacts",
    "parse_bool",
    "parse_date",
    "parse_number",
    "parse_roles",
    "parse_strength",
    "plan_accounts",
    "plan_executives",
]
