"""The Guidelines for Japan-U.S. Defense Cooperation: `guidelines`, `guidelines show VERSION`, `guidelines diff A B`."""

from __future__ import annotations

import typer

from .support import json_option, lang_option, print_json, resolve_lang

group = typer.Typer(
    help="The Guidelines for Japan-U.S. Defense Cooperation, version by version. / 日米防衛協力のための指針の変遷。",
    invoke_without_command=True,
    no_args_is_help=False,
)


def register(app: typer.Typer) -> None:
    """Add the `guidelines` command group to `app`."""
    group.callback()(versions)
    group.command("show")(show)
    group.command("diff")(diff)
    app.add_typer(group, name="guidelines")


def versions(ctx: typer.Context, json_out: bool = json_option(), lang: str | None = lang_option()) -> None:
    """List the versions (or use `show VERSION` / `diff A B`). / 版の一覧。"""
    if ctx.invoked_subcommand is not None:
        return
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    items = api.guidelines()
    if json_out:
        print_json([g.listing() for g in items])
        return
    # Imported when the command runs: start-up time.
    from .render.guidelines import print_versions

    print_versions(items, language)


def show(
    version: str = typer.Argument(..., help="1978, 1997, 2015 or 2024-proposal."),
    json_out: bool = json_option(),
    lang: str | None = lang_option(),
) -> None:
    """Show one version: context, sections, elements, laws that followed. / 版の内容。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    g = api.guidelines_version(version)
    if json_out:
        print_json(g.model_dump(exclude_none=True))
        return
    # Imported when the command runs: start-up time.
    from .render.guidelines import print_version

    print_version(g, language)


def diff(
    version_a: str = typer.Argument(..., help="Earlier version."),
    version_b: str = typer.Argument(..., help="Later version."),
    json_out: bool = json_option(),
    lang: str | None = lang_option(),
) -> None:
    """What one version added, replaced, changed and removed. / 版の間の差分。"""
    # Imported when the command runs: start-up time.
    from .. import api

    language = resolve_lang(lang)
    result = api.guidelines_diff(version_a, version_b)
    if json_out:
        print_json(result)
        return
    # Imported when the command runs: start-up time.
    from .render.guidelines import print_diff

    print_diff(result, language)
