"""The Spark engine (names.spark.dedupe) on synthetic records, for bench/dedupe.py --engine spark.

    from bench.dedupe_spark import run_spark
    info = run_spark(records, master="local[2]")   # records: [(record_id, name, entity_id), ...]
    info["seconds"], info["labels"]                  # wall time, one cluster number per record

    python bench/dedupe_spark.py --records 100000 [--master local[2]] [--compare]

The records go to Spark as a DataFrame with their input position; the timed part is the
Spark job (dedupe and collecting the cluster ids back, in input order), not the session start
nor building the DataFrame. ``--compare`` also runs the embedded engine on the same records
and checks that the clusters are the same.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.process_memory import tree_peak_mib  # noqa: E402


def run_spark(
    records: Sequence[tuple[Any, str, Any]],
    master: str = "local[2]",
    *,
    spark: Any = None,
    shuffle_partitions: int | None = None,
) -> dict:
    """Time names.spark.dedupe on (record_id, name, entity_id) records.

    Returns seconds (the dedupe job), session_seconds (starting Spark), rows, labels (a cluster
    number per record, numbered by first appearance: the same numbering the embedded run gets
    from its cluster ids) and the run's summary line."""
    from names import spark as nspark

    session_start = time.perf_counter()
    # local mode: the driver is the executor, so its heap holds the shuffles (1 GiB by default)
    conf = {"spark.ui.showConsoleProgress": "false", "spark.driver.memory": "8g"}
    if shuffle_partitions is None:  # a few tens of thousands of names per task
        shuffle_partitions = max(8, len(records) // 40_000)
    conf["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    session = spark if spark is not None else nspark.spark_session(master, conf=conf)
    session_seconds = time.perf_counter() - session_start
    df = session.createDataFrame(
        [(n, str(rid), str(name)) for n, (rid, name, _entity) in enumerate(records)],
        "pos long, record_id string, name string",
    )
    start = time.perf_counter()
    out, stats = nspark.dedupe_with_stats(df, "name", order_column="pos")
    cluster_ids = [row[0] for row in out.select("cluster_id").toLocalIterator()]
    seconds = time.perf_counter() - start
    codes: dict[str, int] = {}
    labels = [codes.setdefault(c, len(codes)) for c in cluster_ids]
    gateway = getattr(session.sparkContext, "_gateway", None)
    jvm = getattr(getattr(gateway, "proc", None), "pid", None)
    return {
        "jvm_tree_peak_mib": tree_peak_mib(jvm) if jvm else None,
        "engine": "onomast-spark",
        "master": master,
        "rows": len(records),
        "seconds": seconds,
        "session_seconds": session_seconds,
        "labels": labels,
        "clusters": len(codes),
        "summary": stats.summary(),
    }


def _embedded_labels(records: Sequence[tuple[Any, str, Any]]) -> tuple[list[int], float]:
    from names.dedupe import dedupe

    start = time.perf_counter()
    result = dedupe([name for _rid, name, _entity in records])
    seconds = time.perf_counter() - start
    codes: dict[str, int] = {}
    return [codes.setdefault(c, len(codes)) for c in result.cluster_of_row], seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--shuffle-partitions", type=int, default=None)
    parser.add_argument("--compare", action="store_true", help="also run the embedded engine")
    parser.add_argument("--json", help="write the result (without labels) here")
    args = parser.parse_args()
    try:
        from bench.synthetic import generate
    except ImportError:
        sys.exit("bench/synthetic.py is needed to generate records")
    records = generate(args.records, seed=args.seed)
    info = run_spark(records, args.master, shuffle_partitions=args.shuffle_partitions)
    labels = info.pop("labels")
    print(
        f"spark {args.master}: {info['rows']:,} records in {info['seconds']:.1f} s "
        f"(session start {info['session_seconds']:.1f} s); {info['summary']}"
    )
    if args.compare:
        embedded, seconds = _embedded_labels(records)
        info["embedded_seconds"] = seconds
        info["same_as_embedded"] = embedded == labels
        print(f"embedded: {seconds:.1f} s; same clusters: {info['same_as_embedded']}")
    if args.json:
        Path(args.json).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
