"""Help: what the screens are, the keys, and how verdicts are made."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# stakeworks

Map who matters at each customer and see where the relationship is thin.
The keys below are yours: any of them can be changed in the `[keymap]` table of
your config file (`stakeworks config path` says where it is, `stakeworks config keys`
lists every id). The palette (`ctrl+p`) also opens accounts and contacts, logs
touches, marks departures, switches screens and changes the theme.
"""

ABOUT = """\
## Moving around
Keys that work everywhere are never letters, so a letter typed into a text field is
always text: `ctrl+f` search (`/` outside a text field), `f1` help (`?`), `ctrl+o` the
accounts list from anywhere, `escape` back to where you came from (one back stack). In
the palette, a person or account that matches comes before the actions.

## Screens
**Accounts**: the filter has focus, so type to filter (name, CSM, tier, our sponsor; one
typo is fine); `enter` opens the top match, `down` moves into the list, `escape` clears
the filter. In the list, `s` sorts by the next column on screen (▼ in its header; tier
sorts strategic first), `i` imports a CSV, `up` on the first row returns to the filter,
and any other letter goes back to it. **Triage** filters by risk, renewal and CSM and logs
a touch with an account's main contact.
**Account**: the stakeholder map (★ champion · ⚠ overdue, departed, not engaged or
detractor · 🔑 key person, whose departure adds a high-level factor) beside coverage;
edit, add, log a touch, what-if, departure (champions and executive sponsors get the
playbook, by `d` or by the editor's status field; back to active cancels its open tasks), the
multi-threading plan, tasks, the sentiment matrix; export the map (Markdown, and an
SVG org chart with an HTML page around it, for a slide) and copy it to the clipboard.
"Our sponsor" is our executive who sponsors the account; "their executive sponsor" is
the customer's own senior leader (a role).
**Sponsors**: assign our executives to program accounts (`a`); nobody gets a fourth
account without a recorded exception. The right-hand panel names the executive whose
accounts it lists; `u` asks which of their accounts to end and confirms; `x` shows every
suggested pair and asks once; the line under each list explains the selected row in full. **Tasks and cadence**: tick tasks ("Document all
knowledge" ticks itself when its checklist is done; cancelled tasks are history, never
open), see who to touch this week. **Contact editor**: coverage, factors and score
recalculate on every change, before you save (one transaction); strength `1`-`5`, `0` not
rated (a new contact starts not rated); roles tick with `space` ([x] / [ ]). Leaving with
unsaved changes (`escape`, `ctrl+o`) asks: save, discard or keep editing.

## How verdicts are made
A contact is *engaged* when active, rated 3 or more, touched at least once and within
their threshold (C-level 365 days, VP 182, director 91, manager 30; champion 30, economic
buyer and executive sponsor 90; the smallest applies), or with no threshold touched within
365 days. Known but not engaged shows why: status not engaged, never touched, overdue,
stale, not rated, weak. The *risk score* (0-100, higher is worse): each high factor adds
30, each medium 12, capped at 100. Of the champion factors (departed, none, overdue, not
engaged) and of their executive sponsor's (none, overdue) at most one counts, so a better
map never scores worse; where the cap hides a change, the factors say it.
"""


def keys_markdown(keymap: dict[str, str]) -> str:
    """Every binding, by area, with the keys in use (the user's keymap applied)."""
    from textual.keys import format_key

    from stakeworks.screens.keymap import AREAS, catalogue, normalize

    areas: dict[str, list[str]] = {}
    for b in catalogue():
        keys = " / ".join(f"`{format_key(k)}`" for k in normalize(keymap.get(b.id) or b.keys))
        mine = " (yours)" if b.id in keymap else ""
        areas.setdefault(b.area, []).append(f"| {keys}{mine} | {b.description} | `{b.id}` |")
    order = {name: i for i, name in enumerate(AREAS.values())}
    out = ["## Keys"]
    for area in sorted(areas, key=lambda a: order.get(a, len(order))):
        out += ["", f"### {area}", "", "| key | does | id |", "|---|---|---|", *areas[area]]
    return "\n".join(out) + "\n"


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen VerticalScroll { width: 90%; height: 90%; border: thick $primary; background: $surface; }
    """
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP + "\n## Keys\n\nLoading…\n\n" + ABOUT, id="help-text")

    def on_mount(self) -> None:
        self.load_keys()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load_keys(self) -> None:
        """The catalogue imports every screen module: off the event loop."""
        keymap = dict(getattr(self.app, "keymap_in_use", {}))
        text = HELP + "\n" + keys_markdown(keymap) + "\n" + ABOUT
        self.app.call_from_thread(self.query_one("#help-text", Markdown).update, text)
