"""Help: what the screens are, the keys, and how verdicts are made."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# stakeworks

Map who matters at each customer and see where the relationship is thin.

## Everywhere
| key | does |
|---|---|
| `/` or `ctrl+f` | search people and accounts (typos are fine) |
| `ctrl+p` | command palette: open account, open contact, log touch, mark departed, switch screen |
| `ctrl+o` / `ctrl+r` | accounts / risk triage |
| `ctrl+e` | executive sponsor program |
| `ctrl+t` | playbook tasks |
| `ctrl+w` | who to touch this week |
| `ctrl+g` | persona coverage heat map (enter opens the account at that persona) |
| `?` | this help |
| `escape` | back |
| `ctrl+q` | quit |

## Accounts and triage
Type to filter; `enter` opens; click a header or press `s` to sort.
In triage, `f` focuses the filters and `t` logs a touch with the account's main contact.

## Account
`e` edit the selected contact, `a` add one, `t` log a touch, `w` what if they left,
`d` mark departed (champions get the playbook; pick the interim contact), `p` the
multi-threading plan (`a` accept a proposal, `e` edit, `x` done, `d` drop), `k` this
account's tasks, `s` the sentiment × key-to-success matrix, `m` export the stakeholder map as Markdown next to the database.

## Sponsors
`a` assign the selected executive to the selected program account, `u` unassign,
`enter` on a suggestion accepts it, `x` accepts all. Nobody gets a fourth account
without a recorded exception.

## Tasks and cadence
`space` ticks a task, `h` hides done ones. In "who to touch", `t` logs a touch, `enter` opens the account.
★ champion · ⚠ overdue, departed, not engaged or detractor · 🔑 key person (their departure adds a high-level factor).

## Contact editor
Coverage, factors and score on the right recalculate on every change, before you save.
Strength: focus it and press `1`-`5`. `ctrl+s` saves (one transaction), `escape` discards.

## How verdicts are made
A contact is *engaged* when active, strength ≥ 3 and touched within their threshold
(C-level 365 days, VP 182, director 91, manager 30; champion 30, economic buyer and
executive sponsor 90; the smallest applies). Each high factor adds 30 to the triage
score, each medium 12, capped at 100.
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen VerticalScroll { width: 90%; height: 90%; border: thick $primary; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)
