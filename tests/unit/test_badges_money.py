"""ARR in a cell: unknown (0, as the store keeps a missing ARR) reads "—", never "0"."""

from stakeworks.widgets.badges import money


def test_unknown_arr_reads_as_a_dash_and_known_arr_is_shortened() -> None:
    assert money(0) == "—"
    assert money(None) == "—"
    assert money(240_000) == "240k"
    assert money(1_500_000) == "1.5M"
