"""Which PostgreSQL the tests use: $ALLIANCE_C2_TEST_PG_URL, else the default URL when it answers.

Prints the URL to use on stdout (nothing when there is none) and, when the PostgreSQL tests will
be skipped, one line on stderr saying why. `make test` runs it before pytest.
"""

from __future__ import annotations

import os
import sys

ENV = "ALLIANCE_C2_TEST_PG_URL"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def reachable(url: str, timeout: int = 3) -> str | None:
    """None when a connection to `url` succeeds, else the reason it failed (one line)."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(url.replace("+psycopg", "", 1), connect_timeout=timeout):
            return None
    except psycopg.Error as exc:
        lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return lines[0] if lines else type(exc).__name__


def main(default_url: str = DEFAULT_URL) -> int:
    """Print the URL the tests should use; explain on stderr when there is none."""
    given = os.environ.get(ENV)
    if given:
        sys.stdout.write(given + "\n")
        return 0
    why = reachable(default_url)
    if why is None:
        sys.stdout.write(default_url + "\n")
        return 0
    sys.stderr.write(
        f"note: PostgreSQL tests will be skipped: cannot connect to {default_url} ({why}); "
        f"set {ENV} to run them\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_URL))
