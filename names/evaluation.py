"""Labelled name pairs and the quality measures the matcher is calibrated and benchmarked on.

The development set (tests/data/devset.tsv) lists spellings of identities; pairs are formed from
it: every pair within an identity is a positive, every pair across identities of one family
(spouses, parents and children, namesakes, similar surnames) a hard negative, and a seeded
sample of other cross-identity pairs easy negatives.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

__all__ = ["Pair", "load_devset_pairs", "load_peer_pairs", "Quality", "measure", "best_f1"]


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    is_match: bool
    hard: bool = False  # a negative between relatives or look-alikes
    group: str = ""


def load_devset_pairs(
    path: str | Path, *, easy_negatives: int = 3000, seed: int = 13, kinds: Sequence[str] = ()
) -> list[Pair]:
    """Positive, hard-negative and sampled easy-negative pairs from the development set."""
    by_entity: dict[str, list[str]] = defaultdict(list)
    family_of: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if kinds and row["kind"] not in kinds:
                continue
            by_entity[row["entity_id"]].append(row["spelling"])
            family_of[row["entity_id"]] = row["family"]
    pairs: list[Pair] = []
    for entity, spellings in sorted(by_entity.items()):
        for a, b in combinations(sorted(set(spellings)), 2):
            pairs.append(Pair(a, b, True, group=entity))
    entities = sorted(by_entity)
    by_family: dict[str, list[str]] = defaultdict(list)
    for entity in entities:
        if family_of[entity] and family_of[entity] != "-":
            by_family[family_of[entity]].append(entity)
    hard_pairs = set()
    for family, members in sorted(by_family.items()):
        for e1, e2 in combinations(members, 2):
            hard_pairs.add((e1, e2))
            for a in sorted(set(by_entity[e1])):
                for b in sorted(set(by_entity[e2])):
                    pairs.append(Pair(a, b, False, hard=True, group=family))
    rng = random.Random(seed)
    drawn = 0
    attempts = 0
    while drawn < easy_negatives and attempts < easy_negatives * 20 and len(entities) > 1:
        attempts += 1
        e1, e2 = rng.sample(entities, 2)
        if (e1, e2) in hard_pairs or (e2, e1) in hard_pairs:
            continue
        pairs.append(Pair(rng.choice(by_entity[e1]), rng.choice(by_entity[e2]), False))
        drawn += 1
    return pairs


def load_peer_pairs(path: str | Path, schema: str = "Person") -> list[Pair]:
    """The peer's labelled pairs (nomenklatura name_bench cases.csv layout)."""
    pairs = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if schema and row["schema"] != schema:
                continue
            pairs.append(
                Pair(
                    row["name1"],
                    row["name2"],
                    row["is_match"].strip().lower() == "true",
                    group=row.get("case_group", ""),
                )
            )
    return pairs


@dataclass(frozen=True)
class Quality:
    precision: float
    recall: float
    f1: float
    average_precision: float
    false_merges: int
    false_merges_hard: int
    pairs: int


def measure(pairs: Sequence[Pair], scores: Sequence[float], threshold: float) -> Quality:
    """Precision, recall and F1 at a threshold; average precision over the ranking; false
    merges (negatives at or above the threshold), and how many of those are hard negatives."""
    tp = fp = fn = hard_fp = 0
    for pair, score in zip(pairs, scores, strict=True):
        predicted = score >= threshold
        if predicted and pair.is_match:
            tp += 1
        elif predicted:
            fp += 1
            hard_fp += pair.hard
        elif pair.is_match:
            fn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(precision, recall, f1, average_precision(pairs, scores), fp, hard_fp, len(pairs))


def average_precision(pairs: Sequence[Pair], scores: Sequence[float]) -> float:
    """Area under the precision-recall curve: the sum over distinct score thresholds of the
    precision there times the recall gained (tied scores count together, as in scikit-learn)."""
    positives = sum(1 for p in pairs if p.is_match)
    if not positives:
        return 1.0
    by_score: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    for pair, score in zip(pairs, scores, strict=True):
        by_score[score][0 if pair.is_match else 1] += 1
    tp = fp = 0
    total = 0.0
    for score in sorted(by_score, reverse=True):
        hits, misses = by_score[score]
        tp += hits
        fp += misses
        total += (hits / positives) * (tp / (tp + fp))
    return total


def best_f1(pairs: Sequence[Pair], scores: Sequence[float]) -> tuple[float, float]:
    """The threshold that maximises F1 on these pairs, and that F1."""
    candidates = sorted(set(round(s, 4) for s in scores))
    best = (0.0, 0.0)
    for t in candidates:
        f1 = measure(pairs, scores, t).f1
        if f1 > best[1]:
            best = (t, f1)
    return best
