"""Computed verdicts kept: each account's verdict for one day (a cache the
schema's triggers invalidate on every write it depends on) and the daily score
history trends are drawn from."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from stakeworks.db.repository import Repository, id_filters

# account id -> (score, risk, bus factor, factor codes, contacts, active contacts, day last served)
Cached = tuple[int, str, int, str, int, int, str]


class VerdictRepository(Repository):
    def cached(self, day: date, settings_key: str, account_id: int | Sequence[int] | None = None) -> dict[int, Cached]:
        """Verdicts that hold on `day` under these settings (computed on or before it, valid up
        to it at least): the portfolio's, or one account's, or these accounts'."""
        iso = day.isoformat()
        return {
            r[0]: r[1:]
            for where, ids in id_filters("account_id", account_id)
            for r in self._query(
                "SELECT account_id, score, risk, bus_factor, factors, contact_count, active_count, day FROM verdict_cache "
                f"WHERE day <= ? AND valid_until >= ? AND settings = ? AND {where}",
                (iso, iso, settings_key, *ids),
            )
        }

    def save(
        self, day: date, settings_key: str, rows: Iterable[tuple[int, int, str, int, str, int, int, date]]
    ) -> None:
        """Verdicts computed on `day`, each with the last day it holds."""
        with self._transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO verdict_cache (account_id, day, settings, score, risk, bus_factor, factors, "
                "contact_count, active_count, valid_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a, day.isoformat(), settings_key, *rest, until.isoformat()) for a, *rest, until in rows],
            )

    def carry(self, day: date, settings_key: str, scores: Iterable[tuple[int, int, str]]) -> None:
        """Verdicts computed on an earlier day that still hold on `day`: that day's score is
        recorded for the trend, and they are marked served on it, in one transaction."""
        scores = list(scores)
        with self._transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO score_history (account_id, day, score, risk) VALUES (?, ?, ?, ?)",
                [(a, day.isoformat(), s, r) for a, s, r in scores],
            )
            c.executemany(
                "UPDATE verdict_cache SET day = ? WHERE account_id = ? AND settings = ?",
                [(day.isoformat(), a, settings_key) for a, _, _ in scores],
            )

    def record_scores(self, day: date, scores: Iterable[tuple[int, int, str]]) -> None:
        """One row per account per day; a recomputation the same day replaces it."""
        with self._transaction() as c:
            c.executemany(
                "INSERT OR REPLACE INTO score_history (account_id, day, score, risk) VALUES (?, ?, ?, ?)",
                [(a, day.isoformat(), s, r) for a, s, r in scores],
            )

    def score_histories(
        self, since: date, until: date, account_id: int | Sequence[int] | None = None
    ) -> dict[int, list[tuple[date, int]]]:
        out: dict[int, list[tuple[date, int]]] = defaultdict(list)
        for where, ids in id_filters("account_id", account_id):
            for owner, day, score in self._query(
                f"SELECT account_id, day, score FROM score_history WHERE day BETWEEN ? AND ? AND {where} "
                "ORDER BY account_id, day",
                (since.isoformat(), until.isoformat(), *ids),
            ):
                out[owner].append((date.fromisoformat(day), score))
        return out

    def score_history(self, account_id: int) -> list[tuple[date, int, str]]:
        return [
            (date.fromisoformat(d), s, r)
            for d, s, r in self._query(
                "SELECT day, score, risk FROM score_history WHERE account_id = ? ORDER BY day", (account_id,)
            )
        ]
