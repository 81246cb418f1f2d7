"""docs/architecture.md opens with a map of the tree; the map and the tree must agree."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("kiosk", "drivers", "offline_cache", "ui", "reference_platform")
MAX_TOP_MODULES = 10


def mapped_packages() -> set[str]:
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## Map of the tree", 1)[1].split("\n## ", 1)[0]
    return {m.group(1).rstrip("/") for m in re.finditer(r"^\| `([\w/]+/)` \|", section, re.MULTILINE)}


def tree_packages() -> set[str]:
    return {
        str(init.parent.relative_to(REPO))
        for root in ROOTS
        for init in (REPO / root).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }


def test_every_package_is_on_the_map_and_every_row_is_a_package() -> None:
    mapped, tree = mapped_packages(), tree_packages()
    assert not tree - mapped, f"packages missing from the map: {sorted(tree - mapped)}"
    assert not mapped - tree, f"rows for packages that do not exist: {sorted(mapped - tree)}"


def test_the_top_of_kiosk_keeps_only_the_shared_modules() -> None:
    top = sorted(p.stem for p in (REPO / "kiosk").glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, f"{len(top)} modules at the top of kiosk/: {top}"
    row = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8").split("| `kiosk/` |", 1)[1].split("\n", 1)[0]
    named = set(re.findall(r"`(\w+)`", row))
    missing = [stem for stem in top if not stem.startswith("__") and stem not in named]
    assert not missing, f"top-level modules the map does not describe: {missing}"
