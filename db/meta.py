"""The meta table: key-value facts about the store, the team's settings among them."""

from __future__ import annotations

import json
from typing import Any

from stakeworks.db.repository import Repository
from stakeworks.domain.settings import Settings, with_setting, without_setting


class MetaRepository(Repository):
    def get(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set(self, key: str, value: str) -> None:
        with self._transaction() as c:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def settings(self) -> Settings:
        raw = self.get("settings")
        return Settings.from_json(raw) if raw else Settings()

    def _overrides(self) -> dict[str, Any]:
        raw = self.get("settings")
        Settings.from_json(raw or "{}")  # a stored value the rules refuse is refused here too
        data = json.loads(raw) if raw else {}
        return data if isinstance(data, dict) else {}

    def change_setting(self, key: str, text: str | None) -> Settings:
        """Set one setting from typed text (None: back to its default), checked, in one write."""
        with self._transaction():
            current = self._overrides()
            changed = without_setting(current, key) if text is None else with_setting(current, key, text)
            raw = json.dumps(changed, sort_keys=True)
            settings = Settings.from_json(raw)
            self.set("settings", raw)
            return settings
