"""onomast: transliterate, normalise and match Belarusian, Russian and Lithuanian names.

The public surface is small: transliteration by named standard, parsing, keys, comparison,
resolution against a registry and deduplication, each with a batch form.
"""

from __future__ import annotations

from typing import Any

from names.errors import (
    InputError,
    OnomastError,
    RuleFileError,
    UnknownSchemeError,
    UsageError,
)
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
