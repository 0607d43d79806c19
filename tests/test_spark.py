"""The Spark engine (names.spark) against the embedded engine (names.dedupe) on local[2].

Skipped, with the reason, only when PySpark or Java is missing; .ci/install-spark installs both.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from names.dedupe import dedupe

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install pyspark)")


def _java_missing() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not os.path.exists(java):
        return "no Java runtime (java not on PATH, JAVA_HOME unset); run .ci/install-spark"
    try:
        subprocess.run([java, "-version"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return f"java does not run: {exc}"
    return None


_NO_JAVA = _java_missing()
if _NO_JAVA:
    pytest.skip(_NO_JAVA, allow_module_level=True)

from names import spark as nspark  # noqa: E402


@pytest.fixture(scope="session")
def spark():
    session = nspark.spark_session(
        "local[2]",
        app_name="onomast-tests",
        conf={
            "spark.sql.shuffle.partitions": "4",
            "spark.default.parallelism": "4",
            "spark.ui.enabled": "false",
            "spark.ui.showConsoleProgress": "false",
            "spark.driver.memory": "2g",
        },
    )
    yield session
    session.stop()


# --------------------------------------------------------------------------- input


def _column(path: Path, field: str, delimiter: str = "\t") -> list[str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = [line for line in lines if not line.startswith("#")]
    return [row[field] for row in csv.DictReader(lines, delimiter=delimiter)]


def _corpus(path: Path, kinds: set[str]) -> list[str]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > 1 and cells[1] in kinds:
            found.append(cells[0])
    return found


def _variants(name: str, rng: random.Random) -> str:
    """Another way a table might hold the same name: upper case, "Surname, Given", initials."""
    words = name.split()
    pick = rng.randrange(4)
    if pick == 0 or len(words) < 2:
        return name.upper()
    if pick == 1:
        return f"{words[-1]}, {' '.join(words[:-1])}"
    if pick == 2:
        return f"{words[0][0]}. {words[-1]}"
    return f"{words[-1]} {' '.join(words[:-1])}"


def build_rows(total: int = 10_000, seed: int = 7) -> list[dict[str, str]]:
    """A deterministic table of `total` rows: the development set's spellings, the README's
    example table, corpus names (Belarusian people, Russian full names, Lithuanian given name +
    surname), re-spelled variants of some of them and exact duplicates."""
    rng = random.Random(seed)
    names = _column(DATA / "devset.tsv", "spelling")
    with open(ROOT / "examples" / "people.csv", encoding="utf-8", newline="") as fh:
        names += [row["name"] for row in csv.DictReader(fh)]
    names += _corpus(DATA / "be-corpus.tsv", {"person", "person-f", "person-m"})
    ru = [
        line
        for line in (DATA / "ru-corpus.tsv").read_text(encoding="utf-8").splitlines()
        if line.count(" ") == 2 and not line.startswith("#")
    ]
    names += rng.sample(ru, min(len(ru), 900))
    lt_given_m = _corpus(DATA / "lt-corpus.tsv", {"given-m"})
    lt_given_f = _corpus(DATA / "lt-corpus.tsv", {"given-f"})
    lt_sur_m = _corpus(DATA / "lt-corpus.tsv", {"surname-m"})
    lt_sur_f = _corpus(DATA / "lt-corpus.tsv", {"surname-f-married", "surname-f-unmarried"})
    for _ in range(300):
        names.append(f"{rng.choice(lt_given_m)} {rng.choice(lt_sur_m)}")
        names.append(f"{rng.choice(lt_given_f)} {rng.choice(lt_sur_f)}")
    base = list(names)
    names += [_variants(rng.choice(base), rng) for _ in range(len(base) // 3)]
    rows = []
    for n in range(total):
        text = names[n] if n < len(names) else rng.choice(names)
        rows.append({"record_id": f"r{n:05d}", "name": text, "source": f"s{n % 7}"})
    rng.shuffle(rows)
    # a few rows with one id: the same identity whatever the names say
    for k in range(0, 60, 3):
        rows[k + 1]["record_id"] = rows[k]["record_id"]
    return rows


# --------------------------------------------------------------------------- tests


def _spark_rows(spark, rows, **kwargs):
    columns = ["record_id", "name", "source"]
    df = spark.createDataFrame([[r[c] for c in columns] for r in rows], columns)
    return nspark.dedupe(df, "name", **kwargs).collect()


def _assert_same(rows, got, expected):
    assert len(got) == len(rows)
    wrong = []
    for i, (row, out) in enumerate(zip(rows, got, strict=True)):
        assert (out["record_id"], out["name"], out["source"]) == (
            row["record_id"],
            row["name"],
            row["source"],
        ), f"row {i} out of order"
        mine = (out["cluster_id"], out["canonical_name"], out["confidence"])
        theirs = (
            expected.cluster_of_row[i],
            expected.canonical_of_row[i],
            expected.confidence_of_row[i],
        )
        if mine != theirs:
            wrong.append((i, row["name"], mine, theirs))
    assert not wrong, f"{len(wrong)} rows differ, e.g. {wrong[:5]}"


def test_same_clusters_as_the_embedded_engine_on_10000_rows(spark):
    rows = build_rows()
    expected = dedupe(rows, "name", "record_id")
    # the input is a real test: many clusters with several distinct names, ids that merge
    assert expected.stats.rows == 10_000
    assert expected.stats.distinct_names > 3_000
    multi = [c for c in expected.clusters if len({rows[r]["name"] for r in c.rows}) > 1]
    assert len(multi) > 300
    got = _spark_rows(spark, rows, id_column="record_id")
    _assert_same(rows, got, expected)


NO_CHAIN = [
    "Sviatlana Tsikhanouskaya",
    "Святлана Ціханоўская",
    "Svetlana Tikhanovskaya",
    "Siarhei Tsikhanouski",
    "Сяргей Ціханоўскі",
    "Sergei Tikhanovsky",
    "S. Tsikhanouski",  # masculine ending: his
    "S. Tsikhanousk",  # no ending, so no gender: close to both of them
]


def test_one_ambiguous_record_does_not_chain_two_people(spark):
    from names.compare import DEFAULT_THRESHOLD, compare

    # the case is real: the ambiguous record is a strong match for both, who are different
    assert compare("S. Tsikhanousk", "Sviatlana Tsikhanouskaya").score >= DEFAULT_THRESHOLD
    assert compare("S. Tsikhanousk", "Siarhei Tsikhanouski").score >= DEFAULT_THRESHOLD
    assert not compare("Sviatlana Tsikhanouskaya", "Siarhei Tsikhanouski").match
    rows = [{"record_id": f"n{i}", "name": n, "source": "x"} for i, n in enumerate(NO_CHAIN)]
    expected = dedupe(rows, "name")
    got = _spark_rows(spark, rows)
    _assert_same(rows, got, expected)
    cluster = {r["name"]: r["cluster_id"] for r in got}
    assert cluster["Sviatlana Tsikhanouskaya"] == cluster["Святлана Ціханоўская"]
    assert cluster["Siarhei Tsikhanouski"] == cluster["Сяргей Ціханоўскі"]
    assert cluster["Siarhei Tsikhanouski"] == cluster["S. Tsikhanouski"]
    assert cluster["Sviatlana Tsikhanouskaya"] != cluster["Siarhei Tsikhanouski"]
    assert cluster["S. Tsikhanousk"] in (
        cluster["Sviatlana Tsikhanouskaya"],
        cluster["Siarhei Tsikhanouski"],
    )


def test_components_of_long_paths_in_shuffled_order(spark):
    """Two 1,500-node paths numbered at random, and a triangle: three components, each named by
    its smallest node. Minimum-label propagation needs hundreds of rounds here (and its plan
    statistics overflowed); the star rounds need about ten."""
    from pyspark.sql import functions as F

    rng = random.Random(11)
    order = list(range(3_003))
    rng.shuffle(order)
    first, second, triangle = order[:1_500], order[1_500:3_000], order[3_000:]
    edges = [(first[i], first[i + 1]) for i in range(len(first) - 1)]
    edges += [(second[i + 1], second[i]) for i in range(len(second) - 1)]
    edges += [(triangle[0], triangle[1]), (triangle[1], triangle[2]), (triangle[2], triangle[0])]
    edges += [(first[0], first[0])]  # a self-link changes nothing
    rng.shuffle(edges)
    df = spark.createDataFrame(edges, "a long, b long")
    got = dict(nspark._components(df, F).collect())
    expected = {n: min(path) for path in (first, second, triangle) for n in path}
    assert got == expected


def test_split_blocks_as_the_embedded_engine_splits_them(spark):
    with open(ROOT / "examples" / "people.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))[:300]
    expected = dedupe(rows, "name", block_cap=3)
    assert expected.stats.blocks_split > 0  # blocks over the cap, cut into windows
    got = _spark_rows(spark, rows, block_cap=3)
    _assert_same(rows, got, expected)


def test_file_to_file_equals_the_embedded_engine(spark, tmp_path):
    from names.dedupe import dedupe_table

    source = ROOT / "examples" / "people.csv"
    spark_out = tmp_path / "spark.csv"
    embedded_out = tmp_path / "embedded.csv"
    stats = nspark.dedupe_table_spark(
        str(source), str(spark_out), column="name", id_column="record_id", spark=spark
    )
    expected = dedupe_table(str(source), str(embedded_out), column="name", id_column="record_id")
    assert spark_out.read_text(encoding="utf-8") == embedded_out.read_text(encoding="utf-8")
    assert (stats.rows, stats.distinct_names, stats.clusters, stats.largest_cluster) == (
        expected.rows,
        expected.distinct_names,
        expected.clusters,
        expected.largest_cluster,
    )
    assert (stats.blocks, stats.blocks_split) == (expected.blocks, expected.blocks_split)


def test_bad_columns_are_usage_errors(spark):
    from names.errors import UsageError

    df = spark.createDataFrame([("a", "Ivan Ivanov")], ["id", "full_name"])
    with pytest.raises(UsageError, match="no column 'name'"):
        nspark.dedupe(df, "name")
    with pytest.raises(UsageError, match="no id column"):
        nspark.dedupe(df, "full_name", id_column="person")
    clash = spark.createDataFrame([("a", "Ivan Ivanov")], ["cluster_id", "name"])
    with pytest.raises(UsageError, match="already has"):
        nspark.dedupe(clash, "name")
