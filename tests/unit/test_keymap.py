"""Binding ids and the keymap check: every binding remappable, every mistake named."""

from __future__ import annotations

import re

from stakeworks.screens.keymap import catalogue, check_keymap, key_problem, normalize, usable


def test_every_binding_has_a_stable_unique_id() -> None:
    infos = catalogue()
    assert len(infos) > 50
    ids = [b.id for b in infos]
    assert all(re.fullmatch(r"[a-z]+\.[a-z_]+", i) for i in ids), [i for i in ids if "." not in i]
    assert len(ids) == len(set(ids))
    assert all(b.description for b in infos)
    assert {"app.search", "account.log_touch", "table.down", "strength.good"} <= set(ids)


def test_a_good_keymap_has_no_problems() -> None:
    keymap = {"app.search": "f3,f4", "account.log_touch": "T", "account.whatif": "question_mark"}
    # "?" is the app's help; on the account screen a remap to it would hide help there, so it is reported
    problems = check_keymap(keymap)
    assert [p.key for p in problems] == ["keymap.account.whatif"]
    assert "Help (app.help_alt)" in problems[0].message
    assert check_keymap({"app.search": "f3,f4", "account.log_touch": "T"}) == []


def test_unknown_ids_and_bad_keys_are_named_with_their_line() -> None:
    lines = {"acount.log_touch": 7, "app.help": 8, "account.edit": 9}
    problems = check_keymap({"acount.log_touch": "T", "app.help": "ctrl+shft+h", "account.edit": "F13x"}, lines.get)
    shown = [str(p) for p in problems]
    assert shown[0].startswith(
        "line 7: keymap.acount.log_touch: no binding has this id (did you mean 'account.log_touch'?)"
    )
    assert shown[1] == "line 8: keymap.app.help: 'ctrl+shft+h': 'shft' is not a modifier (ctrl, alt, shift, meta)"
    assert shown[2].startswith("line 9: keymap.account.edit: 'F13x' is not a key name")


def test_collisions_in_one_screen_and_with_the_apps_keys() -> None:
    same_screen = check_keymap({"account.log_touch": "e"})
    assert [str(p) for p in same_screen] == [
        "file: keymap.account.log_touch: e is already Edit contact (account.edit) on AccountScreen"
    ]
    app_wide = check_keymap({"app.search": "e"})
    assert any("account.edit" in p.message for p in app_wide)
    # two remapped bindings swapping keys is fine
    assert check_keymap({"account.edit": "t", "account.log_touch": "e"}) == []


def test_problem_entries_are_left_out_the_rest_apply() -> None:
    keymap = {"app.search": "f3", "nope.nothing": "x", "account.log_touch": "e"}
    assert usable(keymap, check_keymap(keymap)) == {"app.search": "f3"}


def test_key_names() -> None:
    assert [key_problem(k) for k in ("T", "ctrl+f", "f12", "question_mark", "shift+tab", "pageup", "space")] == [
        None
    ] * 7
    assert key_problem("") and key_problem("ctrl+") and key_problem("hyperdrive") and key_problem("cmd+k")
    assert normalize("?, /") == ["question_mark", "slash"]
