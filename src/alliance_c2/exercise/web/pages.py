"""HTML pages for people: login, the list of exercises, a seat page, the control dashboard, the report.

Pages are server-rendered (templates/) in English or Japanese (`i18n`); a little script
(static/exercise.js) calls the JSON API with the session's CSRF token and follows the seat's
server-sent events (`stream`). Pages use the session cookie (HttpOnly, SameSite=Lax) set at
login; every form carries the session's CSRF token (the login form a double-submit token).
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ...report.diagram import architecture_svg
from ..db.database import Database
from ..db.rows import UserRecord
from ..service import (
    aar,
    c2sim_sessions,
    catalog,
    clock,
    exercises,
    injects,
    logins,
    messages,
    orders,
)
from ..service.errors import ExerciseError
from ..service.exercises import Seated
from ..service.messages import MessageView
from ..service.releasability import CLASSIFICATIONS
from . import cop_map, i18n
from .deps import (
    SESSION_COOKIE,
    Credentials,
    ExerciseId,
    client_address,
    csrf_matches,
    database,
    guards_of,
    hints,
    live_login,
    seated_write,
    token_of,
)
from .schemas import Prose, Text
from .stream import start_cursor

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


def _viewer(request: Request, db: Database) -> tuple[UserRecord, str] | None:
    token, _ = token_of(request)
    found = live_login(request, db, token) if token else None
    return None if found is None else (found.user, found.csrf)


def _to_login() -> RedirectResponse:
    return RedirectResponse("/login", status_code=303)


def _login_page(request: Request, db: Database, status: int = 200, error: str = "", csrf: str = "") -> HTMLResponse:
    with db.read() as session:
        first_time = not logins.any_account(session)
    return _page(request, "login.html", status=status, error=error[:200], csrf=csrf, first_time=first_time)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, db: Db, error: str = "") -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = _login_page(request, db, error=error, csrf=token)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request))
    return response


@router.post("/login")
async def login_submit(
    request: Request, db: Db,
    name: Annotated[Text, Form(max_length=64)], password: Annotated[Text, Form(max_length=256)],
    csrf: Annotated[str, Form(max_length=100)],
) -> Response:
    if not csrf_matches(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf):
        lang = i18n.pick_lang(request)
        return _login_page(request, db, status=403, error=i18n.translator(lang)("form_expired"))
    try:
        login, _user = await logins.log_in(db, request.app.state.writer, request.app.state.hashing,
                                           request.app.state.login_limiter, name, password, client_address(request),
                                           guards_of(request).sessions)
    except ExerciseError as exc:
        return _login_page(request, db, status=exc.status, error=exc.message, csrf=csrf)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, login.token, httponly=True, samesite="lax", secure=_secure(request),
                        max_age=int(guards_of(request).sessions.hours * 3600))
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
async def logout(request: Request, db: Db, csrf: Annotated[str, Form(max_length=100)]) -> Response:
    viewer = _viewer(request, db)
    token, _ = token_of(request)
    if viewer and token and csrf_matches(viewer[1], csrf):
        await request.app.state.writer.run(logins.LOGINS, lambda session: logins.log_out(session, token))
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
    lang = i18n.pick_lang(request)
    return _page(request, "home.html", user=user.name, csrf=csrf, rows=rows, control=user.control,
                 choices=_creation_choices(), names=i18n.catalog_names(lang))


def _creation_choices() -> dict[str, list[str]]:
    return {"arrangements": catalog.arrangements(), "scenarios": catalog.scenarios(),
            "situations": list(catalog.situations()), "reforms": list(catalog.reforms())}


@router.get("/exercises/{eid}", response_class=HTMLResponse)
def seat_page(eid: ExerciseId, request: Request, db: Db, notice: str = "") -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    user, csrf = viewer
    with db.read() as session:
        who = _seat_or_error(request, session, eid, user)
        if isinstance(who, Response):
            return who
        lang = i18n.pick_lang(request)
        items = [messages.view(who, m) for m in messages.visible(session, who, None, 0, 500)]
        names = _names(who, lang)
        return _page(
            request, "seat.html", user=user.name, csrf=csrf, exercise=who.exercise, seat=who.seat,
            lists=_seat_lists(who, items), svg=_diagram(who, lang), names=names,
            cop=_map(session, who, lang, names),
            classifications=CLASSIFICATIONS, nations=who.arch.nations, units=orders.order_targets(who.arch),
            recipients=_organizations(who), actions=catalog.actions(), notice=notice[:300],
            live=_live(session, who, lang, names),
        )


def _seat_or_error(request: Request, session: Any, eid: int, user: UserRecord,
                   control: bool = False) -> Seated | Response:
    """The user's seat in the exercise (with `control`, its control seat), or the error page to show."""
    try:
        who = exercises.seated(session, eid, user)
        guards_of(request).watch.admit(who)
        if control:
            exercises.require_control(who)
    except ExerciseError as exc:
        return _page(request, "error.html", status=exc.status, message=exc.message)
    return who


def _seat_lists(who: Seated, items: list[MessageView]) -> dict[str, list[MessageView]]:
    """Each visible message in one list: approvals waiting for the seat, injects, outbox, inbox."""
    lists: dict[str, list[MessageView]] = {"approvals": [], "injects": [], "outbox": [], "inbox": []}
    for m in items:
        lists[place_of(m, who.seat.organization)].append(m)
    return lists


def place_of(message: MessageView, organization: str) -> str:
    """Where a message goes on a seat page (static/exercise.js places them alike)."""
    if message.pending_for_you:
        return "approvals"
    if message.kind == "inject":
        return "injects"
    return "outbox" if message.sender == organization else "inbox"


def _organizations(who: Seated) -> list[str]:
    """Military organizations first (the usual addressees), then the rest, each group sorted."""
    military = set(orders.order_targets(who.arch))
    return sorted(who.arch.organizations, key=lambda o: (o not in military, o))


def _names(who: Seated, lang: str) -> dict[str, dict[str, str]]:
    """Catalog names in `lang`; the scenario's injects for control only (a seat gets an inject's name
    with the inject)."""
    return i18n.catalog_names(lang, who.arch, catalog.scenario_of(who.exercise.scenario) if who.is_control else None)


def _live(session: Any, who: Seated, lang: str, names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """What the page script starts from: the seat, the event cursor, the clock, names and strings.

    `nations` maps each organization of the arrangement to its nation (the order form preselects
    REL TO from the organizations an order passes through).
    """
    return {
        "exercise": who.exercise.id, "organization": who.seat.organization, "nation": who.seat.nation,
        "control": who.is_control, "role": who.seat.role, "cursor": start_cursor(session, who).encode(),
        "clock": clock.state(who.exercise).to_dict(), "situation": who.exercise.situation, "lang": lang,
        "names": names, "strings": i18n.script_strings(lang),
        "nations": {o: org.nation for o, org in who.arch.organizations.items()},
    }


def _diagram(who: Seated, lang: str) -> str:
    return highlight(architecture_svg(who.arch, lang, who.exercise.situation), who.seat.organization)


@router.post("/exercises/{eid}/orders")
async def order_form(
    eid: ExerciseId, request: Request, db: Db,
    csrf: Annotated[str, Form(max_length=100)],
    action: Annotated[Text, Form(max_length=64)], unit: Annotated[Text, Form(max_length=100)],
    subject: Annotated[Prose, Form(min_length=1, max_length=300)],
    classification: Annotated[Text, Form(max_length=20)], rel_to: Annotated[Text, Form(max_length=100)],
    body: Annotated[Prose, Form(max_length=20_000)] = "",
) -> Response:
    """The order form without its script: the order is sent and the page shown again with the result."""
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    if not csrf_matches(viewer[1], csrf):
        return _page(request, "error.html", status=403, message="missing or wrong CSRF token; reload the page")
    checker = request.app.state.checker
    t = i18n.translator(i18n.pick_lang(request))

    def work(session: Any, who: Seated) -> str:
        label = messages.label_for(who, classification, rel_to.replace(",", " ").split())
        order = orders.issue_order(session, who, action, unit, subject, body, label, None, None, checker)
        return f"{t('order_result')} #{order.id}: {t('status_' + order.status)}"

    token, _ = token_of(request)
    creds = Credentials(token or "", via_cookie=False, unsafe=True, csrf_given=None)  # CSRF checked above
    try:
        notice = await request.app.state.writer.run(eid, seated_write(eid, creds, work, guards_of(request)),
                                                    hints(creds))
    except ExerciseError as exc:
        notice = exc.message
    return RedirectResponse(f"/exercises/{eid}?notice={quote(str(notice)[:300], safe='')}", status_code=303)


@router.get("/exercises/{eid}/control", response_class=HTMLResponse)
def control_page(eid: ExerciseId, request: Request, db: Db) -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    user, csrf = viewer
    with db.read() as session:
        who = _seat_or_error(request, session, eid, user, control=True)
        if isinstance(who, Response):
            return who
        lang = i18n.pick_lang(request)
        names = _names(who, lang)
        seats = exercises.seats(session, who)
        seated = {s.organization for s, _ in seats}
        pending = [messages.view(who, m) for m in messages.pending(session, who)]
        traffic = [messages.view(who, m) for m in messages.visible(session, who, None, 0, 500, newest_first=True)]
        page: dict[str, Any] = {
            "user": user.name, "csrf": csrf, "exercise": who.exercise, "seats": seats,
            "timeline": injects.timeline(session, who), "pending": pending, "seated": seated, "traffic": traffic,
            "situations": list(catalog.situations()), "bases": exercises.SITUATION_BASES,
            "organizations": _organizations(who), "names": names, "classifications": CLASSIFICATIONS,
            "auto_injects": who.exercise.auto_injects, "auto_approvals": who.exercise.auto_approvals,
            "live": {**_live(session, who, lang, names), "seated": sorted(seated)},
            "cop": _map(session, who, lang, names), "c2sim": c2sim_sessions.session_name(who.exercise),
        }
    watch = guards_of(request).watch
    verified = watch.check(eid)
    return _page(request, "control.html", verify=verified, frozen=watch.frozen(eid), **page)


@router.get("/exercises/{eid}/aar", response_class=HTMLResponse)
def aar_page(eid: ExerciseId, request: Request, db: Db) -> Response:
    viewer = _viewer(request, db)
    if viewer is None:
        return _to_login()
    with db.read() as session:
        who = _seat_or_error(request, session, eid, viewer[0], control=True)
        if isinstance(who, Response):
            return who
        data = aar.report_data(session, who)
    lang = i18n.pick_lang(request)
    return HTMLResponse(render_aar(data, lang, _names(who, lang)))


def render_aar(data: dict[str, Any], lang: str = "en", names: dict[str, dict[str, str]] | None = None) -> str:
    """The report as one self-contained HTML page: headings in both languages, names, outcomes, reasons
    and acts in `lang` (`names`: `i18n.catalog_names` of the exercise; ids are shown without them)."""
    t = i18n.translator(lang)

    def say(key: str, fallback: str) -> str:
        return t(key) if key in i18n.STRINGS else fallback

    return templates().get_template("aar.html").render(data=data, lang=lang, names=names or {}, say=say)


@router.get("/exercises/{eid}/diagram.svg")
def diagram(eid: ExerciseId, request: Request, db: Db) -> Response:
    """The arrangement's diagram in the exercise's current situation, the seat's organization outlined
    (the seat page reloads it when the situation changes)."""
    seen = _viewer(request, db)
    if seen is None:
        return Response(status_code=401)
    with db.read() as session:
        try:
            who = exercises.seated(session, eid, seen[0])
            guards_of(request).watch.admit(who)
        except ExerciseError as exc:
            return Response(exc.message, status_code=exc.status, media_type="text/plain")
    return Response(_diagram(who, i18n.pick_lang(request)), media_type="image/svg+xml")


def _map(session: Any, who: Seated, lang: str, names: dict[str, dict[str, str]]) -> str:
    return cop_map.render(who, cop_map.positions(session, who), lang, names.get("org", {}))


@router.get("/exercises/{eid}/map.svg")
def map_svg(eid: ExerciseId, request: Request, db: Db) -> Response:
    """The seat's common operational picture (the seat page reloads it when a report arrives)."""
    viewer = _viewer(request, db)
    if viewer is None:
        return Response(status_code=401)
    lang = i18n.pick_lang(request)
    with db.read() as session:
        try:
            who = exercises.seated(session, eid, viewer[0])
        except ExerciseError as exc:
            return Response(exc.message, status_code=exc.status, media_type="text/plain")
        return Response(_map(session, who, lang, _names(who, lang)), media_type="image/svg+xml")


def highlight(svg: str, organization: str) -> str:
    """Mark the seat's organization in the diagram (styled by static/exercise.css)."""
    marker = f'<g class="node" data-org="{organization}"'
    return svg.replace(marker, f'<g class="node seat-highlight" data-org="{organization}"', 1)
