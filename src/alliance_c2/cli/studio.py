"""`studio`: the analyst's studio in the browser (one server, 127.0.0.1 by default)."""

from __future__ import annotations

import sys

import typer

from .support import fail

DB_HELP = ("Exercise database whose accounts may use the studio when it listens beyond loopback "
           "(default: $ALLIANCE_C2_DB or the local SQLite file). / 認証に用いる演習データベース。")


def register(app: typer.Typer) -> None:
    """Add the `studio` command to `app`."""
    app.command("studio")(studio)


def studio(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; beyond loopback every request "
                             "needs an exercise account (HTTP Basic). / 待受アドレス。"),
    port: int = typer.Option(8010, "--port", min=1, max=65535, help="Port to listen on. / 待受ポート。"),
    workers: int = typer.Option(2, "--workers", min=1, max=16, help="Simulation worker processes. / 模擬のワーカー数。"),
    db: str | None = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Edit an arrangement in the browser and watch its level, law and answer change. / 体制を編集し結果の変化を見る。"""
    # Imported when the command runs: FastAPI, uvicorn and the simulation are slow to load.
    import uvicorn

    # Imported when the command runs: FastAPI and the simulation are slow to load.
    from ..studio.app import create_app, is_loopback
    from ..studio.compute import Engine

    accounts = None
    if not is_loopback(host):
        accounts = _accounts(db)
    app = create_app(Engine(workers), accounts)
    sys.stdout.write(f"studio: http://{host if ':' not in host else f'[{host}]'}:{port}/studio"
                     + ("" if accounts is None else " (exercise accounts required)") + "\n")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _accounts(db: str | None):  # type: ignore[no-untyped-def]
    """A check of name and password against the exercise's accounts; refuses to start when there are none."""
    # Imported when the command runs: the exercise database (SQLAlchemy) is slow to load.
    from ..exercise.db.database import Database, default_db_url
    from ..exercise.db.notary import Notary
    from ..exercise.db.users import by_name
    from ..exercise.service.accounts import check_password
    from ..exercise.service.logins import any_account

    database = Database(db or default_db_url(), Notary.load(None, create=True))
    database.migrate()
    with database.read() as session:
        if not any_account(session):
            fail("--host: beyond loopback the studio needs exercise accounts; create one first "
                 "(alliance-c2 users add NAME)")

    def accept(name: str, password: str) -> bool:
        with database.read() as session:
            found = by_name(session, name)
        return check_password(found[1] if found else None, password) and found is not None

    return accept
