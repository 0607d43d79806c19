"""Canonical identities: load a registry, index it by keys, resolve names to identities.

Resolution is open-set: a name that reaches no identity's decision threshold resolves to
nothing, so a person who is not in the registry is never forced onto someone who is.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from names.compare import DEFAULT_THRESHOLD, compare, compare_many
from names.errors import InputError, UsageError
from names.io import read_table
from names.keys import Prepared, prepare

__all__ = ["Identity", "Candidate", "Registry", "RESOLVE_LINE_COLUMNS", "resolve_rows"]

RESOLVE_LINE_COLUMNS = ("name", "id", "canonical_name", "score", "reasons")

GENDERS = {"m": "m", "male": "m", "f": "f", "female": "f", "": None, "-": None, "u": None}


@dataclass
class Identity:
    """One canonical identity: an id, its names (the first is canonical) and attributes."""

    id: str
    names: list[str]
    gender: str | None = None
    birth_date: str | None = None
    country: str | None = None

    @property
    def canonical_name(self) -> str:
        return self.names[0] if self.names else ""


@dataclass(frozen=True)
class Candidate:
    """A registry identity proposed for a name, with the evidence."""

    id: str
    canonical_name: str
    score: float
    reasons: list[str] = field(default_factory=list)
    matched_name: str = ""


def _aliases(value: str | None) -> list[str]:
    if value is None:
        return []
    text = value.strip()
    if not text:
        return []
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, list):
            return [str(i).strip() for i in items if str(i).strip()]
    sep = "|" if "|" in text else ";"
    return [item.strip() for item in text.split(sep) if item.strip()]


class Registry:
    """Identities indexed by the keys of all their names."""

    def __init__(self, identities: Iterable[Identity], *, threshold: float = DEFAULT_THRESHOLD):
        self.identities: list[Identity] = list(identities)
        self.threshold = threshold
        self._names: list[Prepared] = []
        self._owner: list[int] = []
        self._index: dict[str, set[int]] = defaultdict(set)
        for ident_i, identity in enumerate(self.identities):
            for text in identity.names:
                prepared = prepare(text)
                name_i = len(self._names)
                self._names.append(prepared)
                self._owner.append(ident_i)
                for key in prepared.keys:
                    self._index[key].add(name_i)

    def __len__(self) -> int:
        return len(self.identities)

    @classmethod
    def from_records(
        cls,
        records: Iterable[Mapping[str, Any]],
        *,
        path: str = "<records>",
        threshold: float = DEFAULT_THRESHOLD,
    ) -> Registry:
        """Build from mappings with keys id, name, and optionally aliases, gender, birth_date,
        country. Rows sharing an id add names to that identity."""
        by_id: dict[str, Identity] = {}
        for line, record in enumerate(records, start=2):
            number = record.get("__line__", line) if isinstance(record, dict) else line
            ident = str(record.get("id") or "").strip()
            name = str(record.get("name") or "").strip()
            if not ident:
                raise InputError("empty id", path=path, line=number, field="id")
            if not name:
                raise InputError("empty name", path=path, line=number, field="name")
            gender_raw = str(record.get("gender") or "").strip().lower()
            if gender_raw not in GENDERS:
                raise InputError(
                    f"gender {gender_raw!r} is not m, f or empty",
                    path=path,
                    line=number,
                    field="gender",
                )
            gender = GENDERS[gender_raw]
            names_ = [name, *_aliases(record.get("aliases"))]
            known = by_id.get(ident)
            if known is None:
                by_id[ident] = Identity(
                    id=ident,
                    names=list(dict.fromkeys(names_)),
                    gender=gender,
                    birth_date=(record.get("birth_date") or None),
                    country=(record.get("country") or None),
                )
                continue
            if gender and known.gender and gender != known.gender:
                raise InputError(
                    f"id {ident!r} is given gender {known.gender} earlier and {gender} here",
                    path=path,
                    line=number,
                    field="gender",
                )
            known.gender = known.gender or gender
            for alias in names_:
                if alias not in known.names:
                    known.names.append(alias)
        return cls(by_id.values(), threshold=threshold)

    @classmethod
    def from_file(
        cls, path: str | Path, *, table: str | None = None, threshold: float = DEFAULT_THRESHOLD
    ) -> Registry:
        """Load a registry from CSV, TSV, JSONL or a SQLite table (sqlite:///file.db)."""
        source = str(path)
        data = read_table(source, column="name", table=table)
        if "id" not in data.columns:
            raise UsageError(
                f"a registry needs an 'id' column; the columns are {', '.join(data.columns)}",
                path=source,
            )
        records = ({**row.values, "__line__": row.line} for row in data)
        return cls.from_records(records, path=source, threshold=threshold)

    @classmethod
    def from_files(cls, paths: Sequence[str | Path], **kwargs: Any) -> Registry:
        """Several registry files as one (ids shared across files add names)."""
        identities: dict[str, Identity] = {}
        for path in paths:
            for identity in cls.from_file(path, **kwargs).identities:
                known = identities.get(identity.id)
                if known is None:
                    identities[identity.id] = identity
                else:
                    known.names.extend(n for n in identity.names if n not in known.names)
        return cls(identities.values(), threshold=kwargs.get("threshold", DEFAULT_THRESHOLD))

    def _candidate_names(self, query: Prepared) -> list[int]:
        found: set[int] = set()
        for key in query.keys:
            found.update(self._index.get(key, ()))
        return sorted(found)

    def _gender_allows(self, query: Prepared, ident: Identity) -> bool:
        return not (query.gender and ident.gender and query.gender != ident.gender)

    def _rank(
        self, query: Prepared, name_ids: list[int], scores: np.ndarray, limit: int
    ) -> list[Candidate]:
        best: dict[int, tuple[float, int]] = {}
        for name_i, score in zip(name_ids, scores, strict=True):
            ident_i = self._owner[name_i]
            if score >= self.threshold and (ident_i not in best or score > best[ident_i][0]):
                best[ident_i] = (float(score), name_i)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.identities[kv[0]].id))
        out = []
        for ident_i, (score, name_i) in ranked:
            identity = self.identities[ident_i]
            if not self._gender_allows(query, identity):
                continue
            matched = self._names[name_i]
            out.append(
                Candidate(
                    id=identity.id,
                    canonical_name=identity.canonical_name,
                    score=score,
                    reasons=compare(query, matched).reasons,
                    matched_name=matched.text,
                )
            )
            if len(out) >= limit:
                break
        return out

    def resolve(self, name: str, limit: int = 5) -> list[Candidate]:
        """The identities this name may be, best first; empty when none reaches the threshold."""
        return self.resolve_many([name], limit=limit)[0]

    def resolve_many(self, names_: Iterable[str], limit: int = 5) -> list[list[Candidate]]:
        """resolve() for many names: one key lookup and one score matrix per name."""
        results = []
        for text in names_:
            query = prepare(text)
            name_ids = self._candidate_names(query)
            if not name_ids:
                results.append([])
                continue
            scores = compare_many([query], [self._names[i] for i in name_ids], workers=1)[0]
            results.append(self._rank(query, name_ids, scores, limit))
        return results


def resolve_rows(registry: Registry, names_: Iterable[str]) -> Iterator[dict[str, str]]:
    """One output row per name: the best identity (or empty fields when there is none)."""
    for text in names_:
        found = registry.resolve(text, limit=1)
        best = found[0] if found else None
        yield {
            "name": text,
            "id": best.id if best else "",
            "canonical_name": best.canonical_name if best else "",
            "score": f"{best.score:.4f}" if best else "",
            "reasons": "; ".join(best.reasons) if best else "",
        }
