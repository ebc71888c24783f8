"""The exercise service commands: `serve`, `users add|list|passwd|remove|unlock`,
`exercise verify-log|export|adopt`.

Registered on the main Typer app by cli.py; the exercise modules are imported inside the commands
so the other commands stay fast.
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from .support import fail

if TYPE_CHECKING:
    from ..exercise.db.database import Database
    from ..exercise.service.record import Verification

DB_HELP = "Database URL (default: $ALLIANCE_C2_DB or a SQLite file in the user data directory). / データベースURL。"
KEY_HELP = ("Signing key of the audit log (default: $ALLIANCE_C2_KEY or exercise-signing-key.pem in the user config "
            "directory). / 監査ログの署名鍵。")
FIRST_ACCOUNT = ("No accounts yet: create the first control account with `alliance-c2 users add NAME --control` "
                 "/ アカウントがありません：`alliance-c2 users add 名前 --control` で最初の統制アカウントを作成してください")

T = TypeVar("T")

users_app = typer.Typer(help="Exercise accounts. / 演習アカウント。", no_args_is_help=True)
exercise_app = typer.Typer(help="Exercise records. / 演習記録。", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add `serve`, `users` and `exercise` to `app`."""
    app.command("serve")(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(exercise_app, name="exercise")


def serve(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. / 待受アドレス。"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on. / 待受ポート。"),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64,
        help="Server processes sharing the database (SQLite file or PostgreSQL). / 同じデータベースを共有するサーバープロセス数。",
    ),
    key: Path | None = typer.Option(None, "--key", help=KEY_HELP + " Created when missing. / なければ作成。"),
    trusted_proxy: list[str] = typer.Option(
        [], "--trusted-proxy",
        help="Address or network of a reverse proxy whose X-Forwarded-For is believed (repeat). / 信頼するプロキシ。",
    ),
    watch_seconds: float | None = typer.Option(
        None, "--watch-seconds", min=1,
        help="How often every exercise's record is verified (default 180). / 記録を検証する間隔（秒）。"),
    write_rate: float | None = typer.Option(
        None, "--write-rate", min=0.01, help="Writes a second per user (default 10). / 利用者ごとの毎秒書込数。"),
    write_burst: float | None = typer.Option(
        None, "--write-burst", min=1, help="Writes at once per user (default 100). / 利用者ごとの一度の書込数。"),
    idle_minutes: float | None = typer.Option(
        None, "--idle-minutes", min=1, help="A login ends unused after this long (default 60). / 無操作で終了するまでの分。"),
    idempotency_hours: float | None = typer.Option(
        None, "--idempotency-hours", min=0.01,
        help="How long answers to retried requests are kept (default 24). / 再送への回答の保存時間。"),
) -> None:
    """Run the exercise web service (migrates the database first). / 演習Webサービスを起動する。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    import uvicorn

    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.db.database import DB_ENV, default_db_url
    from ..exercise.db.notary import KEY_ENV
    from ..exercise.service.logins import any_account
    from ..exercise.service.record import ADOPT_HINT, unsigned
    from ..exercise.web.app import PROXIES_ENV, SETTINGS_ENV, create_app

    for proxy in trusted_proxy:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            fail(f"--trusted-proxy: {proxy!r} is not an IP address or network")
    key_path = _signing_key(key)
    url = db or default_db_url()
    database = _database(url)
    with database.read() as session:
        if not any_account(session):
            sys.stdout.write(FIRST_ACCOUNT + "\n")
    waiting = unsigned(database)
    database.dispose()
    if waiting:
        ids = " ".join(map(str, waiting))
        sys.stdout.write(f"exercise(s) {ids}: log entries no checkpoint signs, so they are served read-only to control "
                         f"alone. If this service kept them before its record was signed, stop it and vouch for them "
                         f"with `{ADOPT_HINT} {ids}` before anything else is signed in this database "
                         "/ 署名のない記録があります\n")
    settings = {"watch_seconds": watch_seconds, "write_rate": write_rate, "write_burst": write_burst,
                "idle_minutes": idle_minutes, "idempotency_hours": idempotency_hours}
    if workers == 1:
        app = create_app(url, key=key_path, trusted_proxies=trusted_proxy, watch_seconds=watch_seconds,
                         write_rate=write_rate, write_burst=write_burst, idle_minutes=idle_minutes,
                         idempotency_hours=idempotency_hours)
        uvicorn.run(app, host=host, port=port, log_level="info", proxy_headers=False)
        return
    os.environ[DB_ENV] = url  # each worker builds its app from these
    os.environ[KEY_ENV] = str(key_path)
    os.environ[PROXIES_ENV] = ",".join(trusted_proxy)
    for name, value in settings.items():
        if value is not None:
            os.environ[SETTINGS_ENV[name]] = repr(value)
    uvicorn.run("alliance_c2.exercise.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=False)


def _signing_key(given: Path | None) -> Path:
    """The key `serve` signs with, created on first use (and said so)."""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.db.notary import Notary, NotaryError, default_key_path

    path = (given or default_key_path()).expanduser().resolve()
    existed = path.exists()
    try:
        Notary.load(path, create=True)
    except (NotaryError, OSError) as exc:
        fail(f"--key: {exc}")
    if not existed:
        sys.stdout.write(f"created the audit log's signing key {path} (keep it: `exercise verify-log` needs it) "
                         f"/ 監査ログの署名鍵を作成しました\n")
    return path


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Account name. / アカウント名。"),
    control: bool = typer.Option(False, "--control", help="May create exercises (and so run them). / 演習を作成できる。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create an account; the password is read from a prompt or stdin. / アカウントを作成する（パスワードは入力または標準入力）。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.service.accounts import add_user

    password = _password()
    _on_database(db, lambda database: add_user(database, name, password, control=control))
    sys.stdout.write(f"user {name} added{' (control account)' if control else ''}\n")


@users_app.command("list")
def users_list(
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    as_json: bool = typer.Option(False, "--json", help="JSON output. / JSON出力。"),
) -> None:
    """List the accounts: name, control, active, seats held. / アカウント一覧。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.service.accounts import list_users

    found = _on_database(db, list_users)
    rows = [{"name": a.name, "control": a.control, "active": a.active, "seats": a.seats,
             "created_at": a.created_at.isoformat(timespec="seconds")} for a in found]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        sys.stdout.write(FIRST_ACCOUNT + "\n")
    for r in rows:
        flags = ", ".join(f for f, on in (("control", r["control"]), ("removed", not r["active"])) if on)
        sys.stdout.write(f"{r['name']}\t{flags or '-'}\tseats: {r['seats']}\tcreated {r['created_at']}\n")


@users_app.command("passwd")
def users_passwd(
    name: str = typer.Argument(..., help="Account name. / アカウント名。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Set a new password (from a prompt or stdin); the user's logins end. / パスワードを変更する。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.service.accounts import set_password

    password = _password()
    _on_database(db, lambda database: set_password(database, name, password))
    sys.stdout.write(f"password of {name} changed; their logins ended\n")


@users_app.command("remove")
def users_remove(
    name: str = typer.Argument(..., help="Account name. / アカウント名。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Remove an account (kept, disabled, when an exercise's record names it). / アカウントを削除する。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.service.accounts import remove_user

    deleted = _on_database(db, lambda database: remove_user(database, name))
    if deleted:
        sys.stdout.write(f"user {name} removed\n")
    else:
        sys.stdout.write(f"user {name} disabled: exercise records name them, so the account is kept, without "
                         "a password and with its logins ended\n")


@users_app.command("unlock")
def users_unlock(
    name: str = typer.Argument(..., help="Account name. / アカウント名。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Lift the login back-off of an account (its failed logins are forgotten). / ログイン制限を解除する。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.service.logins import unlock

    forgotten = _on_database(db, lambda database: unlock(database, name))
    sys.stdout.write(f"{name}: {forgotten} failed login(s) forgotten; it may log in from anywhere again\n")


@exercise_app.command("verify-log")
def verify_log(
    exercise_id: int = typer.Argument(..., min=1, help="Exercise id. / 演習ID。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    file: Path | None = typer.Option(None, "--file", help="An exported record to check offline. / 書き出した記録を検証。"),
    key: Path | None = typer.Option(None, "--key", help=KEY_HELP + " Its .pub file is enough. / 公開鍵で可。"),
    as_json: bool = typer.Option(False, "--json", help="JSON output. / JSON出力。"),
) -> None:
    """Check an exercise's record: the hash chain, its signed checkpoints and anchor, and that the tables
    agree with the log; exit 2 naming every problem. / 演習記録（監査ログ）を検証する。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.db.notary import NotaryError, Verifier, default_key_path
    from ..exercise.service import record

    if db and file:
        fail("--db and --file: give one of them")
    key_path = key or default_key_path()
    try:
        verifier = Verifier.load(key_path)
        if file is not None:
            result = record.check(_record_file(file, exercise_id), verifier)
        else:
            database = _database(db)
            try:
                found = record.verify(database, exercise_id, key_path)
                lost = record.database_problems(database, key_path) if found is None else []
            finally:
                database.dispose()
            if found is None:
                for problem in lost:
                    sys.stdout.write(f"- {problem}\n")
                mine = [p for p in lost if p.startswith(f"exercise {exercise_id} ")]
                fail(f"exercise {exercise_id}: not found" + (f"; {mine[0]}" if mine else ""))
            result = found
    except NotaryError as exc:
        fail(f"--key: {exc}")
    _report(exercise_id, result, as_json)


def _record_file(path: Path, exercise_id: int) -> Any:
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.service.record import RecordFileError, from_file

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        fail(f"{path}: cannot read it as JSON: {exc}")
    try:
        found = from_file(data)
    except RecordFileError as exc:
        fail(f"{path}: {exc}")
    if found.exercise_id != exercise_id:
        fail(f"{path}: holds exercise {found.exercise_id}, not {exercise_id}")
    return found


def _report(exercise_id: int, result: Verification, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(json.dumps({"exercise": exercise_id, **result.to_dict()}, ensure_ascii=False, indent=2) + "\n")
    elif result.ok:
        notes = "".join(f"; {n}" for n in result.notes)
        sys.stdout.write(f"exercise {exercise_id}: record intact ({result.entries} entries){notes}\n")
    else:
        for problem in result.problems:
            sys.stdout.write(f"- {problem}\n")
        for problem in result.elsewhere:
            sys.stdout.write(f"- database: {problem}\n")
    if not result.ok:
        count = len(result.problems) + len(result.elsewhere)
        more = f" (and {count - 1} more)" if count > 1 else ""
        what = "record broken" if result.problems else "record intact, but the database lost what this key anchored"
        fail(f"exercise {exercise_id}: {what}: {result.reason}{more}")


@exercise_app.command("export")
def export(
    exercise_id: int = typer.Argument(..., min=1, help="Exercise id. / 演習ID。"),
    out: Path = typer.Option(..., "-o", "--out", help="JSON file to write. / 出力するJSONファイル。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    key: Path | None = typer.Option(None, "--key", help=KEY_HELP),
) -> None:
    """Write an exercise's whole record (log, checkpoints, anchor, tables) as JSON, signed as a whole with
    the private key, which `exercise verify-log ID --file FILE` checks offline. / 演習記録をJSONで書き出す（全体に署名）。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.db.notary import Notary, NotaryError, default_key_path
    from ..exercise.service import record

    try:
        notary = Notary.load(key or default_key_path())
    except NotaryError as exc:
        fail(f"--key: {exc} (an export is signed: it needs the private key)")
    database = _database(db)
    try:
        data = record.export(database, exercise_id, notary)
    except NotaryError as exc:
        fail(f"--key: {exc}")
    finally:
        database.dispose()
    if data is None:
        fail(f"exercise {exercise_id}: not found")
    try:
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"{out}: cannot write: {exc.strerror}")
    sys.stdout.write(f"exercise {exercise_id}: {len(data['log'])} entries, {len(data['messages'])} messages "
                     f"written to {out}\n")


@exercise_app.command("adopt")
def adopt(
    exercise_ids: list[int] = typer.Argument(..., min=1, help="Exercise id(s). / 演習ID。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
    key: Path | None = typer.Option(None, "--key", help=KEY_HELP),
) -> None:
    """Vouch for the logs of exercises kept before the record was signed: their heads are signed as
    adopted, and what is vouched for is printed. Refused for an exercise with checkpoints or an anchor, and
    in a database this key has signed anything in. / 署名導入前の記録を運用者の責任で署名する。"""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.db.notary import Notary, NotaryError, default_key_path
    from ..exercise.service import record

    try:
        notary = Notary.load(key or default_key_path())
    except NotaryError as exc:
        fail(f"--key: {exc}")
    database = _database(db)
    try:
        adopted = record.adopt(database, notary, exercise_ids)
    except record.AdoptError as exc:
        fail(str(exc))
    finally:
        database.dispose()
    for a in adopted:
        sys.stdout.write(f"exercise {a.exercise} {a.name!r} ({a.arrangement}): vouched for entries 1 to {a.entries} "
                         f"ending in {a.head}, and the {a.seats} seat(s) and {a.messages} message(s) they state, "
                         "signed as adopted / 運用者の責任で署名しました\n")


def _on_database(url: str | None, act: Callable[[Database], T]) -> T:
    """`act` on the database at `url` (opened, migrated, released after); an AuthError is the one-line error."""
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.service.accounts import AuthError

    database = _database(url)
    try:
        return act(database)
    except AuthError as exc:
        fail(str(exc))
    finally:
        database.dispose()


def _password() -> str:
    if sys.stdin.isatty():
        password: str = typer.prompt("Password / パスワード", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("password: empty (type it at the prompt or pipe it on stdin)")
    return password


def _database(url: str | None) -> Database:
    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from sqlalchemy.exc import SQLAlchemyError

    # Imported when the command runs: the exercise service (FastAPI, SQLAlchemy) is slow to load.
    from ..exercise.db.database import open_database

    try:
        return open_database(url)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        fail(f"--db: cannot open the database: {str(exc).splitlines()[0]}")
