"""No function in product code a reader must scroll: at most 80 lines from `def` to its last line
(issue 29). Nested functions and methods count on their own, and inside their parent."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

MAX_LINES = 80
# The real folders: stakeworks/db, stakeworks/screens and stakeworks/widgets are links to the last three.
PRODUCT = [ROOT / "stakeworks", ROOT / "db", ROOT / "screens", ROOT / "widgets"]
LINKED = {"db", "screens", "widgets"}


def _sources() -> list[Path]:
    found = []
    for folder in PRODUCT:
        for path in folder.rglob("*.py"):
            inside = path.relative_to(ROOT).parts
            if inside[0] == "stakeworks" and inside[1] in LINKED:
                continue  # read once, from the folder the link points to
            found.append(path)
    return sorted(found)


def function_lengths(source: str, where: str) -> dict[str, int]:
    """`where:Class.name` of every function (methods and nested ones too) and its lines, `def` to end."""
    lengths: dict[str, int] = {}

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                name = f"{prefix}{child.name}"
                if not isinstance(child, ast.ClassDef) and child.end_lineno is not None:
                    lengths[f"{where}:{name}"] = max(
                        lengths.get(f"{where}:{name}", 0), child.end_lineno - child.lineno + 1
                    )
                visit(child, f"{name}.")
            else:
                visit(child, prefix)

    visit(ast.parse(source, where), "")
    return lengths


def _all_lengths() -> dict[str, int]:
    lengths: dict[str, int] = {}
    for path in _sources():
        lengths |= function_lengths(path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix())
    return lengths


def test_no_product_function_is_over_80_lines() -> None:
    lengths = _all_lengths()
    assert len(lengths) > 1000  # the folders are where this test thinks they are
    too_long = sorted(f"{name}: {n} lines" for name, n in lengths.items() if n > MAX_LINES)
    assert too_long == [], "split these into named steps:\n" + "\n".join(too_long)


def test_the_measure_counts_nested_functions_and_methods() -> None:
    body = "\n".join(f"        x = {i}" for i in range(MAX_LINES))
    source = (
        f"class A:\n    def long(self) -> None:\n{body}\n\n    def short(self) -> None:\n        def inner() -> None:\n"
        "            pass\n\n\nclass B:\n    def short(self) -> None:\n        pass\n"
    )
    lengths = function_lengths(source, "a.py")
    assert lengths == {"a.py:A.long": MAX_LINES + 1, "a.py:A.short": 3, "a.py:A.short.inner": 2, "a.py:B.short": 2}


def test_the_layer_links_point_at_the_top_level_folders() -> None:
    """docs/architecture.md, "The linked folders": a checkout without symlinks turns these into files."""
    for name in sorted(LINKED):
        link = ROOT / "stakeworks" / name
        assert link.is_symlink() and link.resolve() == (ROOT / name).resolve(), (
            f"stakeworks/{name} must be a link to ../{name} (clone with core.symlinks=true)"
        )
