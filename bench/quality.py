"""Matching quality against the peers, measured in the same run on the same pairs.

    python bench/quality.py [--peer-bench PATH] [--matrix 2000]

1. The development set (tests/data/devset.tsv): onomast at its default decision; unidecode +
   rapidfuzz token_sort_ratio at the threshold that is best for it on these very pairs (an
   optimistic figure for the baseline); nomenklatura's LogicV2 at 0.70 (yente's default).
   Average precision, F1, precision, recall, false merges and false merges between relatives.
2. The peer's own benchmark (nomenklatura name_bench cases.csv): its Person pairs, then its
   organisations' (Company, Organization, LegalEntity), each schema given to LogicV2 as such:
   onomast at its default decision beside LogicV2 at 0.70.
3. compare_many throughput on an N x N matrix of distinct names from the corpora.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz  # noqa: E402
from unidecode import unidecode  # noqa: E402

import names  # noqa: E402
from names.evaluation import (  # noqa: E402
    Pair,
    best_f1,
    load_devset_pairs,
    load_peer_pairs,
    measure,
)

PEER_DEFAULT = REPO / "tests" / "data" / "peer" / "nomenklatura-name-bench.csv"
LOGIC_V2_THRESHOLD = 0.70


def onomast_scores(pairs: Sequence[Pair]) -> list[float]:
    """Scores for many pairs: one matrix over the distinct names, then look-ups."""
    distinct = sorted({p.a for p in pairs} | {p.b for p in pairs})
    index = {n: i for i, n in enumerate(distinct)}
    matrix = names.compare_many(distinct, distinct)
    return [
        float(max(matrix[index[p.a], index[p.b]], matrix[index[p.b], index[p.a]])) for p in pairs
    ]


def baseline_scores(pairs: Sequence[Pair]) -> list[float]:
    return [
        fuzz.token_sort_ratio(unidecode(p.a).lower(), unidecode(p.b).lower()) / 100.0 for p in pairs
    ]


def logic_v2() -> Callable[[Sequence[Pair], str], list[float]] | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algorithm = get_algorithm("logic-v2")
    config = ScoringConfig.defaults()

    def entity(text: str, schema: str, ident: str):  # noqa: ANN202
        proxy = model.make_entity(schema)
        proxy.id = ident
        proxy.add("name", text)
        return proxy

    def scores(pairs: Sequence[Pair], schema: str = "Person") -> list[float]:
        # a fresh id per entity: LogicV2 caches what it learns of an entity by its id
        out = []
        for i, p in enumerate(pairs):
            left, right = entity(p.a, schema, f"q{i}"), entity(p.b, schema, f"c{i}")
            out.append(algorithm.compare(left, right, config).score)
        return out

    return scores


def row(label: str, pairs: Sequence[Pair], scores: Sequence[float], threshold: float) -> None:
    q = measure(pairs, scores, threshold)
    print(
        f"  {label:<44} AP {q.average_precision:.3f}  F1 {q.f1:.3f}  P {q.precision:.3f}  "
        f"R {q.recall:.3f}  false merges {q.false_merges} (relatives {q.false_merges_hard})"
    )


def corpus_names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    pool: list[str] = []
    for name in ("be-corpus.tsv", "ru-corpus.tsv", "lt-corpus.tsv"):
        path = REPO / "tests" / "data" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                pool.append(line.split("\t")[0])
    pool = sorted(set(pool))
    rng.shuffle(pool)
    return pool[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--peer-bench", type=Path, default=PEER_DEFAULT)
    parser.add_argument("--matrix", type=int, default=2000)
    parser.add_argument("--no-logicv2", action="store_true", help="Skip the LogicV2 peer.")
    args = parser.parse_args()
    peer = None if args.no_logicv2 else logic_v2()

    pairs = load_devset_pairs(REPO / "tests" / "data" / "devset.tsv")
    persons = load_devset_pairs(REPO / "tests" / "data" / "devset.tsv", kinds=("person",))
    positives = sum(p.is_match for p in pairs)
    hard = sum(p.hard for p in pairs)
    print(f"Development set: {len(pairs)} pairs ({positives} positive, {hard} hard negatives)")
    ours = onomast_scores(pairs)
    row(f"onomast (threshold {names.DEFAULT_THRESHOLD:.2f})", pairs, ours, names.DEFAULT_THRESHOLD)
    base = baseline_scores(pairs)
    t_base, _ = best_f1(pairs, base)
    row(f"unidecode + token_sort_ratio (best t={t_base:.2f})", pairs, base, t_base)
    if peer is not None:
        start = time.perf_counter()
        theirs = peer(pairs, "Person")
        seconds = time.perf_counter() - start
        row(f"nomenklatura LogicV2 (t={LOGIC_V2_THRESHOLD})", pairs, theirs, LOGIC_V2_THRESHOLD)
        print(f"  (LogicV2 took {seconds:.1f} s)")
    print(f"Development set, persons only: {len(persons)} pairs")
    row("onomast", persons, onomast_scores(persons), names.DEFAULT_THRESHOLD)

    if args.peer_bench.exists():
        bench = load_peer_pairs(args.peer_bench)
        print(f"Peer benchmark ({args.peer_bench.name}, Person): {len(bench)} pairs")
        row("onomast", bench, onomast_scores(bench), names.DEFAULT_THRESHOLD)
        if peer is not None:
            row(
                f"nomenklatura LogicV2 (t={LOGIC_V2_THRESHOLD})",
                bench,
                peer(bench, "Person"),
                LOGIC_V2_THRESHOLD,
            )
        for schema in ("Company", "Organization", "LegalEntity"):
            orgs = load_peer_pairs(args.peer_bench, schema)
            print(f"Peer benchmark ({args.peer_bench.name}, {schema}): {len(orgs)} pairs")
            row("onomast", orgs, onomast_scores(orgs), names.DEFAULT_THRESHOLD)
            if peer is not None:
                label = f"nomenklatura LogicV2 (t={LOGIC_V2_THRESHOLD})"
                row(label, orgs, peer(orgs, schema), LOGIC_V2_THRESHOLD)
    else:
        print(f"(peer benchmark {args.peer_bench} not found; skipped)")

    sample = corpus_names(args.matrix, 5)
    prepared = (
        names.prepare_many(sample)
        if hasattr(names, "prepare_many")
        else [names.prepare(s) for s in sample]
    )
    start = time.perf_counter()
    matrix = names.compare_many(prepared, prepared)
    seconds = time.perf_counter() - start
    cells = matrix.shape[0] * matrix.shape[1]
    print(
        f"compare_many: {matrix.shape[0]} x {matrix.shape[1]} prepared names in {seconds:.2f} s"
        f" = {cells / seconds:,.0f} pairs/s"
    )


if __name__ == "__main__":
    main()
