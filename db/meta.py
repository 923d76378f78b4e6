"""The meta table: key-value facts about the store, the user's settings among them."""

from __future__ import annotations

from stakeworks.db.repository import Repository
from stakeworks.domain.settings import Settings


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
