"""Deduplication at scale: onomast's embedded engine against splink, on the same synthetic records.

    python bench/dedupe.py [--records 1000000] [--splink-records 100000] [--seed 1]

Records come from bench/synthetic.py (seeded; people written in Cyrillic, in many
transliterations, orders, capitals and with typos; truth known). Each engine runs in its own
subprocess on the same input file, so its wall time and memory are its own. Memory is given
twice (bench/process_memory.py): "held", the peak of what the engine's process tree held at
once (the proportional set sizes of the process and all its descendants, summed, sampled every
0.2 s), which the 4 GiB target is checked on; and "rss", ru_maxrss of the process plus that of
its largest child (plus the JVM tree for Spark), the figure earlier runs reported. "rss" is
neither a bound nor exact: it counts pages forked workers share with their parent twice, adds
peaks reached at different times, and misses all children but the largest when several run at
once:

- onomast: names.dedupe() on the name column, default threshold, --workers worker processes.
- splink 5 (DuckDB backend), set up the way its documentation recommends for names: the names are
  first reduced to ASCII (unidecode; without it splink cannot compare Cyrillic with Latin),
  split into first name / middle / surname (a comma means "Surname, Given"), with a Metaphone
  column per name (jellyfish); blocking on phonetic surname, on first name with the surname's
  first letters and on first name / surname swapped; NameComparison (exact with term frequencies,
  Jaro-Winkler levels, phonetic) on first name and surname, Jaro-Winkler on the middle name;
  probability of a match estimated from deterministic rules, u by random sampling, m by EM;
  predict, then cluster at several match-probability thresholds. Its F1 is reported at each
  threshold and at the best one (an optimistic figure for splink: chosen on these very records).

Pairwise precision, recall and F1 against the truth come from contingency counts (sum of C(n, 2)
over truth x cluster cells), never from enumerating pairs. splink runs at --splink-records (it
does not finish 1M name-only records in reasonable time on two cores); onomast runs at that size
too, so the F1 comparison is like for like, and at --records for the scale targets of issue 6
(<= 60 s and <= 4 GiB for 1M records on this machine).

    python bench/dedupe.py --worker onomast --input FILE --labels OUT   (internal: one engine)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.process_memory import PssSampler  # noqa: E402

TARGET_SECONDS = 60.0
TARGET_GIB = 4.0
TARGET_RECORDS = 1_000_000
SPLINK_CLUSTER_THRESHOLDS = (0.2, 0.35, 0.5, 0.8, 0.9, 0.95)
SPLINK_PREDICT_THRESHOLD = 0.1


# --------------------------------------------------------------------------- metrics


def pairwise_metrics(truth: Sequence[int], predicted: Sequence[int]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the truth.

    A pair of records is predicted when both share a cluster, true when both share an entity.
    Counts come from the contingency table: true positives are the sum of C(n, 2) over the
    (entity, cluster) cells, so no pair is ever enumerated."""
    t = np.unique(np.asarray(truth, dtype=np.int64), return_inverse=True)[1].astype(np.int64)
    p = np.unique(np.asarray(predicted, dtype=np.int64), return_inverse=True)[1].astype(np.int64)
    if len(t) != len(p):
        raise ValueError(f"{len(t)} truth labels but {len(p)} predicted labels")

    def pairs(labels: np.ndarray) -> int:
        counts = np.unique(labels, return_counts=True)[1].astype(np.int64)
        return int((counts * (counts - 1) // 2).sum())

    cell = t * (int(p.max(initial=0)) + 1) + p
    tp = pairs(cell)
    predicted_pairs = pairs(p)
    true_pairs = pairs(t)
    precision = tp / predicted_pairs if predicted_pairs else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": true_pairs,
        "predicted_pairs": predicted_pairs,
        "true_positive_pairs": tp,
        "clusters": int(p.max(initial=-1)) + 1,
        "entities": int(t.max(initial=-1)) + 1,
    }


# --------------------------------------------------------------------------- workers


def _peak_rss_mib() -> float:
    """Peak resident memory of this process plus that of its largest finished child (worker
    processes): the "rss" figure (see the module docstring for why it is neither a bound nor
    exact). Linux reports ru_maxrss in KiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024.0


def _read_input(path: str) -> tuple[list[int], list[str]]:
    ids, texts = [], []
    with open(path, encoding="utf-8") as handle:
        next(handle)  # header
        for line in handle:
            rid, _, text = line.rstrip("\n").partition("\t")
            ids.append(int(rid))
            texts.append(text)
    return ids, texts


def _write_labels(path: str, labels: Sequence[int]) -> None:
    np.asarray(labels, dtype=np.int64).tofile(path)


def worker_onomast(args: argparse.Namespace) -> dict:
    import names

    load_start = time.perf_counter()
    _, texts = _read_input(args.input)
    load_seconds = time.perf_counter() - load_start
    rss_before = _peak_rss_mib()
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    with PssSampler() as held:
        result = names.dedupe(texts, workers=args.workers)
    seconds = time.perf_counter() - start
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
    codes: dict[str, int] = {}
    labels = [codes.setdefault(c, len(codes)) for c in result.cluster_of_row]
    _write_labels(args.labels, labels)
    return {
        "engine": "onomast",
        "rows": len(texts),
        "seconds": seconds,
        "load_seconds": load_seconds,
        "peak_rss_mib": _peak_rss_mib(),
        "held_pss_mib": held.peak_mib,
        "rss_before_mib": rss_before,
        "summary": result.stats.summary(),
        "returned_rows": len(result.cluster_of_row),
    }


def worker_spark(args: argparse.Namespace) -> dict:
    """names.spark.dedupe on local[2] (bench/dedupe_spark.py), measured like the others."""
    from bench.dedupe_spark import run_spark

    ids, texts = _read_input(args.input)
    with PssSampler() as held:
        info = run_spark(
            [(rid, text, None) for rid, text in zip(ids, texts, strict=True)],
            master=args.spark_master,
        )
    _write_labels(args.labels, info.pop("labels"))
    return {
        "engine": "spark",
        "rows": len(texts),
        "seconds": info["seconds"],
        "session_seconds": info.get("session_seconds"),
        # this process, plus the JVM and its Python workers (children of the JVM, not ours)
        "peak_rss_mib": _peak_rss_mib() + (info.get("jvm_tree_peak_mib") or 0.0),
        "held_pss_mib": held.peak_mib,
        "summary": info.get("summary", ""),
        "returned_rows": len(texts),
    }


def splink_fields(text: str, unidecode, metaphone) -> dict:
    """A name split the way a splink user would do it without onomast: ASCII, lower case, a
    comma meaning "Surname, Given", else first word = first name and last word = surname."""
    import re

    ascii_text = unidecode(text).lower()
    ascii_text = re.sub(r"['`\u2019\u02b9\u02bc\"]", "", ascii_text)
    head, comma, tail = ascii_text.partition(",")
    if comma:
        sur_words = re.findall(r"[a-z]+", head)
        rest = re.findall(r"[a-z]+", tail)
        surname = sur_words[-1] if sur_words else None
        first = rest[0] if rest else None
        middle = rest[1] if len(rest) > 1 else None
    else:
        words = re.findall(r"[a-z]+", ascii_text)
        first = words[0] if words else None
        surname = words[-1] if len(words) > 1 else None
        middle = words[1] if len(words) > 2 else None
    return {
        "first_name": first,
        "middle": middle,
        "surname": surname,
        "first_name_mp": metaphone(first) if first else None,
        "surname_mp": metaphone(surname) if surname else None,
    }


def _splink_name_comparison(cll, cl, column: str, other: str, *, initials: bool):
    """splink's NameComparison levels (null, exact with term frequencies, Jaro-Winkler 0.92 /
    0.88, phonetic, Jaro-Winkler 0.7, else), plus the columns-reversed level that splink's
    ForenameSurnameComparison uses for swapped orders and, for first names, an initials level."""
    levels = [
        cll.NullLevel(column),
        cll.ExactMatchLevel(column).configure(tf_adjustment_column=column),
        cll.ColumnsReversedLevel(column, other, symmetrical=True),
        cll.JaroWinklerLevel(column, 0.92),
        cll.JaroWinklerLevel(column, 0.88),
        cll.ArrayIntersectLevel(f"{column}_dm", min_intersection=1),
    ]
    if initials:
        levels.append(
            cll.CustomLevel(
                f"(length({column}_l) = 1 or length({column}_r) = 1) and "
                f"substr({column}_l, 1, 1) = substr({column}_r, 1, 1)",
                label_for_charts="initial agrees",
            )
        )
    levels += [cll.JaroWinklerLevel(column, 0.7), cll.ElseLevel()]
    return cl.CustomComparison(levels, output_column_name=column)


def worker_splink(args: argparse.Namespace) -> dict:
    import logging

    import jellyfish
    import pandas as pd
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    from unidecode import unidecode

    logging.getLogger("splink").setLevel(logging.WARNING)
    load_start = time.perf_counter()
    ids, texts = _read_input(args.input)
    load_seconds = time.perf_counter() - load_start
    rss_before = _peak_rss_mib()
    start = time.perf_counter()
    held = PssSampler().start()
    rows = []
    for rid, text in zip(ids, texts, strict=True):
        row = splink_fields(text, unidecode, jellyfish.metaphone)
        row["unique_id"] = rid
        row["first_name_dm"] = [row["first_name_mp"]] if row["first_name_mp"] else None
        row["surname_dm"] = [row["surname_mp"]] if row["surname_mp"] else None
        rows.append(row)
    frame = pd.DataFrame(rows)
    del rows
    prep_seconds = time.perf_counter() - start

    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            _splink_name_comparison(cll, cl, "first_name", "surname", initials=True),
            _splink_name_comparison(cll, cl, "surname", "first_name", initials=False),
            cl.JaroWinklerAtThresholds("middle", [0.9, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("surname_mp"),
            block_on("first_name_mp", "substr(surname, 1, 2)"),
            "l.first_name_mp = r.surname_mp and l.surname_mp = r.first_name_mp",
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    db_api = DuckDBAPI()
    table = db_api.register(frame, dataset_display_name="records")
    linker = Linker(table, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("first_name", "surname")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=args.seed)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname_mp"), estimate_without_term_frequencies=True
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name_mp", "substr(surname, 1, 1)"),
        estimate_without_term_frequencies=True,
    )
    predictions = linker.inference.predict(threshold_match_probability=SPLINK_PREDICT_THRESHOLD)
    position = {rid: i for i, rid in enumerate(ids)}
    per_threshold = {}
    seconds = None
    for threshold in SPLINK_CLUSTER_THRESHOLDS:
        clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
            predictions, threshold_match_probability=threshold
        )
        got = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").fetchall()
        if seconds is None:  # the pipeline up to the first clustering is the timed run
            seconds = time.perf_counter() - start
        codes: dict = {}
        labels = [-1] * len(ids)
        for rid, cluster in got:
            labels[position[rid]] = codes.setdefault(cluster, len(codes))
        for i, label in enumerate(labels):  # rows splink dropped: singletons
            if label < 0:
                labels[i] = len(codes) + i
        out = f"{args.labels}.{threshold}"
        _write_labels(out, labels)
        per_threshold[str(threshold)] = out
    pairs = predictions.as_duckdbpyrelation().count("*").fetchone()[0]
    return {
        "engine": "splink",
        "rows": len(texts),
        "seconds": seconds,
        "prep_seconds": prep_seconds,
        "load_seconds": load_seconds,
        "peak_rss_mib": _peak_rss_mib(),
        "held_pss_mib": held.stop(),
        "rss_before_mib": rss_before,
        "predicted_pairs_above_predict_threshold": pairs,
        "labels_by_threshold": per_threshold,
        "summary": f"{pairs} scored pairs kept at p >= {SPLINK_PREDICT_THRESHOLD}",
    }


# --------------------------------------------------------------------------- driver


def _write_input(path: Path, records: Sequence[tuple[int, str, int]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("record_id\tname\n")
        for rid, text, _ in records:
            handle.write(f"{rid}\t{text}\n")


def run_engine(
    engine: str, input_path: Path, workdir: Path, args: argparse.Namespace, size: int
) -> dict:
    labels = workdir / f"{engine}-{size}.labels"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        engine,
        "--input",
        str(input_path),
        "--labels",
        str(labels),
        "--workers",
        str(args.workers),
        "--seed",
        str(args.seed),
        "--spark-master",
        args.spark_master,
    ]
    if engine == "onomast" and args.profile and size == args.records:
        cmd += ["--profile", args.profile]
    start = time.perf_counter()
    try:
        done = subprocess.run(
            cmd, capture_output=True, text=True, timeout=args.timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return {"engine": engine, "rows": size, "error": f"did not finish in {args.timeout} s"}
    wall = time.perf_counter() - start
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        return {"engine": engine, "rows": size, "error": f"exit {done.returncode}:\n{tail}"}
    info = json.loads(done.stdout.strip().splitlines()[-1])
    info["process_wall_seconds"] = wall
    if engine in ("onomast", "spark"):
        info["labels"] = str(labels)
    return info


def evaluate(info: dict, truth: Sequence[int]) -> dict:
    if "error" in info:
        return info
    if info["engine"] in ("onomast", "spark"):
        labels = np.fromfile(info["labels"], dtype=np.int64)
        info["metrics"] = pairwise_metrics(truth, labels)
        info["returned_once"] = info["returned_rows"] == len(truth)
        return info
    best = None
    info["metrics_by_threshold"] = {}
    for threshold, path in info["labels_by_threshold"].items():
        metrics = pairwise_metrics(truth, np.fromfile(path, dtype=np.int64))
        info["metrics_by_threshold"][threshold] = metrics
        if best is None or metrics["f1"] > best[1]["f1"]:
            best = (threshold, metrics)
    assert best is not None
    info["best_threshold"] = best[0]
    info["metrics"] = best[1]
    return info


def _fmt_row(label: str, info: dict) -> str:
    if "error" in info:
        first = info["error"].splitlines()[0]
        return f"  {label:<34} {info['rows']:>9,}  {first}"
    m = info["metrics"]
    gib = info["peak_rss_mib"] / 1024
    held = info.get("held_pss_mib", float("nan")) / 1024
    rate = info["rows"] / info["seconds"] if info["seconds"] else float("inf")
    return (
        f"  {label:<34} {info['rows']:>9,} {info['seconds']:>9.1f} {held:>8.2f} {gib:>8.2f}"
        f" {rate:>10,.0f} {m['precision']:>7.4f} {m['recall']:>7.4f} {m['f1']:>7.4f}"
    )


def report(results: dict[str, dict], args: argparse.Namespace) -> None:
    print()
    print(
        f"  {'engine':<34} {'records':>9} {'seconds':>9} {'held GiB':>8} {'rss GiB':>8}"
        f" {'rows/s':>10} {'prec':>7} {'recall':>7} {'F1':>7}"
    )
    for label, info in results.items():
        print(_fmt_row(label, info))
        if info.get("engine") == "splink" and "metrics_by_threshold" in info:
            for threshold, m in info["metrics_by_threshold"].items():
                print(
                    f"      cluster at p >= {threshold:<5}{'':>53}"
                    f" {m['precision']:>7.4f} {m['recall']:>7.4f} {m['f1']:>7.4f}"
                )
    ono_small = results.get(f"onomast@{args.splink_records}")
    spl = results.get(f"splink@{args.splink_records}")
    print()
    if ono_small and spl and "error" not in ono_small and "error" not in spl:
        print(f"  ratios at {args.splink_records:,} records (onomast / splink):")
        print(f"    time        {ono_small['seconds'] / spl['seconds']:.2f}x")
        print(f"    memory held {ono_small['held_pss_mib'] / spl['held_pss_mib']:.2f}x")
        print(
            f"    F1          {ono_small['metrics']['f1']:.4f} vs {spl['metrics']['f1']:.4f}"
            f" (splink at its best threshold {spl['best_threshold']})"
        )
        better = ono_small["metrics"]["f1"] > spl["metrics"]["f1"]
        print(f"  target: better F1 than splink ........ {'MET' if better else 'NOT MET'}")
    big = results.get(f"onomast@{args.records}")
    if big:
        if "error" in big:
            print(f"  target: onomast at {args.records:,} records: {big['error'].splitlines()[0]}")
        else:
            scale = TARGET_RECORDS / args.records
            note = "" if args.records == TARGET_RECORDS else f" (measured at {args.records:,})"
            secs_ok = big["seconds"] <= TARGET_SECONDS / scale
            mem_ok = big["held_pss_mib"] / 1024 <= TARGET_GIB
            print(
                f"  target: <= {TARGET_SECONDS:.0f} s for 1M records ... "
                f"{'MET' if secs_ok else 'NOT MET'}: {big['seconds']:.1f} s{note}"
            )
            print(
                f"  target: <= {TARGET_GIB:.0f} GiB held ............ "
                f"{'MET' if mem_ok else 'NOT MET'}: {big['held_pss_mib'] / 1024:.2f} GiB{note}"
                f" (rss {big['peak_rss_mib'] / 1024:.2f} GiB)"
            )
            print(f"  every record returned once: {big['returned_once']}")
            print(f"  onomast: {big['summary']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=TARGET_RECORDS)
    parser.add_argument("--splink-records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--workers", type=int, default=-1, help="onomast worker processes (-1: one per core)"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per engine run")
    parser.add_argument("--skip-splink", action="store_true")
    parser.add_argument("--skip-large", action="store_true", help="only the splink-size runs")
    parser.add_argument("--profile", help="cProfile stats file for the large onomast run")
    parser.add_argument("--keep", help="directory for the inputs and labels (default: temp)")
    parser.add_argument("--json", help="write all figures to this JSON file")
    # internal: one engine in this process
    parser.add_argument(
        "--engine",
        choices=("embedded", "spark"),
        default="embedded",
        help="spark: also run names.spark.dedupe on the large size, beside the embedded engine",
    )
    parser.add_argument("--spark-master", default="local[2]")
    parser.add_argument("--worker", choices=("onomast", "splink", "spark"), help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--labels", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        run = {"onomast": worker_onomast, "splink": worker_splink, "spark": worker_spark}[
            args.worker
        ]
        print(json.dumps(run(args)))
        return

    from bench.synthetic import generate, truth_summary

    workdir = Path(args.keep or tempfile.mkdtemp(prefix="onomast-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    sizes = [args.splink_records]
    if not args.skip_large and args.records != args.splink_records:
        sizes.append(args.records)
    results: dict[str, dict] = {}
    print(f"bench/dedupe.py: seed {args.seed}, {os.cpu_count()} cores, work dir {workdir}")
    for size in sizes:
        start = time.perf_counter()
        records = generate(size, args.seed)
        gen_seconds = time.perf_counter() - start
        summary = truth_summary(records)
        print(
            f"generated {size:,} records in {gen_seconds:.1f} s: {summary['entities']:,} entities,"
            f" {summary['distinct_names']:,} distinct names, {summary['true_pairs']:,} true pairs"
        )
        truth = [entity for _, _, entity in records]
        input_path = workdir / f"records-{size}.tsv"
        _write_input(input_path, records)
        del records
        engines = ["onomast"]
        if size == args.splink_records and not args.skip_splink:
            engines.append("splink")
        if args.engine == "spark" and size == max(sizes):
            engines.append("spark")
        for engine in engines:
            print(f"running {engine} on {size:,} records ...", flush=True)
            info = evaluate(run_engine(engine, input_path, workdir, args, size), truth)
            results[f"{engine}@{size}"] = info
            print(_fmt_row(f"{engine}@{size}", info), flush=True)
    report(results, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
