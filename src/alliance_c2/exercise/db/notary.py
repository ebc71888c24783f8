"""Signed checkpoints of the audit log, with a key and anchors kept outside the database.

The notary holds an Ed25519 private key in a file (mode 0600) in the user's config directory, or
wherever `--key FILE` / $ALLIANCE_C2_KEY says; `serve` creates it on first use. Every write
transaction that moves an exercise's log head signs the new head (database id, exercise id and uid,
count, hash, the count of the checkpoint before, time) and stores the signature as a checkpoint row
in the same transaction. After the COMMIT the signed head is also appended to the exercise's anchor
file in a directory beside the key, `<database id>/<exercise id>-<uid>.jsonl`, and the file (and, when
it is new, its directory) is flushed to disk before the writers are answered; the anchor is the newest
head found there (appends are cheap where replacing a file costs more, and several server processes
may append; a line cut short by a crash is skipped; a file grown large is compacted to its newest
line). The notary also notes, once per database, where it met it (`locations.jsonl`), so that a
database whose id was changed is told from a new one.

So someone who can write the database but not the key cannot append, recompute or wipe entries
without the signatures failing, nor cut entries off the end without falling short of the anchor, nor
delete a checkpoint without breaking the chain of checkpoints. Verification needs only the public key
(`<key>.pub`, or derived from the private key) and the anchors.

Checkpoints signed before exercises had a uid (format 1) carry no uid and no link to the checkpoint
before; they still verify, and their anchors are read from `<database id>/<exercise id>.jsonl`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, replace
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
_TAIL_BYTES = 16_384  # an anchor line is about 450 bytes; appends of several processes interleave only a little
_COMPACT_BYTES = 1 << 20
_LOCATIONS = "locations.jsonl"


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


def anchor_path(key_path: Path, database: str, exercise: int, uid: str) -> Path:
    """Where the anchors of an exercise are kept (format 1, before exercises had a uid: by id alone)."""
    return anchors_dir(key_path) / database / (f"{exercise}-{uid}.jsonl" if uid else f"{exercise}.jsonl")


def read_anchor(key_path: Path, database: str, exercise: int, uid: str = "", legacy: bool = False) -> Anchor | None:
    """The newest anchor of an exercise kept beside the key (None when that key never anchored it).

    `legacy`: the exercise was anchored by its id before it had a uid, so that file counts too."""
    found = [_newest(anchor_path(key_path, database, exercise, uid))]
    if legacy and uid:
        found.append(_newest(anchor_path(key_path, database, exercise, "")))
    known = [a for a in found if a is not None]
    return max(known, key=lambda a: a.seq) if known else None


@dataclass(frozen=True, slots=True)
class AnchorFile:
    """One exercise's anchors beside the key: whose they are and the newest one."""

    database: str
    exercise: int
    uid: str  # "" for a file kept by id alone (format 1)
    newest: Anchor | None


def anchor_files(key_path: Path, database: str) -> list[AnchorFile]:
    """Every exercise this key anchored in `database`, with its newest anchor."""
    folder = anchors_dir(key_path) / database
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.jsonl")):
        exercise, _, uid = path.stem.partition("-")
        if exercise.isdigit():
            found.append(AnchorFile(database, int(exercise), uid, _newest(path)))
    return found


def anchored_elsewhere(key_path: Path, database: str, uid: str) -> list[str]:
    """The other databases under whose id this key anchored the exercise with `uid`."""
    if not uid:
        return []
    return sorted({p.parent.name for p in anchors_dir(key_path).glob(f"*/*-{uid}.jsonl") if p.parent.name != database})


def databases_at(key_path: Path, location: str) -> set[str]:
    """The database ids this key met at `location` (a database URL without its password)."""
    path = anchors_dir(key_path) / _LOCATIONS
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise NotaryError(f"{path}: unreadable ({exc.strerror})") from None
    found = set()
    for line in lines:
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line a crash cut short
        if isinstance(entry, dict) and entry.get("location") == location and isinstance(entry.get("database"), str):
            found.add(entry["database"])
    return found


@dataclass(frozen=True, slots=True)
class Anchor:
    """A signed log head: the first `seq` entries of an exercise's log end in `head`.

    `uid`: the exercise's identity; `prev`: the count of the exercise's checkpoint before this one (0 for
    its first). Both are None/"" in format 1 (signed before exercises had a uid), which signs neither.
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
    uid: str = ""
    prev: int | None = None

    def payload(self) -> bytes:
        signed: dict[str, Any] = {"database": self.database, "exercise": self.exercise, "seq": self.seq,
                                  "head": self.head, "at": self.at, "adopted": self.adopted}
        if self.prev is not None:
            signed.update(uid=self.uid, prev=self.prev)
        return json.dumps(signed, sort_keys=True, separators=(",", ":")).encode()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Anchor:
        try:
            prev = data.get("prev")
            return cls(str(data["database"]), int(data["exercise"]), int(data["seq"]), str(data["head"]),
                       str(data["at"]), bool(data["adopted"]), str(data["key_id"]), str(data["signature"]),
                       str(data.get("uid") or ""), None if prev is None else int(prev))
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
        return anchor.key_id == self.key_id and self.valid_document(anchor.payload(), anchor.signature)

    def valid_document(self, payload: bytes, signature: str) -> bool:
        try:
            self._public.verify(bytes.fromhex(signature), payload)
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
        self._located: set[tuple[str, str]] = set()

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

    def sign(self, database: str, exercise: int, uid: str, seq: int, head: str, at: str, prev: int,
             adopted: bool = False) -> Anchor:
        """A checkpoint of the exercise's head (format 2: with its uid and the count of the one before)."""
        unsigned = Anchor(database, exercise, seq, head, at, adopted, self.key_id, "", uid, prev)
        return replace(unsigned, signature=self._private.sign(unsigned.payload()).hex())

    def sign_document(self, payload: bytes) -> str:
        """A signature over any bytes (an exported record as a whole), hex."""
        return self._private.sign(payload).hex()

    def anchor(self, anchors: list[Anchor], location: str | None = None) -> None:
        """Keep each exercise's signed head outside the database (appended and flushed to disk; the newest
        one counts). `location`: where the database was met, noted once per database."""
        folders: set[Path] = set()
        for found in anchors:
            path = anchor_path(self.key_path, found.database, found.exercise, found.uid)
            folder = path.parent
            if folder not in folders:
                folders.add(folder)
                _make_dirs(folder)
                if location is not None:
                    self._note_location(location, found.database)
            with _locked(folder / ".lock"):
                _append(path, json.dumps(found.to_dict()) + "\n")
                if os.stat(path).st_size > _COMPACT_BYTES:
                    _compact(path)

    def _note_location(self, location: str, database: str) -> None:
        if (location, database) in self._located:
            return
        if database not in databases_at(self.key_path, location):
            root = anchors_dir(self.key_path)
            with _locked(root / ".lock"):
                if database not in databases_at(self.key_path, location):
                    _append(root / _LOCATIONS, json.dumps({"location": location, "database": database}) + "\n")
        self._located.add((location, database))


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


def _append(path: Path, line: str) -> None:
    """Append a line and flush it to disk (and the directory's entry, when the file is new)."""
    created = not path.exists()
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode())
        _sync(fd)
    finally:
        os.close(fd)
    if created:
        _sync_dir(path.parent)


def _make_dirs(folder: Path) -> None:
    """Create `folder` (and its parents) with mode 0700, each new entry flushed to disk."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        current = current.parent
    for directory in reversed(missing):
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=0o700)
        _sync_dir(directory.parent)


def _sync(fd: int) -> None:
    (getattr(os, "fdatasync", None) or os.fsync)(fd)


def _sync_dir(directory: Path) -> None:
    """fsync a directory, so a file created (or replaced) in it survives a power loss."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform that cannot open directories (Windows)
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - a file system that cannot sync directories
        pass
    finally:
        os.close(fd)


def _compact(path: Path) -> None:
    """Keep only the newest anchor (written to a new file, flushed, that replaces the old one at once)."""
    newest = _newest(path)
    if newest is None:
        return
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".anchor-")
    with os.fdopen(fd, "w") as out:
        out.write(json.dumps(newest.to_dict()) + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
    _sync_dir(path.parent)


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
