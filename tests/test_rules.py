"""Every rule file: it loads, compiles in every direction, and every sample it carries passes."""

from __future__ import annotations

import pytest

import names
from names import translit
from names.rules import scheme_files

SCHEME_IDS = sorted(item.name[: -len(".toml")] for item in scheme_files())


def test_catalogue_is_not_empty() -> None:
    assert len(SCHEME_IDS) >= 8


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_rule_file_compiles(scheme_id: str) -> None:
    scheme = names.get_scheme(scheme_id)
    translit.compile_all_directions(scheme)
    assert scheme.id == scheme_id
    assert scheme.source and any(ch.isdigit() for ch in scheme.source), "source needs a year"


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_samples(scheme_id: str) -> None:
    scheme = names.get_scheme(scheme_id)
    assert len(scheme.samples) >= 20, "each scheme carries at least 20 samples from its standard"
    assert translit.sample_failures(scheme) == []


@pytest.mark.parametrize("scheme_id", SCHEME_IDS)
def test_all_caps_sample_sources(scheme_id: str) -> None:
    """Case is a property: transliterating the upper-cased source gives the upper-cased output.

    Single letters are left out: a lone capital is title case by design (Ш. → Sh.)."""
    scheme = names.get_scheme(scheme_id)
    misses = []
    for sample in scheme.samples:
        if any(sum(ch.isalpha() for ch in word) == 1 for word in sample.source.split()):
            continue
        opts = dict(sample.options)
        lower = names.transliterate(sample.source, scheme, options=opts)
        upper = names.transliterate(sample.source.upper(), scheme, options=opts)
        if upper != lower.upper():
            misses.append((sample.source, upper, lower.upper()))
    assert misses == []
