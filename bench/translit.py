"""Transliteration throughput against the peers, measured in the same run on the same names.

    python bench/translit.py [--names 200000] [--seed 7]

Belarusian: onomast be-passport (transliterate_many) vs PyICU's built-in Belarusian-Latin/BGN
and unidecode. Russian: onomast ru-bgn-pcgn vs PyICU's Russian-Latin/BGN and iuliia's bgn_pcgn.
Names are drawn (seeded) from the corpora in tests/data as "Given Surname" pairs, so words repeat
the way they do in real lists. One core; each figure is the best of three runs.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import icu  # noqa: E402
from unidecode import unidecode  # noqa: E402

import names  # noqa: E402


def corpus(name: str) -> list[str]:
    path = REPO / "tests" / "data" / name
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            items.append(line.split("\t")[0].strip())
    return [i for i in items if i]


def make_names(items: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    singles = [i for i in items if " " not in i]
    return [f"{rng.choice(singles)} {rng.choice(singles)}" for _ in range(count)]


def best_rate(func: Callable[[list[str]], object], data: list[str], runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func(data)
        best = min(best, time.perf_counter() - start)
    return len(data) / best


def report(title: str, ours: tuple[str, float], peers: list[tuple[str, float]]) -> None:
    print(title)
    print(f"  {ours[0]:<40} {ours[1]:>12,.0f} names/s")
    for label, rate in peers:
        print(f"  {label:<40} {rate:>12,.0f} names/s   onomast is {ours[1] / rate:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    be = make_names(corpus("be-corpus.tsv"), args.names, args.seed)
    names.transliterate_many(be[:10], "be-passport")  # compile outside the timing
    icu_be = icu.Transliterator.createInstance("Belarusian-Latin/BGN")
    report(
        f"Belarusian, {len(be):,} names",
        (
            "onomast be-passport transliterate_many",
            best_rate(lambda d: names.transliterate_many(d, "be-passport"), be),
        ),
        [
            (
                "PyICU Belarusian-Latin/BGN (per name)",
                best_rate(lambda d: [icu_be.transliterate(x) for x in d], be),
            ),
            ("unidecode (per name)", best_rate(lambda d: [unidecode(x) for x in d], be)),
        ],
    )
    ru_path = REPO / "tests" / "data" / "ru-corpus.tsv"
    if ru_path.exists():
        import iuliia

        ru = make_names(corpus("ru-corpus.tsv"), args.names, args.seed)
        names.transliterate_many(ru[:10], "ru-bgn-pcgn")
        icu_ru = icu.Transliterator.createInstance("Russian-Latin/BGN")
        report(
            f"Russian, {len(ru):,} names",
            (
                "onomast ru-bgn-pcgn transliterate_many",
                best_rate(lambda d: names.transliterate_many(d, "ru-bgn-pcgn"), ru),
            ),
            [
                (
                    "PyICU Russian-Latin/BGN (per name)",
                    best_rate(lambda d: [icu_ru.transliterate(x) for x in d], ru),
                ),
                (
                    "iuliia bgn_pcgn (per name)",
                    best_rate(
                        lambda d: [iuliia.translate(x, iuliia.BGN_PCGN) for x in d], ru, runs=1
                    ),
                ),
            ],
        )
    print(f"(distinct names: be {len(set(be)):,}; one process, one core)")


if __name__ == "__main__":
    main()
