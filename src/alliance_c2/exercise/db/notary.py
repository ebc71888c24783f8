"""Signed checkpoints of the audit log, with a key and anchors kept outside the database.

The notary holds an Ed25519 private key in a file (mode 0600) in the user's config directory, or
wherever `--key FILE` / $ALLIANCE_C2_KEY says; `serve` creates it on first use. Every write
transaction that moves an exercise's log head signs the new head (database id, exercise, count,
hash, time) and stores the signature as a checkpoint row in the same transaction. After the COMMIT
the signed head is also appended to the exercise's anchor file in a directory beside the key; the
anchor is the newest head found there (appends are cheap where replacing a file costs an fsync, and
several server processes may append; a line cut short by a crash is skipped; a file grown large is
compacted to its newest line).

So someone who can write the database but not the key cannot append, recompute or wipe entries
without the signatures failing, nor cut entries off the end without falling short of the anchor.
Verification needs only the public key (`<key>.pub`, or derived from the private key).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from platformdirs import user_config_dir

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: anchors are replaced without a lock
    fcntl = None  # type: ignore[assignment]

KEY_ENV = "ALLIANCE_C2_KEY"
KEY_NAME = "exercise-signing-key.pem"
_TAIL_BYTES = 16_384  # an anchor line is about 400 bytes; appends of several processes interleave only a little
_COMPACT_BYTES = 1 << 20


class NotaryError(ValueError):
    """A key file that is missing, unreadable or of the wrong kind."""


def default_key_path() -> Path:
    """$ALLIANCE_C2_KEY, or `exercise-signing-key.pem` in the user's config directory."""
    if os.environ.get(KEY_ENV):
        return Path(os.environ[KEY_ENV])
    return Path(user_config_dir("alliance-c2", appauthor=False)) / KEY_NAME


def public_key_path(key_path: Path) -> Path:
    return key_path.with_name(key_path.name + ".pub")


def anchors_dir(key_path: Path) -> Path:
    """The anchors beside a key, whether given as the private key or as its `.pub` file."""
    name = key_path.name.removesuffix(".pub")
    return key_path.with_name(name + ".anchors")


def read_anchor(key_path: Path, database: str, exercise: int) -> Anchor | None:
    """The newest anchor of an exercise kept beside the key (None when that key never signed it)."""
    return _newest(anchors_dir(key_path) / database / f"{exercise}.jsonl")


@dataclass(frozen=True, slots=True)
class Anchor:
    """A signed log head: the first `seq` entries of an exercise's log end in `head`.

    `adopted`: signed after the fact, for a log written before it had checkpoints.
    """

    database: str
    exercise: int
    seq: int
    head: str
    at: str
    adopted: bool
    key_id: str
    signature: str

    def payload(self) -> bytes:
        signed = {"database": self.database, "exercise": self.exercise, "seq": self.seq, "head": self.head,
                  "at": self.at, "adopted": self.adopted}
        return json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Anchor:
        try:
            return cls(str(data["database"]), int(data["exercise"]), int(data["seq"]), str(data["head"]),
                       str(data["at"]), bool(data["adopted"]), str(data["key_id"]), str(data["signature"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise NotaryError(f"not a signed checkpoint: {exc}") from None


class Verifier:
    """Checks signatures with a public key."""

    def __init__(self, public: Ed25519PublicKey) -> None:
        self._public = public
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def load(cls, path: Path) -> Verifier:
        """From a private key file, or a public one (`<key>.pub`)."""
        data = _read(path)
        if b"PRIVATE KEY" in data:
            return Notary(_private_key(data, path), path).verifier()
        try:
            public = serialization.load_pem_public_key(data)
        except ValueError:
            raise NotaryError(f"{path}: not a PEM key file") from None
        if not isinstance(public, Ed25519PublicKey):
            raise NotaryError(f"{path}: not an Ed25519 key")
        return cls(public)

    def valid(self, anchor: Anchor) -> bool:
        if anchor.key_id != self.key_id:
            return False
        try:
            self._public.verify(bytes.fromhex(anchor.signature), anchor.payload())
        except (InvalidSignature, ValueError):
            return False
        return True


class Notary:
    """Signs log heads with the private key at `key_path` and keeps their anchors beside it."""

    def __init__(self, private: Ed25519PrivateKey, key_path: Path) -> None:
        self._private = private
        self.key_path = key_path
        self._verifier = Verifier(private.public_key())
        self.key_id = self._verifier.key_id

    @classmethod
    def load(cls, key_path: Path | None = None, create: bool = False) -> Notary:
        """The notary of the key at `key_path` (default: `default_key_path()`); with `create`, a new
        key is written there when none exists (mode 0600, with its public key beside it)."""
        path = key_path or default_key_path()
        if create and not path.exists():
            _create_key(path)
        return cls(_private_key(_read(path), path), path)

    def verifier(self) -> Verifier:
        return self._verifier

    def sign(self, database: str, exercise: int, seq: int, head: str, at: str, adopted: bool = False) -> Anchor:
        unsigned = Anchor(database, exercise, seq, head, at, adopted, self.key_id, "")
        signature = self._private.sign(unsigned.payload()).hex()
        return Anchor(database, exercise, seq, head, at, adopted, self.key_id, signature)

    def anchor(self, anchors: list[Anchor]) -> None:
        """Keep each exercise's signed head outside the database (appended; the newest one counts)."""
        for found in anchors:
            folder = anchors_dir(self.key_path) / found.database
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            path = folder / f"{found.exercise}.jsonl"
            with _locked(folder / ".lock"):
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                try:
                    os.write(fd, (json.dumps(found.to_dict()) + "\n").encode())
                    grown = os.fstat(fd).st_size > _COMPACT_BYTES
                finally:
                    os.close(fd)
                if grown:
                    _compact(path)

    def anchored(self, database: str, exercise: int) -> Anchor | None:
        return read_anchor(self.key_path, database, exercise)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NotaryError(f"{path}: no signing key there (`alliance-c2 serve` creates one; or give --key FILE)") from None
    except OSError as exc:
        raise NotaryError(f"{path}: cannot read the key: {exc.strerror}") from None


def _private_key(data: bytes, path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise NotaryError(f"{path}: not an unencrypted PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise NotaryError(f"{path}: not an Ed25519 key")
    return key


def _create_key(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first: use theirs
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo)
    public_key_path(path).write_bytes(public)


def _newest(path: Path) -> Anchor | None:
    """The anchor with the highest count among the readable lines at the end of `path`."""
    try:
        with path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - _TAIL_BYTES))
            tail = file.read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise NotaryError(f"{path}: unreadable anchor ({exc.strerror})") from None
    found = [a for a in (_parsed(line) for line in tail) if a is not None]
    if not found:
        if any(line.strip() for line in tail):
            raise NotaryError(f"{path}: no readable anchor in it")
        return None
    return max(found, key=lambda a: a.seq)


def _parsed(line: str) -> Anchor | None:
    try:
        return Anchor.from_dict(json.loads(line))
    except (ValueError, NotaryError):
        return None  # the first line of the tail read (cut in two), or one a crash cut short


def _compact(path: Path) -> None:
    """Keep only the newest anchor (written to a new file that replaces the old one at once)."""
    newest = _newest(path)
    if newest is None:
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".anchor-")
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(newest.to_dict()) + "\n")
    os.replace(temporary, path)


@contextlib.contextmanager
def _locked(path: Path) -> Any:
    """An exclusive flock on `path`, so server processes replace an anchor one at a time."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)
