"""Law commands of `alliance-c2`: check, audit, situations, actions, reforms.

`register(app)` adds them to the Typer app. Heavy modules are imported inside the commands so
that `alliance-c2 check` answers fast; unknown ids raise UnknownIdError, which `main()` turns
into one line on stderr and exit code 2. `check` exits 0 when the order is allowed and 1 when
it is not, so that scripts can tell.
"""

from __future__ import annotations

import typer

from .cli_support import (
    arrangement,
    as_of_option,
    console,
    lang_option,
    parse_as_of,
    print_json,
    resolve_lang,
)

ARCH_HELP = "A bundled arrangement id or a path to a YAML file. / 体制ID又はYAMLファイルのパス。"
REFORM_HELP = "A reform to switch on (repeat for several), e.g. opcon-transfer-act. / 適用する改革（複数可）。"


EXIT_NOT_ALLOWED = 1



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
    json_out: bool = typer.Option(False, "--json", help="Print JSON. / JSONで出力。"),
) -> None:
    """May this unit do this action, now, on this order, and who must approve first? / 命令の適法性と必要な承認。

    Exit code: 0 allowed, 1 not allowed, 2 bad input. / 終了コード: 0 可、1 不可、2 入力誤り。
    """
    from .law.engine import check as run
    from .law.engine import default_catalog

    language = resolve_lang(lang)
    day = parse_as_of(as_of)
    architecture = arrangement(arch)
    verdict = run(architecture, situation, action, unit, ordered_by, reform, as_of=day)
    if json_out:
        print_json(verdict.to_dict())
    else:
        from .law.render import print_verdict

        print_verdict(console(), verdict, default_catalog(), language, architecture)
    if not verdict.allowed:
        raise typer.Exit(EXIT_NOT_ALLOWED)


def audit(
    arch: str = typer.Argument(..., help=ARCH_HELP),
    reform: list[str] = typer.Option([], "--reform", help=REFORM_HELP),
    as_of: str | None = as_of_option(),
    lang: str | None = lang_option(),
    json_out: bool = typer.Option(False, "--json", help="Print JSON. / JSONで出力。"),
) -> None:
    """Every legal finding of an arrangement, as constraints × situations. / 体制の法的監査（制約×事態）。"""
    from .law.audit import audit as run
    from .law.engine import default_catalog

    language = resolve_lang(lang)
    day = parse_as_of(as_of)
    architecture = arrangement(arch)
    report = run(architecture, reform, as_of=day)
    if json_out:
        print_json(report.to_dict())
        return
    from .law.render import print_audit

    print_audit(console(), report, default_catalog(), language, architecture)


def situations(
    lang: str | None = lang_option(),
    json_out: bool = typer.Option(False, "--json", help="Print JSON. / JSONで出力。"),
) -> None:
    """List the legal situations and how each is recognized. / 事態の一覧と認定手続。"""
    from .law.engine import default_catalog

    language = resolve_lang(lang)
    catalog = default_catalog()
    if json_out:
        print_json([catalog.describe_situation(s) for s in catalog.situations])
        return
    from .law.render import print_situations

    print_situations(console(), catalog, language)


def actions(
    lang: str | None = lang_option(),
    json_out: bool = typer.Option(False, "--json", help="Print JSON. / JSONで出力。"),
) -> None:
    """List the actions and the situations each is lawful in. / 行動の一覧と可能な事態。"""
    from .law.engine import default_catalog

    language = resolve_lang(lang)
    catalog = default_catalog()
    if json_out:
        print_json([catalog.describe_action(a) for a in catalog.actions])
        return
    from .law.render import print_actions

    print_actions(console(), catalog, language)


def reforms(
    lang: str | None = lang_option(),
    json_out: bool = typer.Option(False, "--json", help="Print JSON. / JSONで出力。"),
) -> None:
    """List the reforms (switches) and the constraints each lifts or eases. / 改革の一覧。"""
    from .law.engine import default_catalog

    language = resolve_lang(lang)
    catalog = default_catalog()
    if json_out:
        print_json(
            [
                {
                    "id": r.id,
                    "name_en": r.name_en,
                    "name_ja": r.name_ja,
                    "measure": r.measure,
                    "lifts": dict(r.lifts),
                    "allows_cross_national": sorted(r.allows_cross_national),
                    "source": r.source,
                }
                for r in catalog.reforms.values()
            ]
        )
        return
    from .law.render import print_reforms

    print_reforms(console(), catalog, language)


def register(app: typer.Typer) -> None:
    """Add the law commands to `app`."""
    app.command("check")(check)
    app.command("audit")(audit)
    app.command("situations")(situations)
    app.command("actions")(actions)
    app.command("reforms")(reforms)
