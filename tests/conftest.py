"""Fixtures shared by the test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from names import lexicon

RULES = Path(__file__).resolve().parent.parent / "rules"


@pytest.fixture
def fake_rules(tmp_path, monkeypatch):
    """A copy of rules/lexicon under tmp_path that a test may break; caches cleared around."""
    lex = tmp_path / "lexicon"
    lex.mkdir()
    for f in (RULES / "lexicon").iterdir():
        (lex / f.name).write_bytes(f.read_bytes())
    monkeypatch.setattr(lexicon, "_rules_root", lambda: tmp_path)
    lexicon.clear_caches()
    yield lex
    lexicon.clear_caches()
