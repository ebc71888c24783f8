"""The exercise service commands: `serve`, `users add`, `exercise verify-log`.

Registered on the main Typer app by cli.py; the web stack is imported inside the commands so
the other commands stay fast.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from .support import fail

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..exercise.store import Database

DB_HELP = "Database URL (default: $ALLIANCE_C2_DB or a SQLite file in the user data directory). / データベースURL。"

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
) -> None:
    """Run the exercise web service (migrates the database first). / 演習Webサービスを起動する。"""
    import os

    import uvicorn

    from ..exercise.store import DB_ENV, default_db_url

    if workers == 1:
        uvicorn.run(_app(db), host=host, port=port, log_level="info")
        return
    url = db or default_db_url()
    _database(url).dispose()  # migrate once, before the workers start
    os.environ[DB_ENV] = url  # each worker builds its app from it
    uvicorn.run("alliance_c2.exercise.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info")


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="Account name. / アカウント名。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create an account; the password is read from a prompt or stdin. / アカウントを作成する（パスワードは入力または標準入力）。"""
    from ..exercise.auth import AuthError, add_user

    password = _password()
    database = _database(db)
    try:
        add_user(database, name, password)
    except AuthError as exc:
        fail(str(exc))
    finally:
        database.dispose()
    sys.stdout.write(f"user {name} added\n")


@exercise_app.command("verify-log")
def verify_log(
    exercise_id: int = typer.Argument(..., min=1, help="Exercise id. / 演習ID。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Check an exercise's hash-chained audit log; exit 2 naming the first bad entry. / 監査ログを検証する。"""
    from ..exercise import auditlog
    from ..exercise.store import Exercise

    database = _database(db)
    try:
        with database.read() as session:
            exercise = session.get(Exercise, exercise_id)
            if exercise is None:
                fail(f"exercise {exercise_id}: not found")
            result = auditlog.verify(session, exercise)
    finally:
        database.dispose()
    if not result.ok:
        fail(f"exercise {exercise_id}: audit log broken at entry {result.bad_seq}: {result.reason}")
    sys.stdout.write(f"exercise {exercise_id}: audit log intact ({result.entries} entries)\n")


def _password() -> str:
    if sys.stdin.isatty():
        password: str = typer.prompt("Password / パスワード", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        fail("password: empty (type it at the prompt or pipe it on stdin)")
    return password


def _database(url: str | None) -> Database:
    from sqlalchemy.exc import SQLAlchemyError

    from ..exercise.store import open_database

    try:
        return open_database(url)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        fail(f"--db: cannot open the database: {str(exc).splitlines()[0]}")


def _app(url: str | None) -> FastAPI:
    from sqlalchemy.exc import SQLAlchemyError

    from ..exercise.app import create_app

    try:
        return create_app(url)
    except (SQLAlchemyError, OSError, ValueError) as exc:
        fail(f"--db: cannot open the database: {str(exc).splitlines()[0]}")
