"""onomast: transliterate, normalise and match Belarusian, Russian and Lithuanian names.

The public surface is small: transliteration by named standard, parsing, keys, comparison,
resolution against a registry and deduplication, each with a batch form.
"""

from __future__ import annotations

from typing import Any

from names.compare import DEFAULT_THRESHOLD, Match, compare, compare_many
from names.dedupe import DedupeResult, dedupe
from names.errors import (
    InputError,
    OnomastError,
    RuleFileError,
    UnknownSchemeError,
    UsageError,
)
from names.keys import Prepared, keys, prepare, prepare_many
from names.lexicon import GivenName, given_name_class, given_name_classes, surname_stem
from names.parse import Name, NamePart, parse
from names.registry import Candidate, Registry
from names.rules import Scheme, rules_version
from names.translit import (
    detect_script,
    get_scheme,
    load_scheme,
    schemes,
    transliterate,
    transliterate_many,
)

__version__ = "0.1.0"

__all__ = [
    "Candidate",
    "DEFAULT_THRESHOLD",
    "DedupeResult",
    "GivenName",
    "Match",
    "Name",
    "NamePart",
    "Prepared",
    "Registry",
    "compare",
    "compare_many",
    "dedupe",
    "given_name_class",
    "given_name_classes",
    "keys",
    "parse",
    "prepare",
    "prepare_many",
    "surname_stem",
    "InputError",
    "OnomastError",
    "RULES_VERSION",
    "RuleFileError",
    "Scheme",
    "UnknownSchemeError",
    "UsageError",
    "detect_script",
    "get_scheme",
    "load_scheme",
    "schemes",
    "transliterate",
    "transliterate_many",
]


def __getattr__(name: str) -> Any:
    """RULES_VERSION is computed on first use: a digest of every rule file and the compiler."""
    if name == "RULES_VERSION":
        return rules_version()
    raise AttributeError(f"module 'names' has no attribute {name!r}")
