"""Command palette provider: open account/contact, log touch, depart, switch screen."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider

from stakeworks.screens.base import workbench
from stakeworks.screens.messages import OpenAccount
from stakeworks.screens.type_ahead import KeepsTypeAhead

ENTITY_FIRST = 75
"""A search hit scoring at least this (0-100) ranks above the palette's actions."""


class Palette(KeepsTypeAhead, CommandPalette):
    """Textual's command palette; what is typed as it opens (ctrl+p, then "new") goes into its input."""

    AUTO_FOCUS = "CommandInput"


class StakeworksCommands(Provider):
    def _actions(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = workbench(self.app)
        return [
            ("Go to accounts", "Home: every account with its verdict", partial(app.action_go, "home")),
            ("Go to risk triage", "The portfolio in triage order, with filters", partial(app.action_go, "triage")),
            (
                "Go to sponsor program",
                "Executives, load, candidates, optimal suggestion",
                partial(app.action_go, "sponsors"),
            ),
            (
                "Go to sponsor program review",
                "Nominations and suggestions waiting for the owner; the program measured",
                partial(app.action_go, "program"),
            ),
            (
                "Nominate this account for a sponsor",
                "On the account screen: propose it for one of our executives, saying why",
                partial(self._on_account, "nominate"),
            ),
            (
                "Go to the inbox (signals, people seen, strength suggestions)",
                "What the map proposes: bounces, new titles, people not on the map, strength, with the evidence",
                partial(app.action_go, "signals"),
            ),
            (
                "Handover: what one of ours holds",
                "Pick a CSM or colleague: their accounts, orphaned first, and who else knows each contact",
                partial(app.action_go, "handover"),
            ),
            ("Go to playbook tasks", "Departure playbooks across the portfolio", partial(app.action_go, "tasks")),
            (
                "Go to exposure",
                "People engaged as champion or economic buyer at two or more accounts, ARR at stake",
                partial(app.action_go, "exposure"),
            ),
            (
                "Influence lines of the selected contact",
                "On the account screen: whom they sway, for us or against us",
                partial(self._on_account, "influence"),
            ),
            ("Go to who to touch this week", "Overdue and soon-due contacts", partial(app.action_go, "cadence")),
            ("Go to coverage heat map", "Personas per account, portfolio totals", partial(app.action_go, "heatmap")),
            ("Search people and accounts", "Fuzzy search everywhere", app.action_search),
            ("New account", "Create an account: name, ARR, renewal, CSM, tier…", app.action_new_account),
            (
                "Edit this account",
                "Every account field; on the account screen",
                partial(self._on_account, "edit_account"),
            ),
            ("Delete selected contact", "Asks first, says what goes with them", partial(self._on_account, "delete")),
            ("Delete this account", "Asks first, says what goes with it", partial(self._on_account, "delete_account")),
            ("Undo the last save or delete", "ctrl+z: this session's changes, newest first", app.action_undo),
            ("Log touch on selected contact", "On the account screen", partial(self._on_account, "log_touch")),
            (
                "What if the selected contact left",
                "Departure simulation, nothing written",
                partial(self._on_account, "whatif"),
            ),
            ("Mark selected contact departed", "Champions get the playbook", partial(self._on_account, "depart")),
            (
                "Settings of the team",
                "f7: cadence thresholds and windows, our domains, role addresses…, with their defaults",
                app.action_settings,
            ),
            ("Help", "Keys and how verdicts are made", app.action_help),
        ]

    def _on_account(self, action: str) -> None:
        from stakeworks.screens.account import AccountScreen

        screen = self.app.screen
        if isinstance(screen, AccountScreen):
            getattr(screen, f"action_{action}")()
        else:
            self.app.notify("Open an account first (and select a contact, for what acts on one).", severity="warning")

    async def discover(self) -> Hits:
        for name, help_text, callback in self._actions():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._actions():
            score = matcher.match(name)
            if score > 0:
                # Textual's matcher scores have no ceiling: squeezed into 0-1, below a good person or account.
                yield Hit(score / (1 + score), matcher.highlight(name), callback, help=help_text)
        app = self.app
        index = workbench(app).session.search_index
        if len(query.strip()) < 2 or index is None:
            return
        for hit in index.search(query, limit=12):
            e = hit.entry
            what = "Open account" if e.contact_id is None else "Open contact"
            # A person or account that matches well comes before every action (whose scores
            # stay within 0-1): "tom" means Tom Chen before "Go to coverage heat map".
            score = 1 + hit.score / 1000 if hit.score >= ENTITY_FIRST else hit.score / 200
            yield Hit(
                score,
                f"{what}: {e.label}",
                partial(app.post_message, OpenAccount(e.account_id, e.contact_id)),
                text=f"{what}: {e.label}",
                help=e.detail,
            )
