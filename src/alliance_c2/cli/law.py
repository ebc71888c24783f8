"""The law: `check`, `audit`, `situations`, `actions`, `reforms`.

Unknown ids raise UnknownIdError, which `main()` turns into one line on stderr and exit code 2.
`check` exits 0 when the order is allowed and 1 when it is not, so that scripts can tell.
"""

from __future__ import annotations

import typer

from .support import (
    ARCH_HELP,
    REFORM_HELP,
    as_of_option,
    console,
    json_option,
    lang_option,
    parse_as_of,
    print_json,
    resolve_lang,
)

EXIT_NOT_ALLOWED = 1


def register(app: typer.Typer) -> None:
    """Add the law commands to `app`."""
    app.command("check")(check)
    app.command("audit")(audit)
    app.command("situations")(situations)
    app.command("actions")(actions)
    app.command("reforms")(reforms)
    app.command("approvals")(approvals)


def check(
    arch: str = typer.Option(..., "--arch", help=ARCH_HELP),
    situation: str = typer.Option(..., "--situation", "-s", help="Legal situation (see `alliance-c2 situations`). / 事態。"),
    action: str = typer.Option(..., "--action", "-a", help="Action (see `alliance-c2 actions`). / 行動。"),
    unit: str = typer.Option(..., "--unit", "-u", help="The unit that would act. / 行動する部隊。"),
    ordered_by: str | None = typer.Option(
        None, "--ordered-by", help="Who gives the order (default: the unit's own national chain). / 命令者。"
    ),
    reform: list[str] = typer.Option([], "--reform", help=REFORM_HELP),
    as_of: str | None = as_of_option(),
    lang: str | None = lang_option(),
    json_out: bool = json_option(),
) -> None:
    """May this unit do this action, now, on this order, and who must approve first? / 命令の適法性と必要な承認。

    Exit code: 0 allowed, 1 not allowed, 2 bad input. / 終了コード: 0 可、1 不可、2 入力誤り。
    """
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    day = parse_as_of(as_of)
    architecture = api.load_architecture(arch)
    verdict = api.check(architecture, situation, action, unit, ordered_by, reform, as_of=day)
    if json_out:
        print_json(verdict.to_dict())
    else:
        # Imported when the command runs: start-up time.
        from .render.law import print_verdict

        print_verdict(console(), verdict, language, architecture)
    if not verdict.allowed:
        raise typer.Exit(EXIT_NOT_ALLOWED)


def audit(
    arch: str = typer.Argument(..., help=ARCH_HELP),
    reform: list[str] = typer.Option([], "--reform", help=REFORM_HELP),
    as_of: str | None = as_of_option(),
    lang: str | None = lang_option(),
    json_out: bool = json_option(),
) -> None:
    """Every legal finding of an arrangement, as constraints × situations. / 体制の法的監査（制約×事態）。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    day = parse_as_of(as_of)
    architecture = api.load_architecture(arch)
    report = api.audit(architecture, reform, as_of=day)
    if json_out:
        print_json(report.to_dict())
        return
    # Imported when the command runs: start-up time.
    from .render.law import print_audit

    print_audit(console(), report, language, architecture)


def situations(lang: str | None = lang_option(), json_out: bool = json_option()) -> None:
    """List the legal situations and how each is recognized. / 事態の一覧と認定手続。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    if json_out:
        print_json(api.situations())
        return
    # Imported when the command runs: start-up time.
    from .render.law import print_situations

    print_situations(console(), language)


def actions(lang: str | None = lang_option(), json_out: bool = json_option()) -> None:
    """List the actions and the situations each is lawful in. / 行動の一覧と可能な事態。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    if json_out:
        print_json(api.actions())
        return
    # Imported when the command runs: start-up time.
    from .render.law import print_actions

    print_actions(console(), language)


def approvals(lang: str | None = lang_option(), json_out: bool = json_option()) -> None:
    """List every approval with whose authority gives it, the law that asks for it, its kind and source. / 承認の一覧。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    if json_out:
        print_json(api.approvals())
        return
    # Imported when the command runs: start-up time.
    from .render.law import print_approvals

    print_approvals(console(), language)


def reforms(lang: str | None = lang_option(), json_out: bool = json_option()) -> None:
    """List the reforms (switches) and the constraints each lifts or eases. / 改革の一覧。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    items = api.reforms()
    if json_out:
        print_json(items)
        return
    # Imported when the command runs: start-up time.
    from .render.law import print_reforms

    print_reforms(console(), items, language)
