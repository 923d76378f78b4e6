"""Binding ids, the user's keymap, and what is wrong with it.

Every binding of the app, its screens and widgets has a stable id,
`area.name` (`app.search`, `account.log_touch`, `table.down`). The `[keymap]`
table of the config file maps ids to keys and is applied with Textual's own
keymap support (`App.set_keymap`), so the footer and the bindings themselves
change; here the catalogue of ids (`stakeworks config keys`) and the check
(`stakeworks config check`, and at start-up): unknown ids, key names Textual
would never send, and keys that would collide with another binding in the
same place. An entry with a problem is left out; the rest still apply.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import KEY_TO_UNICODE_NAME, Keys, _character_to_key, format_key

from stakeworks.interchange.config import Problem

MODIFIERS = ("ctrl", "alt", "shift", "meta", "super", "hyper")
NAMED_KEYS = frozenset(k.value.rsplit("+", 1)[-1] for k in Keys if not k.value.startswith("<")) | {
    "space", "enter", "tab", "escape", "backspace", "delete", "insert", "minus", "plus",
}  # fmt: skip
AREAS = {
    "app": "Everywhere",
    "home": "Accounts",
    "triage": "Risk triage",
    "account": "Account",
    "editor": "Contact editor",
    "accounteditor": "Account editor",
    "empty": "Empty store",
    "touch": "Log a touch",
    "depart": "Departure",
    "whatif": "What if",
    "plan": "Plan",
    "planitem": "Plan item editor",
    "influence": "Influence lines",
    "exposure": "Exposure",
    "tasks": "Tasks",
    "cadence": "Who to touch",
    "heatmap": "Heat map",
    "sponsors": "Sponsors",
    "program": "Sponsor program review",
    "signals": "Signals",
    "handover": "Handover",
    "settings": "Settings",
    "ask": "Questions",
    "executive": "Executive editor",
    "import": "Import",
    "search": "Search",
    "help": "Help",
    "matrix": "Sentiment matrix",
    "unsaved": "Unsaved changes",
    "confirm": "Confirmations",
    "table": "Tables",
    "lookup": "Filter and search boxes",
    "strength": "Strength picker",
    "conflicts": "Sync conflicts",
}


@dataclass(frozen=True)
class BindingInfo:
    """One binding as declared: its id, default keys, what it does and whose it is."""

    id: str
    keys: str
    description: str
    owner: str  # the class declaring it, e.g. "AccountScreen"
    show: bool

    @property
    def area(self) -> str:
        return AREAS.get(self.id.split(".", 1)[0], self.id.split(".", 1)[0].title())


def _bindings_of(cls: type) -> list[Binding]:
    out = []
    for b in cls.__dict__.get("BINDINGS", []):
        if isinstance(b, Binding):
            out.append(b)
        elif isinstance(b, tuple):
            out.append(Binding(*b))
    return out


@cache
def owners() -> tuple[type[DOMNode], ...]:
    """Every class of ours that declares bindings (the App, screens, widgets)."""
    import stakeworks.screens
    import stakeworks.widgets

    found: list[type[DOMNode]] = []
    for package in (stakeworks.screens, stakeworks.widgets):
        for info in pkgutil.iter_modules(package.__path__):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, DOMNode)
                    and value.__module__ == module.__name__
                    and _bindings_of(value)
                ):
                    found.append(value)
    return tuple(sorted(found, key=lambda c: (not c.__name__.endswith("App"), c.__module__, c.__name__)))


def catalogue() -> list[BindingInfo]:
    """Every binding we declare, app first."""
    return [
        BindingInfo(b.id or "", b.key, b.description, cls.__name__, b.show)
        for cls in owners()
        for b in _bindings_of(cls)
    ]


def normalize(keys: str) -> list[str]:
    """Textual's spelling of each key in a comma-separated list ("?" -> "question_mark")."""
    return [_character_to_key(k) if len(k) == 1 else k for k in (k.strip() for k in keys.split(","))]


def key_problem(key: str) -> str | None:
    """Why Textual would never send this key name, or None when it is one."""
    if not key:
        return "an empty key (two commas, or a comma at the end?)"
    if len(key) == 1:
        return None if key.isprintable() and not key.isspace() else f"{key!r} is not a key name"
    *mods, base = key.split("+")
    wrong = [m for m in mods if m not in MODIFIERS]
    if wrong:
        return f"{key!r}: {wrong[0]!r} is not a modifier ({', '.join(MODIFIERS[:4])})"
    if not base:
        return f"{key!r} ends in '+' (write plus for the + key)"
    if len(base) == 1 or base in NAMED_KEYS:
        return None
    try:
        unicodedata.lookup(KEY_TO_UNICODE_NAME.get(base, base.replace("_", " ").upper()))
    except KeyError:
        return f"{key!r} is not a key name (e.g. ctrl+f, f2, T, question_mark, pageup)"
    return None


def _scopes(infos: list[BindingInfo]) -> dict[str, list[BindingInfo]]:
    """Bindings active together: each class's own plus what it inherits."""
    by_owner: dict[str, list[BindingInfo]] = {}
    classes = {c.__name__: c for c in owners()}
    own: dict[str, list[BindingInfo]] = {}
    for i in infos:
        own.setdefault(i.owner, []).append(i)
    for name, cls in classes.items():
        merged: list[BindingInfo] = []
        for base in reversed(cls.__mro__):
            merged += own.get(base.__name__, []) if base.__name__ in classes else []
        by_owner[name] = merged
    return by_owner


def check_keymap(keymap: Mapping[str, str], line_of: Callable[[str], int | None] = lambda _id: None) -> list[Problem]:
    """Everything wrong with a keymap: unknown ids, bad key names, collisions."""
    infos = catalogue()
    known = {i.id: i for i in infos}
    problems: list[Problem] = []
    good: dict[str, list[str]] = {}
    for binding_id, keys in keymap.items():
        where, what = line_of(binding_id), f"keymap.{binding_id}"
        if binding_id not in known:
            close = difflib.get_close_matches(binding_id, list(known), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(Problem(where, what, f"no binding has this id{hint}; `stakeworks config keys` lists them"))
            continue
        names = normalize(keys)
        bad = [p for p in (key_problem(k) for k in names) if p]
        if bad:
            problems.append(Problem(where, what, bad[0]))
            continue
        good[binding_id] = names
    problems += _collisions(infos, good, line_of)
    return problems


def _effective(info: BindingInfo, keymap: Mapping[str, list[str]]) -> list[str]:
    return keymap.get(info.id) or normalize(info.keys)


def _collisions(
    infos: list[BindingInfo], keymap: Mapping[str, list[str]], line_of: Callable[[str], int | None]
) -> list[Problem]:
    """A remapped key that another binding in the same place also answers to.

    The same place: the same screen or widget (with what it inherits), or the
    app's own bindings, which every screen and widget would shadow.
    """
    problems: list[Problem] = []
    reported: set[tuple[str, str]] = set()
    app = [i for i in infos if i.owner.endswith("App")]

    def clash(mine: BindingInfo, key: str, other: BindingInfo, place: str) -> None:
        if (mine.id, key) in reported:
            return
        reported.add((mine.id, key))
        problems.append(
            Problem(
                line_of(mine.id),
                f"keymap.{mine.id}",
                f"{format_key(key)} is already {other.description} ({other.id}) {place}",
            )
        )

    for owner, scope in _scopes(infos).items():
        place = "everywhere" if owner.endswith("App") else f"on {owner}"
        for mine in scope:
            if mine.id not in keymap:
                continue
            for key in keymap[mine.id]:
                for other in scope:
                    if other.id != mine.id and key in _effective(other, keymap):
                        clash(mine, key, other, place)
                if owner.endswith("App"):
                    continue
                for other in app:
                    if key in _effective(other, keymap):
                        clash(mine, key, other, "(the app's key: this would hide it here)")
    for mine in app:
        for key in keymap.get(mine.id, []):
            for owner, scope in _scopes(infos).items():
                if owner.endswith("App"):
                    continue
                for other in scope:
                    if key in _effective(other, keymap) and other.id not in keymap:
                        clash(mine, key, other, f"on {owner}, which would keep it there")
    return problems


def usable(keymap: Mapping[str, str], problems: Iterable[Problem]) -> dict[str, str]:
    """The keymap without the entries that have a problem (those keep their default keys)."""
    bad = {p.key.removeprefix("keymap.") for p in problems}
    return {k: ",".join(normalize(v)) for k, v in keymap.items() if k not in bad}
