"""Heat map, sentiment matrix and risk history."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from stakeworks.db.store import Store
from stakeworks.domain.heatmap import PERSONAS
from stakeworks.domain.models import Contact
from stakeworks.services import accounts as services
from stakeworks.widgets.matrix import sentiment_matrix
from tests.conftest import BOTH_BACKENDS, TODAY, stored

pytestmark = BOTH_BACKENDS

# Engaged, straight from SQL: active, strength >= 3, touched within the
# smallest threshold of its level and timed roles (DOMAIN section 2).
ENGAGED_SQL = """
WITH t AS (
  SELECT c.id, c.account_id, c.strength, c.status, c.last_touch,
    min(
      CASE c.level WHEN 'c_level' THEN 365 WHEN 'vp' THEN 182 WHEN 'director' THEN 91
                   WHEN 'manager' THEN 30 ELSE 100000 END,
      coalesce((SELECT min(CASE role WHEN 'champion' THEN 30 WHEN 'economic_buyer' THEN 90
                                     WHEN 'executive_sponsor' THEN 90 END)
                FROM contact_roles r WHERE r.contact_id = c.id), 100000)
    ) AS threshold
  FROM contacts c
)
SELECT count(DISTINCT t.account_id) FROM t JOIN contact_roles r ON r.contact_id = t.id
WHERE r.role = ? AND t.status = 'active' AND t.strength >= 3
  AND (t.threshold = 100000 OR (t.last_touch IS NOT NULL AND julianday(?) - julianday(t.last_touch) <= t.threshold))
"""


def test_heatmap_totals_equal_sql_counts(cli, sample_copy: Path):
    data = json.loads(cli("heatmap", "--json", "--today", TODAY.isoformat(), db_path=sample_copy).out)
    assert data["personas"] == list(PERSONAS)
    for persona in PERSONAS:
        (expected,) = stored(sample_copy, ENGAGED_SQL, (persona, TODAY.isoformat()))[0]
        assert data["totals"][persona] == expected, persona
        assert sum(1 for r in data["rows"] if r["cells"][persona]["state"] == "engaged") == expected
    (n,) = stored(sample_copy, "SELECT count(*) FROM accounts")[0]
    assert len(data["rows"]) == n


def test_heatmap_cell_states_follow_domain_order(cli, northwind):
    data = json.loads(northwind("heatmap", "--json", "--today", "2026-03-10").out)
    cells = data["rows"][0]["cells"]
    assert cells["champion"] == {"state": "engaged", "strength": 5, "contact": "Tom Chen"}
    assert cells["economic_buyer"]["state"] == "known" and cells["economic_buyer"]["contact"] == "Sarah Kim"
    assert cells["executive_sponsor"]["state"] == "missing"
    assert cells["technical_lead"]["state"] == "engaged"


def test_history_one_row_per_day_and_new_row_on_later_change(sample_copy: Path):
    with Store(sample_copy) as s:
        nid = next(i for i, n in s.account_names() if n == "Northwind")
        day = TODAY + timedelta(days=1)
        services.portfolio(s, day)
        services.portfolio(s, day)
        rows = [r for r in s.score_history(nid) if r[0] == day]
        assert len(rows) == 1 and rows[0][1] == 66
        sarah = next(c for c in s.contacts(nid) if c.name == "Sarah Kim")
        s.save_contact(sarah.model_copy(update={"strength": 4}))
        later = day + timedelta(days=1)
        services.portfolio(s, later)
        history = s.score_history(nid)
        assert history[-2:] == [(day, 66, "high"), (later, 12, "medium")]


def test_sentiment_matrix_highlights_key_and_negative():
    people = [
        Contact(id=1, name="Key Foe", sentiment="detractor", key_to_success=True),
        Contact(id=2, name="Fan", sentiment="advocate", key_to_success=True),
        Contact(id=3, name="Meh", sentiment="neutral"),
    ]
    import io

    from rich.console import Console

    console = Console(width=100, record=True, file=io.StringIO())
    console.print(sentiment_matrix(people))
    text = console.export_text()
    assert "DANGER: Key Foe" in text and "Fan" in text and "Meh" in text
    assert "DANGER: Fan" not in text
