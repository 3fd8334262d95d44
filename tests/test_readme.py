"""The README and the editors' guide match the code they describe."""

from __future__ import annotations

import re

from calculators import registry
from kennisbank.posts import ALLOWED_KEYS

from .support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# The editors' reference tables live in the handbook, in Dutch.
EDITORS_GUIDE = (ROOT / "handbook" / "redacteuren.md").read_text(encoding="utf-8")


def test_the_field_table_lists_every_calculator_and_field() -> None:
    rows = dict(re.findall(r"^\| `(\w+)` \| (`.+`) \|$", EDITORS_GUIDE, re.MULTILINE))
    documented = {cid: re.findall(r"`(\w+)`", fields) for cid, fields in rows.items()}
    assert documented == {
        cid: [field.name for field in calculator.fields] for cid, calculator in registry.items()
    }


def test_the_frontmatter_table_lists_every_key() -> None:
    keys = re.findall(r"^\| `(\w+)` \| (?:ja|nee) \|", EDITORS_GUIDE, re.MULTILINE)
    assert keys == list(ALLOWED_KEYS)


def test_the_two_commands_are_the_make_targets() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("serve", "test", "build", "bench"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)
