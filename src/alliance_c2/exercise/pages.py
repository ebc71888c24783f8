"""HTML pages for people: login, the list of exercises, a seat page, the control dashboard, the report.

Pages are server-rendered (templates/) in English or Japanese (`i18n`); a little script
(static/exercise.js) calls the JSON API with the session's CSRF token and follows the seat's
server-sent events (`events`). Pages use the session cookie (HttpOnly, SameSite=Lax) set at
login; every form carries the session's CSRF token (the login form a double-submit token).
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..law import default_catalog
from . import aar, auditlog, auth, events, exercises, i18n, messages
from .api import SESSION_COOKIE, Credentials, ExerciseId, database, login_user, seated_write, token_of
from .errors import ExerciseError
from .releasability import CLASSIFICATIONS
from .store import Database, User

TEMPLATES_DIR = Path(__file__).parent / "templates"
LOGIN_CSRF_COOKIE = "ac2_login_csrf"

router = APIRouter(include_in_schema=False)
Db = Annotated[Database, Depends(database)]


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"]))
    env.filters["named"] = lambda text, names: i18n.name_ids(str(text), (names or {}).get("org", {}))
    return env


def _page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render `name` in the request's language; `?lang=` is remembered in a cookie."""
    lang = i18n.pick_lang(request)
    html = templates().get_template(name).render(lang=lang, t=i18n.translator(lang), path=request.url.path,
                                                 **context)
    response = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in i18n.LANGS:
        response.set_cookie(i18n.LANG_COOKIE, lang, samesite="lax", secure=_secure(request), max_age=365 * 86400)
    return response


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _viewer(request: Request, db: Database) -> tuple[User, str] | None:
    token, _ = token_of(request)
    if not token:
        return None
    with db.read() as session:
        found = auth.resolve(session, token)
    return (found[0], found[1].csrf) if found else None


def _to_login() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = _page(request, "login.html", error=error[:200], csrf=token)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))
    return response


@router.post("/login")
def login_submit(
    request: Request, db: Db,
    name: Annotated[str, Form(max_length=64)], password: Annotated[str, Form(max_length=256)],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    if not auth.csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf):
        lang = i18n.pick_lang(request)
        return _page(request, "login.html", status=403, error=i18n.translator(lang)("form_expired"), csrf="")
    try:
        login, _user = login_user(request, db, name, password)
    except ExerciseError as exc:
        return _page(request, "login.html", status=exc.status, error=exc.message, csrf=csrf)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, login.token, httponly=True, samesite="lax", secure=_secure(request),
                        max_age=auth.SESSION_HOURS * 3600)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, db: Db, csrf: Annotated[str, Form(max_length=100)]) -> Response:
    viewer = _viewer(request, db)
    token, _ = token_of(request)
    if viewer and token and auth.csrf_matches(viewer[1], csrf):
        with db.write() as session:
            auth.close_login(session, token)
    response = _to_login()
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request, db: Db) -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    user, csrf = viewer
    with db.read() as session:
        rows = [(e.id, e.name, e.arrangement, s.role, s.organization) for e, s in exercises.exercises_of(session, user)]
    return _page(request, "home.html", user=user.name, csrf=csrf, rows=rows, choices=_creation_choices())


@router.get("/exercises/{eid}", response_class=HTMLResponse)
def seat_page(eid: ExerciseId, request: Request, db: Db, notice: str = "") -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    user, csrf = viewer
    from ..report.diagram import architecture_svg

    with db.read() as session:
        try:
            ctx = exercises.context(session, eid, user)
        except ExerciseError as exc:
            return _page(request, "error.html", status=exc.status, message=exc.message)
        lang = i18n.pick_lang(request)
        items = [messages.view(ctx, m) for m in messages.visible_messages(ctx, None, 0, 500)]
        svg = highlight(architecture_svg(ctx.arch, lang, ctx.exercise.situation), ctx.seat.organization)
        names = _names(ctx, lang)
        return _page(
            request, "seat.html", user=user.name, csrf=csrf, exercise=ctx.exercise, seat=ctx.seat,
            lists=_seat_lists(ctx, items), svg=svg, names=names,
            classifications=CLASSIFICATIONS, nations=ctx.arch.nations, units=_units(ctx),
            actions=sorted(default_catalog().actions), live=_live(ctx, lang, names), notice=notice[:300],
        )


def _seat_lists(ctx: exercises.Context, items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each visible message in one list: approvals waiting for the seat, injects, outbox, inbox."""
    lists: dict[str, list[dict[str, Any]]] = {"approvals": [], "injects": [], "outbox": [], "inbox": []}
    for m in items:
        lists[place_of(m, ctx.seat.organization, ctx.is_control)].append(m)
    return lists


def place_of(message: dict[str, Any], organization: str, is_control: bool) -> str:
    """Where a message goes on a seat page (static/exercise.js mirrors this rule)."""
    if message["kind"] == "approval" and message["status"] == "pending" and (
            is_control or organization in message["recipients"]):
        return "approvals"
    if message["kind"] == "inject":
        return "injects"
    return "outbox" if message["sender"] == organization else "inbox"


def _units(ctx: exercises.Context) -> list[str]:
    """Military organizations first (the usual order targets), then the rest, each group sorted."""
    military = {o.id for o in ctx.arch.military()}
    return sorted(ctx.arch.organizations, key=lambda o: (o not in military, o))


def _names(ctx: exercises.Context, lang: str) -> dict[str, dict[str, str]]:
    """Catalog names in `lang`, with the injects of the exercise's scenario."""
    return i18n.catalog_names(lang, ctx.arch, exercises.scenario_of(ctx.exercise))


def _live(ctx: exercises.Context, lang: str, names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """What the page script starts from: the seat, the event cursor, the clock, names and strings.

    `nations` maps each organization of the arrangement to its nation (the order form preselects
    REL TO from the organizations an order passes through).
    """
    from .clock import state

    return {
        "exercise": ctx.exercise.id, "organization": ctx.seat.organization, "nation": ctx.seat.nation,
        "control": ctx.is_control, "role": ctx.seat.role, "cursor": events.start_cursor(ctx, None).encode(),
        "clock": state(ctx.exercise).to_dict(), "situation": ctx.exercise.situation, "lang": lang,
        "names": names, "strings": i18n.script_strings(lang),
        "nations": {o: org.nation for o, org in ctx.arch.organizations.items()},
    }


def _creation_choices() -> dict[str, list[str]]:
    from ..model import bundled_architectures
    from ..sim.catalog import scenario_ids

    return {"arrangements": list(bundled_architectures()), "scenarios": list(scenario_ids())}


@router.post("/exercises/{eid}/orders")
def order_form(
    eid: ExerciseId, request: Request, db: Db,
    csrf: Annotated[str, Form(max_length=100)],
    action: Annotated[str, Form(max_length=64)], unit: Annotated[str, Form(max_length=100)],
    subject: Annotated[str, Form(min_length=1, max_length=300)],
    classification: Annotated[str, Form(max_length=20)], rel_to: Annotated[str, Form(max_length=100)],
    body: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    _, expected = viewer
    if not auth.csrf_matches(expected, csrf):
        return _page(request, "error.html", status=403, message="missing or wrong CSRF token; reload the page")
    checker = request.app.state.checker

    t = i18n.translator(i18n.pick_lang(request))

    def work(ctx: exercises.Context) -> str:
        label = messages.label_for(ctx, classification, rel_to.replace(",", " ").split())
        order = messages.issue_order(ctx, action, unit, subject, body, label, None, None, checker)
        return f"{t('order_result')} #{order.id}: {t('status_' + order.status)}"

    token, _ = token_of(request)
    creds = Credentials(token or "", via_cookie=False, unsafe=True, csrf_given=None)  # CSRF checked above
    try:
        notice = request.app.state.writer.submit(eid, seated_write(eid, creds, work)).result()
    except ExerciseError as exc:
        notice = exc.message
    return RedirectResponse(f"/exercises/{eid}?notice={_quote(notice)}", status_code=303)


@router.get("/exercises/{eid}/control", response_class=HTMLResponse)
def control_page(eid: ExerciseId, request: Request, db: Db) -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    user, csrf = viewer
    with db.read() as session:
        try:
            ctx = exercises.context(session, eid, user)
            exercises.require_control(ctx)
        except ExerciseError as exc:
            return _page(request, "error.html", status=exc.status, message=exc.message)
        lang = i18n.pick_lang(request)
        names = _names(ctx, lang)
        seats = exercises.seats(ctx)
        seated = {s.organization for s, _ in seats}
        pending = [messages.view(ctx, m) for m in messages.visible_messages(ctx, "approval", 0, 500)]
        traffic = [messages.view(ctx, m) for m in messages.visible_messages(ctx, None, 0, 500, newest_first=True)]
        return _page(
            request, "control.html", user=user.name, csrf=csrf, exercise=ctx.exercise, seats=seats,
            timeline=messages.timeline(ctx), pending=[p for p in pending if p["status"] == "pending"],
            seated=seated, traffic=traffic, verify=auditlog.verify(session, ctx.exercise),
            situations=list(default_catalog().situations), bases=exercises.SITUATION_BASES,
            organizations=_units(ctx), names=names, classifications=CLASSIFICATIONS,
            auto_injects=bool(ctx.exercise.auto_injects), auto_approvals=bool(ctx.exercise.auto_approvals),
            live={**_live(ctx, lang, names), "seated": sorted(seated)},
        )


@router.get("/exercises/{eid}/aar", response_class=HTMLResponse)
def aar_page(eid: ExerciseId, request: Request, db: Db) -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    with db.read() as session:
        try:
            ctx = exercises.context(session, eid, viewer[0])
            exercises.require_control(ctx)
        except ExerciseError as exc:
            return _page(request, "error.html", status=exc.status, message=exc.message)
        lang = i18n.pick_lang(request)
        names = i18n.catalog_names(lang, ctx.arch, exercises.scenario_of(ctx.exercise))
        return HTMLResponse(aar.render_html(aar.report_data(ctx), lang, names))


@router.get("/exercises/{eid}/diagram.svg")
def diagram(eid: ExerciseId, request: Request, db: Db) -> Response:
    """The arrangement's diagram in the exercise's current situation, the seat's organization outlined
    (the seat page reloads it when the situation changes)."""
    viewer = _viewer(request, db)
    if viewer is None:
        return Response(status_code=401)
    from ..report.diagram import architecture_svg

    with db.read() as session:
        try:
            ctx = exercises.context(session, eid, viewer[0])
        except ExerciseError as exc:
            return Response(exc.message, status_code=exc.status, media_type="text/plain")
        svg = architecture_svg(ctx.arch, i18n.pick_lang(request), ctx.exercise.situation)
        return Response(highlight(svg, ctx.seat.organization), media_type="image/svg+xml")


def highlight(svg: str, organization: str) -> str:
    """Mark the seat's organization in the diagram (styled by static/exercise.css)."""
    marker = f'<g class="node" data-org="{organization}"'
    return svg.replace(marker, f'<g class="node seat-highlight" data-org="{organization}"', 1)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text[:300], safe="")
