"""Input size limits count the bytes actually read: devices and pipes report a size of 0."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from alliance_c2.cli import run
from alliance_c2.model import CatalogError
from alliance_c2.model.yamlsource import read_input_file


def test_validate_dev_zero_stops_at_the_limit(capsys) -> None:
    assert run(["validate", "/dev/zero"]) == 2
    err = capsys.readouterr().err
    assert err == "/dev/zero:1: file too large (more than 64 MiB, the limit for input files)\n"


def test_import_from_standard_input_stops_at_the_limit() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "alliance_c2.cli", "import", "/dev/stdin", "--format", "json"],
        input=b"\0" * (65 * 2**20), capture_output=True, timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.decode() == "alliance-c2: error: /dev/stdin:1: file too large (more than 64 MiB, the limit for input files)\n"


def test_a_pipe_that_never_ends_is_read_only_up_to_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    written = []

    def writer() -> None:
        try:
            with fifo.open("wb") as fh:
                while sum(written) < 10 * 2**20:  # far more than the limit below
                    fh.write(b"a" * 4096)
                    written.append(4096)
        except BrokenPipeError:
            pass

    thread = threading.Thread(target=writer)
    thread.start()
    with pytest.raises(CatalogError, match="file too large"):
        read_input_file(fifo, max_bytes=100_000)
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert sum(written) < 10 * 2**20  # the reader stopped; the writer saw a broken pipe


def test_a_small_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 1000)
    assert read_input_file(path, max_bytes=1000) == b"x" * 1000
    with pytest.raises(CatalogError, match="more than 999 bytes"):
        read_input_file(path, max_bytes=999)
