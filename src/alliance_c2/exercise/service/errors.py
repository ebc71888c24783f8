"""The one error type of the exercise service: a status code and a message for the person."""

from __future__ import annotations


class ExerciseError(Exception):
    """Bad input or a forbidden act; the API answers `status` with `{"detail": message}`."""

    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after  # seconds, for 429 and 503 answers


def not_found(what: str) -> ExerciseError:
    return ExerciseError(404, f"{what} not found in this exercise")


def invalid(message: str) -> ExerciseError:
    return ExerciseError(422, message)


def forbidden(message: str) -> ExerciseError:
    return ExerciseError(403, message)


def conflict(message: str) -> ExerciseError:
    return ExerciseError(409, message)
