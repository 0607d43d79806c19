"""The errors onomast raises on purpose: each says where the problem is and what it is.

Every other exception escaping the public API is a bug. The CLI turns these into one line on
stderr (exit 2 for usage errors, 1 for data errors) and never a traceback.
"""

from __future__ import annotations


class OnomastError(Exception):
    """Base class of every documented onomast error."""

    exit_code = 1


class RuleFileError(OnomastError):
    """A rule file is malformed: names the file, the key and the reason."""

    exit_code = 2

    def __init__(self, path: str, key: str, reason: str) -> None:
        self.path = str(path)
        self.key = key
        self.reason = reason
        where = f"{self.path}: {key}" if key else self.path
        super().__init__(f"{where}: {reason}")


class UnknownSchemeError(OnomastError, KeyError):
    """A scheme id that is not in the catalogue; lists the closest ids."""

    exit_code = 2

    def __init__(self, scheme_id: str, suggestions: list[str]) -> None:
        self.scheme_id = scheme_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown scheme {scheme_id!r}{hint} (onomast schemes lists them all)")

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class InputError(OnomastError):
    """Bad input data: names the file, the line and the field where known."""

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
        exit_code: int = 1,
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.reason = reason
        self.exit_code = exit_code
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {reason}" if prefix else reason)


class UsageError(InputError):
    """The request itself is wrong (missing file, unknown column, bad option): exit status 2."""

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(reason, path=path, line=line, field=field, exit_code=2)
