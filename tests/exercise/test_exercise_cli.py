"""`alliance-c2 users add|list|passwd|remove`, `serve --help` and the database errors of the exercise commands."""

from __future__ import annotations

from alliance_c2.exercise.db import users
from alliance_c2.exercise.db.database import open_database
from alliance_c2.exercise.service.accounts import check_password


def _password_of(url: str, name: str) -> str | None:
    db = open_database(url)
    with db.read() as session:
        found = users.by_name(session, name)
    db.dispose()
    return None if found is None else found[1]


def test_users_add_reads_the_password_from_stdin(ex_cli, sqlite_url):
    code, out, _ = ex_cli("users", "add", "alice", "--db", sqlite_url, input="s3cret-password\n")
    assert code == 0 and "alice" in out
    assert check_password(_password_of(sqlite_url, "alice"), "s3cret-password")
    assert not check_password(_password_of(sqlite_url, "alice"), "wrong-password")


def test_users_add_twice_is_a_one_line_error(ex_cli, sqlite_url):
    ex_cli("users", "add", "bob", "--db", sqlite_url, input="s3cret-password\n")
    code, _, err = ex_cli("users", "add", "bob", "--db", sqlite_url, input="s3cret-password\n")
    assert code == 2 and "already exists" in err and err.count("\n") == 1


def test_short_password_is_refused(ex_cli, sqlite_url):
    code, _, err = ex_cli("users", "add", "carol", "--db", sqlite_url, input="short\n")
    assert code == 2 and "password" in err


def test_bad_database_url(ex_cli):
    code, _, err = ex_cli("users", "add", "dave", "--db", "nosuchdb://x", input="s3cret-password\n")
    assert code == 2 and "--db" in err


def test_serve_help_is_bilingual(ex_cli):
    code, out, _ = ex_cli("serve", "--help")
    assert code == 0 and "--db" in out and "--port" in out and "演習" in out
