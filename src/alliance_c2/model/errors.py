"""Errors and warnings that name the file and line they are about."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One finding of validation: where, what, and whether it stops loading."""

    path: str
    line: int
    message: str
    severity: str = "error"  # "error" | "warning"

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CatalogError(Exception):
    """A catalog file cannot be used; carries the first problem (and all of them)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(str(problems[0]))


class UnknownIdError(LookupError):
    """An identifier given on the command line or to the API is not in the catalog."""

    def __init__(self, what: str, value: str, choices: list[str]) -> None:
        self.what = what
        self.value = value
        self.choices = choices
        super().__init__(self.describe())

    def describe(self) -> str:
        import difflib

        close = difflib.get_close_matches(self.value, self.choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown {self.what} {self.value!r}{hint}; choose from: {', '.join(self.choices)}"
