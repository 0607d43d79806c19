"""The dedupe of names.dedupe on Apache Spark, for tables that outgrow one machine.

Every stage runs the same pure functions as the embedded engine, so the same input gives the
same clusters, canonical names and confidences:

1. rows get a position (input order) and their name text; each distinct name is numbered by its
   first position, so name indices keep the embedded engine's order of first appearance;
2. blocks: ``mapInPandas`` over :func:`names.keys.prepare` and :func:`names.dedupe.block_keys`;
3. blocking: the names are grouped by block; each block's pairs come from
   :func:`names.dedupe.block_pairs` (the same cap and windows), each distinct pair is scored once
   by the matcher's ``NameTable`` in ``mapInPandas``;
4. links: the best score per pair, plus full-strength links between rows that share an id;
5. connected components of the links at or above the threshold by alternating large-star and
   small-star rounds over DataFrames (O(log² n) rounds), each round checkpointed;
6. clustering: each component's links go to :func:`names.dedupe.cluster_names` (the strongest
   links merge first, a cannot-link refuses a merge, so no chaining; the pairs a merge needs
   that no block compared are scored there, from the component's texts). The clusters of a
   component do not depend on the rest of the data, so this is the embedded result exactly;
7. labels ``C000001``… numbered by each cluster's first row, the canonical name by
   :func:`names.dedupe.canonical_form` and the confidence as the embedded engine computes it.

``dedupe(df)`` takes and returns a PySpark DataFrame; ``dedupe_table_spark`` is the file-to-file
form behind ``onomast dedupe --engine spark``. PySpark (with pandas and pyarrow) is the optional
extra ``onomast[spark]``; it is imported only here.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from names.compare import DEFAULT_THRESHOLD, NameTable
from names.dedupe import (
    BLOCK_CAP,
    CANNOT_LINK,
    OUTPUT_COLUMNS,
    DedupeStats,
    Links,
    block_keys,
    block_pairs,
    canonical_form,
    cluster_names,
    missing_scorer,
)
from names.errors import UsageError
from names.keys import prepare

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["dedupe", "dedupe_with_stats", "dedupe_table_spark", "spark_session"]

_P = "__onomast_"
POS, TEXT, IDENT = f"{_P}pos", f"{_P}text", f"{_P}id"
_CHUNK = 200_000  # pairs per pandas frame handed back to Spark
_MAX_ROUNDS = 100  # connected-component rounds before giving up (O(log² n) are needed)


def _import_spark() -> Any:
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import functions as F  # noqa: N812
    except ImportError:
        raise UsageError(
            "the Spark engine needs PySpark: pip install 'onomast[spark]' (and Java 17+)"
        ) from None
    return F


def _col(F: Any, name: str) -> Any:  # noqa: N803
    """A column by its exact name (dots and backticks in a name are not paths)."""
    return F.col("`" + name.replace("`", "``") + "`")


# --------------------------------------------------------------------------- worker functions
# Module-level functions: Spark pickles them by reference, so every executor needs `names`
# importable (installed, or shipped; see README "Running on a cluster").


def _keys_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """(idx, text) -> (idx, text, block, asker), one row per block of a distinct name."""
    import pandas as pd

    for frame in batches:
        idx_out: list[int] = []
        text_out: list[str] = []
        block_out: list[str] = []
        asker_out: list[bool] = []
        for idx, text in zip(frame["idx"].tolist(), frame["text"].tolist(), strict=True):
            for block, asker in block_keys(prepare(text)):
                idx_out.append(idx)
                text_out.append(text)
                block_out.append(block)
                asker_out.append(asker)
        yield pd.DataFrame(
            {
                "idx": np.array(idx_out, dtype=np.int64),
                "text": pd.Series(text_out, dtype=object),
                "block": pd.Series(block_out, dtype=object),
                "asker": np.array(asker_out, dtype=bool),
            }
        )


def _make_pairer(cap: int, counters: Any = None) -> Any:
    """The mapInPandas function turning blocks (idxs, texts, askers; in index order) into the
    pairs they ask for: block_pairs(), as the embedded engine forms them."""

    def pair_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        blocks = split = 0
        for frame in batches:
            a_out: list[np.ndarray] = []
            b_out: list[np.ndarray] = []
            for idxs, texts, askers in zip(
                frame["idxs"].tolist(),
                frame["texts"].tolist(),
                frame["askers"].tolist(),
                strict=True,
            ):
                blocks += 1
                split += len(idxs) > cap
                a, b = block_pairs(idxs, askers, list(texts), cap)
                a_out.append(a)
                b_out.append(b)
            yield pd.DataFrame(
                {
                    "a": np.concatenate(a_out) if a_out else np.zeros(0, np.int64),
                    "b": np.concatenate(b_out) if b_out else np.zeros(0, np.int64),
                }
            )
        if counters is not None:
            counters[0].add(blocks)
            counters[1].add(split)

    return pair_batches


def _make_scorer(counter: Any = None) -> Any:
    """The mapInPandas function scoring pairs: (a, b, ta, tb) -> (a, b, score)."""

    def score_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        pairs = 0
        for frame in batches:
            texts: dict[str, int] = {}
            left = [texts.setdefault(t, len(texts)) for t in frame["ta"].tolist()]
            right = [texts.setdefault(t, len(texts)) for t in frame["tb"].tolist()]
            table = NameTable(list(texts))
            score = table.scores(left, right, workers=1)  # Spark runs one task per core
            pairs += len(score)
            yield pd.DataFrame(
                {
                    "a": frame["a"].to_numpy(dtype=np.int64),
                    "b": frame["b"].to_numpy(dtype=np.int64),
                    "score": score.astype(np.float32),
                }
            )
        if counter is not None:
            counter.add(pairs)

    return score_batches


def _make_clusterer(threshold: float, counter: Any = None) -> Any:
    """The mapInPandas function clustering each strong component: (a, b, score arrays; the
    component's name indices and texts) -> (node, root) for every node of the component."""

    def cluster_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import pandas as pd

        scored = 0

        def count(pairs: int) -> None:
            nonlocal scored
            scored += pairs

        for frame in batches:
            node_out: list[np.ndarray] = []
            root_out: list[np.ndarray] = []
            for la, lb, ls, idxs, texts in zip(
                frame["a"].tolist(),
                frame["b"].tolist(),
                frame["score"].tolist(),
                frame["idxs"].tolist(),
                frame["texts"].tolist(),
                strict=True,
            ):
                a = np.asarray(la, dtype=np.int64)
                b = np.asarray(lb, dtype=np.int64)
                score = np.asarray(ls, dtype=np.float32)
                # local indices in the same order as the global ones: cluster_names breaks ties
                # by index, so an order-keeping renumbering gives the same clusters
                nodes = np.asarray(idxs, dtype=np.int64)
                local = Links(np.searchsorted(nodes, a), np.searchsorted(nodes, b), score)
                roots = cluster_names(
                    len(nodes), local, threshold, missing_scorer(NameTable(list(texts)), count)
                )
                node_out.append(nodes)
                root_out.append(nodes[np.asarray(roots, dtype=np.int64)])
            yield pd.DataFrame(
                {
                    "node": np.concatenate(node_out) if node_out else np.zeros(0, np.int64),
                    "root": np.concatenate(root_out) if root_out else np.zeros(0, np.int64),
                }
            )
        if counter is not None:
            counter.add(scored)

    return cluster_batches


def _canonical_batches(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """(root, texts) -> (root, canonical_name)."""
    import pandas as pd

    for frame in batches:
        yield pd.DataFrame(
            {
                "root": frame["root"].to_numpy(dtype=np.int64),
                "canonical_name": pd.Series(
                    [canonical_form(list(t)) for t in frame["texts"].tolist()], dtype=object
                ),
            }
        )


# --------------------------------------------------------------------------- Spark stages


def _fresh(df: DataFrame) -> DataFrame:
    """``df`` checkpointed, as a leaf plan that forgets the statistics of the plan it came from.

    ``localCheckpoint`` keeps the size estimate of the plan it cuts, and Spark estimates a join
    as the product of its sides: over the rounds of an iterative join the estimate grows
    geometrically until the planner's BigInt overflows (seen at 1,000,000 records, inside the
    label propagation this module used before). Re-wrapping the checkpointed rows resets it."""
    cut = df.localCheckpoint()
    session = cut.sparkSession
    jdf = session._jsparkSession.createDataFrame(cut._jdf.rdd(), cut._jdf.schema())
    try:  # PySpark 4 keeps the JVM-backed DataFrame in pyspark.sql.classic
        from pyspark.sql.classic.dataframe import DataFrame as ClassicFrame
    except ImportError:  # PySpark 3.5
        from pyspark.sql import DataFrame as ClassicFrame
    return ClassicFrame(jdf, session)


def _components(edges: DataFrame, F: Any) -> DataFrame:  # noqa: N803
    """Connected components of undirected edges (a, b): (node, comp), comp = the smallest node.

    The alternating large-star / small-star rounds of Kiveris et al. (2014, "Connected
    components in MapReduce and beyond"): each round re-points edges at smaller nodes until
    every component is one star around its smallest node, in O(log² n) rounds on any graph.
    (Plain minimum-label propagation, even with pointer jumping, needs about as many rounds as
    the longest path: more than 200 on a 5,000-node chain.)"""
    star = _fresh(
        edges.where(F.col("a") != F.col("b"))
        .select(F.least("a", "b").alias("a"), F.greatest("a", "b").alias("b"))
        .distinct()
    )
    for _ in range(_MAX_ROUNDS):
        star = _small_star(_large_star(star, F), F)
        if _is_stars(star, F):
            centres = star.select(F.col("b").alias("node"), F.col("b").alias("comp")).distinct()
            leaves = star.select(F.col("a").alias("node"), F.col("b").alias("comp"))
            return leaves.union(centres)
    raise RuntimeError(f"connected components did not converge in {_MAX_ROUNDS} rounds")


def _large_star(edges: DataFrame, F: Any) -> DataFrame:  # noqa: N803
    """Every node's larger neighbours are re-linked to the smallest of its neighbourhood."""
    both = edges.union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    least = both.groupBy("a").agg(F.least(F.col("a"), F.min("b")).alias("m"))
    return _fresh(
        both.where(F.col("b") > F.col("a"))
        .join(least, "a")
        .select(F.col("b").alias("a"), F.col("m").alias("b"))
        .where(F.col("a") != F.col("b"))
        .distinct()
    )


def _small_star(edges: DataFrame, F: Any) -> DataFrame:  # noqa: N803
    """Every node and its smaller neighbours are linked to the smallest of them.

    Edges come in as (larger, smaller) pairs in some order; they leave as (node, smaller)."""
    down = edges.select(F.greatest("a", "b").alias("a"), F.least("a", "b").alias("b"))
    least = down.groupBy("a").agg(F.min("b").alias("m"))
    linked = down.join(least, "a")
    return _fresh(
        linked.select(F.col("b").alias("a"), F.col("m").alias("b"))
        .union(least.select("a", F.col("m").alias("b")))
        .where(F.col("a") != F.col("b"))
        .distinct()
    )


def _is_stars(edges: DataFrame, F: Any) -> bool:  # noqa: N803
    """True when edges (node, smaller) form disjoint stars: one edge per node, centres bare."""
    if edges.groupBy("a").count().where(F.col("count") > 1).limit(1).count():
        return False
    centres = edges.select(F.col("b").alias("a")).distinct()
    return edges.select("a").join(centres, "a", "left_semi").limit(1).count() == 0


def _number_clusters(roots: DataFrame, F: Any) -> tuple[DataFrame, int]:  # noqa: N803
    """(root, …) -> the same rows with n = 1-based rank of root, without one-partition sorts."""
    from pyspark.sql import Window

    ranged = (
        roots.repartitionByRange(max(1, roots.rdd.getNumPartitions()), "root")
        .withColumn("pid", F.spark_partition_id())
        .localCheckpoint()
    )
    counts = dict(ranged.groupBy("pid").count().collect())
    offsets, total = {}, 0
    for pid in sorted(counts):
        offsets[pid] = total
        total += counts[pid]
    if not offsets:
        return ranged.withColumn("n", F.lit(0).cast("long")), 0
    offset = F.create_map(*[x for pid, off in offsets.items() for x in (F.lit(pid), F.lit(off))])
    numbered = ranged.withColumn(
        "n", F.row_number().over(Window.partitionBy("pid").orderBy("root")) + offset[F.col("pid")]
    )
    return numbered.drop("pid"), total


def dedupe_with_stats(
    df: DataFrame,
    column: str = "name",
    id_column: str | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    block_cap: int = BLOCK_CAP,
    order_column: str | None = None,
    keep_order: bool = True,
) -> tuple[DataFrame, DedupeStats]:
    """:func:`dedupe` and the run's :class:`names.dedupe.DedupeStats` (counted as it ran)."""
    F = _import_spark()  # noqa: N806
    start = time.monotonic()
    spark = df.sparkSession
    sc = spark.sparkContext
    columns = list(df.columns)
    if column not in columns:
        raise UsageError(f"no column {column!r}; the columns are {', '.join(columns)}")
    if id_column is not None and id_column not in columns:
        raise UsageError(f"no id column {id_column!r}; the columns are {', '.join(columns)}")
    if order_column is not None and order_column not in columns:
        raise UsageError(f"no order column {order_column!r}; the columns are {', '.join(columns)}")
    clash = [c for c in (*OUTPUT_COLUMNS, POS, TEXT, IDENT) if c in columns]
    if clash:
        raise UsageError(f"the input already has column(s) {', '.join(clash)}")
    stats = DedupeStats()
    thr = F.lit(float(threshold)).cast("float")  # compared in float32, as numpy does
    weak = F.lit(float(CANNOT_LINK)).cast("float")

    # 1. rows: position, name text (None -> "", else its text), id as text
    pos = (
        _col(F, order_column).cast("long")
        if order_column is not None
        else F.monotonically_increasing_id()
    )
    ident = (
        _col(F, id_column).cast("string") if id_column is not None else F.lit(None).cast("string")
    )
    text = F.coalesce(_col(F, column).cast("string"), F.lit(""))
    rows = df.select("*", pos.alias(POS), text.alias(TEXT), ident.alias(IDENT)).localCheckpoint()
    names = (
        rows.groupBy(TEXT)
        .agg(F.min(POS).alias("idx"), F.count("*").alias("nrows"))
        .select(F.col(TEXT).alias("text"), "idx", "nrows")
    ).localCheckpoint()

    # 2-3. keys, blocks, candidate pairs (each once), scores
    keys = names.mapInPandas(_keys_batches, "idx long, text string, block string, asker boolean")
    blocks = (
        keys.groupBy("block")
        .agg(F.sort_array(F.collect_list(F.struct("idx", "text", "asker"))).alias("m"))
        .where((F.size("m") >= 2) & F.exists("m", lambda x: x["asker"]))
        .select(
            F.col("m.idx").alias("idxs"),
            F.col("m.text").alias("texts"),
            F.col("m.asker").alias("askers"),
        )
    )
    counters = (sc.accumulator(0), sc.accumulator(0), sc.accumulator(0))
    pairs = blocks.mapInPandas(_make_pairer(block_cap, counters), "a long, b long").distinct()
    texts = names.select("idx", "text")

    def score(candidates: DataFrame) -> DataFrame:
        with_texts = candidates.join(
            texts.select(F.col("idx").alias("a"), F.col("text").alias("ta")), "a"
        ).join(texts.select(F.col("idx").alias("b"), F.col("text").alias("tb")), "b")
        return with_texts.select("a", "b", "ta", "tb").mapInPandas(
            _make_scorer(counters[2]), "a long, b long, score float"
        )

    scored = score(pairs)

    # 4. links: best score per pair, and rows sharing an id linked at 1.0
    parts = [scored]
    if id_column is not None:
        row_idx = (
            rows.where(F.col(IDENT).isNotNull())
            .select(IDENT, TEXT)
            .join(names.select(F.col("text").alias(TEXT), "idx"), TEXT)
        )
        first = row_idx.groupBy(IDENT).agg(F.min("idx").alias("first"))
        parts.append(
            row_idx.join(first, IDENT)
            .where(F.col("idx") != F.col("first"))
            .select(F.col("first").alias("a"), F.col("idx").alias("b"), F.lit(1.0).cast("float"))
            .toDF("a", "b", "score")
        )
    unioned = parts[0] if len(parts) == 1 else parts[0].unionByName(parts[1])
    links = unioned.groupBy("a", "b").agg(F.max("score").alias("score")).localCheckpoint()

    # 5. strong components
    strong = links.where(F.col("score") >= thr).select("a", "b")
    comps = _components(strong, F) if not strong.isEmpty() else None

    # 6. clusters per component
    if comps is not None:
        ca = comps.select(F.col("node").alias("a"), F.col("comp").alias("ca"))
        cb = comps.select(F.col("node").alias("b"), F.col("comp").alias("cb"))
        inside = (
            links.where((F.col("score") >= thr) | (F.col("score") < weak))
            .join(ca, "a")
            .join(cb, "b")
            .where(F.col("ca") == F.col("cb"))
            .groupBy(F.col("ca").alias("comp"))
            .agg(F.collect_list(F.struct("a", "b", "score")).alias("m"))
        )
        node_texts = (
            comps.join(texts, comps.node == texts.idx)
            .groupBy("comp")
            .agg(F.sort_array(F.collect_list(F.struct("idx", "text"))).alias("t"))
        )
        inside = inside.join(node_texts, "comp").select(
            F.col("m.a").alias("a"),
            F.col("m.b").alias("b"),
            F.col("m.score").alias("score"),
            F.col("t.idx").alias("idxs"),
            F.col("t.text").alias("texts"),
        )
        found = inside.mapInPandas(_make_clusterer(threshold, counters[2]), "node long, root long")
        name_roots = names.join(found, names.idx == found.node, "left").select(
            "text", "idx", "nrows", F.coalesce("root", "idx").alias("root")
        )
    else:
        name_roots = names.select("text", "idx", "nrows", F.col("idx").alias("root"))
    name_roots = name_roots.localCheckpoint()

    # 7. labels, canonical names, confidence
    clusters = name_roots.groupBy("root").agg(
        F.count("*").alias("size"),
        F.sum("nrows").alias("nrows"),
        F.collect_list("text").alias("texts"),
    )
    clusters, n_clusters = _number_clusters(clusters, F)
    width = max(6, len(str(n_clusters)))
    canon = clusters.where(F.col("size") > 1).select("root", "texts")
    canon = canon.mapInPandas(_canonical_batches, "root long, canonical_name string")
    clusters = (
        clusters.join(canon, "root", "left")
        .select(
            "root",
            "size",
            "nrows",
            F.concat(F.lit("C"), F.lpad(F.col("n").cast("string"), width, "0")).alias("cluster_id"),
            F.coalesce("canonical_name", F.col("texts")[0]).alias("canonical_name"),
        )
        .localCheckpoint()
    )
    ra = name_roots.select(F.col("idx").alias("a"), F.col("root").alias("ra"))
    rb = name_roots.select(F.col("idx").alias("b"), F.col("root").alias("rb"))
    ends = (
        links.join(ra, "a")
        .join(rb, "b")
        .select(
            "a",
            "b",
            F.col("score").cast("double").alias("score"),
            (F.col("ra") == F.col("rb")).alias("same"),
        )
    )
    per_name = (
        ends.select(F.col("a").alias("idx"), "score", "same")
        .unionByName(ends.select(F.col("b").alias("idx"), "score", "same"))
        .groupBy("idx")
        .agg(
            F.max(F.when(F.col("same"), F.col("score"))).alias("inside"),
            F.max(F.when(~F.col("same"), F.col("score"))).alias("outside"),
        )
    )
    zero = F.lit(0.0).cast("double")
    confidence = F.when(
        F.col("size") > 1, F.coalesce(F.greatest(F.col("inside"), zero), F.lit(1.0))
    ).otherwise(F.lit(1.0) - F.coalesce(F.greatest(F.col("outside"), zero), zero))
    table = (
        name_roots.join(clusters, "root")
        .join(per_name, "idx", "left")
        .select(
            F.col("text").alias(TEXT),
            "cluster_id",
            "canonical_name",
            confidence.cast("double").alias("confidence"),
        )
    )
    out = rows.join(table, TEXT)
    if keep_order:
        out = out.orderBy(POS)
    out = out.select(*[_col(F, c) for c in columns], *OUTPUT_COLUMNS)

    totals = clusters.agg(F.sum("nrows"), F.sum("size"), F.max("nrows")).first()
    stats.rows, stats.distinct_names, stats.largest_cluster = (int(v or 0) for v in totals)
    stats.clusters = n_clusters
    stats.blocks = counters[0].value
    stats.blocks_split = counters[1].value
    stats.pairs_scored = counters[2].value
    stats.seconds = time.monotonic() - start
    return out, stats


def dedupe(
    df: DataFrame,
    column: str = "name",
    id_column: str | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    block_cap: int = BLOCK_CAP,
    order_column: str | None = None,
    keep_order: bool = True,
) -> DataFrame:
    """Cluster the rows of a PySpark DataFrame by the name in ``column``.

    Returns the input rows (all columns) plus ``cluster_id``, ``canonical_name`` and
    ``confidence`` (a double; the embedded engine's file output rounds it to 4 places), equal
    to :func:`names.dedupe.dedupe` on the same rows in the same order. Rows with the same
    ``id_column`` value are one identity from the start.

    Row order decides the name numbering and cluster ids. By default it is the DataFrame's own
    order (``monotonically_increasing_id``: the order of a file read, or of local data); give
    ``order_column`` (unique, sortable) when the input has no meaningful order of its own.
    The result is sorted by that order unless ``keep_order=False``. The input is evaluated once
    (it is checkpointed locally), so a non-deterministic source cannot disagree with itself."""
    out, _stats = dedupe_with_stats(
        df,
        column,
        id_column,
        threshold=threshold,
        block_cap=block_cap,
        order_column=order_column,
        keep_order=keep_order,
    )
    return out


# --------------------------------------------------------------------------- sessions, files


def _package_root() -> str:
    import names

    return os.path.dirname(os.path.dirname(os.path.abspath(names.__file__)))


def spark_session(
    master: str = "local[*]", app_name: str = "onomast", conf: dict[str, str] | None = None
) -> SparkSession:
    """A SparkSession for onomast (or the active one). For a local master, Python workers use
    this interpreter and see this copy of ``names``; on a cluster, ``names`` must be installed
    on the executors (see README, "Running on a cluster")."""
    _import_spark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master).appName(app_name)
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        root = _package_root()
        path = os.environ.get("PYTHONPATH", "")
        if root not in path.split(os.pathsep):
            os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (root, path) if p)
        cores = os.cpu_count() or 2
        builder = builder.config("spark.sql.shuffle.partitions", str(max(4, 2 * cores)))
        builder = builder.config("spark.ui.enabled", "false")
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _read_frame(spark: SparkSession, data: Any, columns: list[str]) -> DataFrame:
    """The rows of a names.io Table as a DataFrame of strings, with their position."""
    import pandas as pd
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    schema = StructType(
        [StructField(c, StringType(), True) for c in columns]
        + [StructField(POS, LongType(), False)]
    )
    frames = []
    batch: list[list[Any]] = []
    n = 0
    for row in data:
        values = row.values
        batch.append([values.get(c) for c in columns] + [n])
        n += 1
        if len(batch) >= 100_000:
            frames.append(pd.DataFrame(batch, columns=[*columns, POS], dtype=object))
            batch = []
    frames.append(pd.DataFrame(batch, columns=[*columns, POS], dtype=object))
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    frame[POS] = frame[POS].astype(np.int64)
    return spark.createDataFrame(frame, schema=schema)


def dedupe_table_spark(
    source: str,
    output: str = "-",
    *,
    column: str = "name",
    id_column: str | None = None,
    table: str | None = None,
    master: str = "local[*]",
    threshold: float | None = None,
    fmt: str | None = None,
    safe_csv: bool = False,
    encoding: str = "utf-8",
    errors: str = "strict",
    spark: SparkSession | None = None,
) -> DedupeStats:
    """``onomast dedupe --engine spark``: deduplicate a table file into an output file.

    The input is read by names.io (CSV, TSV, JSONL, Parquet, SQLite, exactly as the embedded
    engine reads it) and handed to Spark; the clustering runs on ``master``; the rows come back
    in input order and are written by names.io.write_table (atomically: a temporary file
    renamed on success). The output equals ``dedupe_table`` with the embedded engine."""
    _import_spark()
    from names.dedupe import open_input
    from names.io import output_format, write_table

    data = open_input(
        source, column=column, id_column=id_column, table=table, encoding=encoding, errors=errors
    )
    columns = list(data.columns)
    session = spark if spark is not None else spark_session(master)
    frame = _read_frame(session, data, columns)
    out, stats = dedupe_with_stats(
        frame.select(*columns, POS).withColumnRenamed(POS, f"{_P}order"),
        column=column,
        id_column=id_column,
        threshold=DEFAULT_THRESHOLD if threshold is None else threshold,
        order_column=f"{_P}order",
    )
    fmt = output_format(output, fmt)

    def records() -> Iterator[dict[str, Any]]:
        for row in out.toLocalIterator(prefetchPartitions=True):
            record = row.asDict()
            record["confidence"] = round(record["confidence"], 4)
            yield record

    all_columns = [*columns, *OUTPUT_COLUMNS]
    write_table(
        records(), all_columns, output, fmt=fmt, safe_csv=safe_csv, delimiter=data.csv_delimiter
    )
    return stats
