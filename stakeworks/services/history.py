"""An account's history and its map's difference since a day, for the CLI and the account screen."""

from __future__ import annotations

from datetime import date

from stakeworks.domain.history import HistoryLine, MapDiff, diff_since
from stakeworks.services.accounts import account_view
from stakeworks.services.ports import StorePort


def account_history(store: StorePort, account_id: int, since: date | None = None) -> list[HistoryLine]:
    return store.history(account_id, since)


def map_diff(store: StorePort, account_id: int, since: date, today: date) -> MapDiff:
    """What changed on the account's map since `since`, with the score then (the last one
    recorded on or before that day) and now (today's verdict)."""
    view = account_view(store, account_id, today)
    diff = diff_since(since, store.history(account_id, since), view.account.name)
    recorded = [s for s in store.score_history(account_id) if s[0] <= since]
    diff.score_then = recorded[-1] if recorded else None
    diff.score_now = (view.assessment.score, str(view.assessment.risk))
    return diff
