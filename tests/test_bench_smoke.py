"""Smoke test of the dedupe benchmark's parts: the synthetic generator and the pairwise metrics,
and onomast's dedupe on 2,000 generated records (the benchmark itself is bench/dedupe.py)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import names  # noqa: E402
from bench.dedupe import pairwise_metrics  # noqa: E402
from bench.synthetic import generate  # noqa: E402

F1_FLOOR = 0.8


@pytest.fixture(scope="module")
def records() -> list[tuple[int, str, int]]:
    return generate(2000, seed=5)


def test_generator_is_seeded_and_shaped(records):
    assert len(records) == 2000
    assert [r[0] for r in records] == list(range(2000))
    assert generate(2000, seed=5) == records
    assert generate(2000, seed=6) != records
    sizes = Counter(entity for _, _, entity in records)
    assert 1 < len(records) / len(sizes) < 10  # several records per identity
    texts = [text for _, text, _ in records]
    assert any(names.detect_script(t) == "Cyrl" for t in texts)
    assert any(names.detect_script(t) == "Latn" for t in texts)
    assert any("," in t for t in texts)
    assert any(t.isupper() for t in texts)


def test_generator_writes_one_identity_many_ways(records):
    by_entity: dict[int, set[str]] = {}
    for _, text, entity in records:
        by_entity.setdefault(entity, set()).add(text)
    spellings = sorted(len(v) for v in by_entity.values())
    assert spellings[-1] >= 4
    mixed = [
        v for v in by_entity.values() if {names.detect_script(t) for t in v} >= {"Cyrl", "Latn"}
    ]
    assert len(mixed) > len(by_entity) // 10


def test_pairwise_metrics_from_contingency():
    truth = [1, 1, 1, 2, 2, 3]
    assert pairwise_metrics(truth, [7, 7, 7, 8, 8, 9])["f1"] == 1.0
    # clusters {0,1} {2,3,4} {5}: predicted pairs 1 + 3 = 4; true pairs 3 + 1 = 4;
    # right pairs: (0,1) and (3,4) = 2
    m = pairwise_metrics(truth, [0, 0, 1, 1, 1, 2])
    assert (m["true_positive_pairs"], m["predicted_pairs"], m["true_pairs"]) == (2, 4, 4)
    assert m["precision"] == pytest.approx(0.5) and m["recall"] == pytest.approx(0.5)
    assert pairwise_metrics(truth, list(range(6)))["recall"] == 0.0


def test_onomast_dedupe_on_generated_records(records):
    texts = [text for _, text, _ in records]
    result = names.dedupe(texts, workers=1)
    assert len(result.cluster_of_row) == len(records)  # every record returned once
    assert sorted(r for c in result.clusters for r in c.rows) == list(range(len(records)))
    codes: dict[str, int] = {}
    predicted = [codes.setdefault(c, len(codes)) for c in result.cluster_of_row]
    metrics = pairwise_metrics([e for _, _, e in records], predicted)
    assert metrics["f1"] > F1_FLOOR, metrics
