"""Command palette provider: open account/contact, log touch, depart, switch screen."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from stakeworks.screens.messages import OpenAccount


class StakeworksCommands(Provider):
    def _actions(self) -> list[tuple[str, str, object]]:
        app = self.app
        return [
            ("Go to accounts", "Home: every account with its verdict", partial(app.switch_mode, "home")),
            ("Go to risk triage", "The portfolio in triage order, with filters", partial(app.switch_mode, "triage")),
            (
                "Go to sponsor program",
                "Executives, load, candidates, optimal suggestion",
                partial(app.switch_mode, "sponsors"),
            ),
            ("Go to playbook tasks", "Departure playbooks across the portfolio", partial(app.switch_mode, "tasks")),
            ("Go to who to touch this week", "Overdue and soon-due contacts", partial(app.switch_mode, "cadence")),
            ("Go to coverage heat map", "Personas per account, portfolio totals", partial(app.switch_mode, "heatmap")),
            ("Search people and accounts", "Fuzzy search everywhere", app.action_search),  # type: ignore[attr-defined]
            ("Log touch on selected contact", "On the account screen", partial(self._on_account, "log_touch")),
            (
                "What if the selected contact left",
                "Departure simulation, nothing written",
                partial(self._on_account, "whatif"),
            ),
            ("Mark selected contact departed", "Champions get the playbook", partial(self._on_account, "depart")),
            ("Help", "Keys and how verdicts are made", app.action_help),  # type: ignore[attr-defined]
        ]

    def _on_account(self, action: str) -> None:
        from stakeworks.screens.account import AccountScreen

        screen = self.app.screen
        if isinstance(screen, AccountScreen):
            getattr(screen, f"action_{action}")()
        else:
            self.app.notify("Open an account and select a contact first.", severity="warning")

    async def discover(self) -> Hits:
        for name, help_text, callback in self._actions():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._actions():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
        app = self.app
        index = app.search_index  # type: ignore[attr-defined]
        if len(query.strip()) < 2 or index is None:
            return
        for hit in index.search(query, limit=12):
            e = hit.entry
            what = "Open account" if e.contact_id is None else "Open contact"
            yield Hit(
                hit.score / 100,
                f"{what}: {e.label}",
                partial(app.post_message, OpenAccount(e.account_id, e.contact_id)),
                text=f"{what}: {e.label}",
                help=e.detail,
            )
