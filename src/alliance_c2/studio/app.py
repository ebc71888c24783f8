"""The studio's web application: one page and a small JSON API under /studio.

`router(engine)` gives the routes, so the studio can be mounted in the exercise's FastAPI server or served
alone by `alliance-c2 studio` (`create_app`). Each browser tab opens its own draft (POST /studio/api/drafts)
and edits it by id: two tabs never share undo history or state. Bound to loopback the studio needs no account;
on any other address every request must carry an exercise account (HTTP Basic, checked against the exercise
database, `alliance-c2 users add`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..law import default_catalog
from ..model import CatalogError, UnknownIdError, bundled_architectures, load_architecture, situation_ids
from ..model.load import architecture_from_document
from ..model.scenario import load_scenario
from ..model.vocabulary import ORGANIZATION_KINDS, relation_kind_ids
from ..model.yamlsource import parse_yaml
from ..report.diagram import architecture_svg
from . import i18n
from .compute import Engine, changes
from .state import MAX_UPLOAD_BYTES, Draft, EditError, check, field_of, open_data, to_yaml

HERE = Path(__file__).parent
MAX_DRAFTS = 64
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))


class Drafts:
    """The open drafts by id (the oldest forgotten past MAX_DRAFTS), each with the outcomes of its states."""

    def __init__(self) -> None:
        self._drafts: OrderedDict[str, Draft] = OrderedDict()
        self._outcomes: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, draft: Draft) -> str:
        key = secrets.token_urlsafe(12)
        with self._lock:
            self._drafts[key] = draft
            while len(self._drafts) > MAX_DRAFTS:
                self._drafts.popitem(last=False)
        return key

    def get(self, key: str) -> Draft:
        with self._lock:
            draft = self._drafts.get(key)
            if draft is None:
                raise LookupError(key)
            self._drafts.move_to_end(key)
            return draft

    def outcome(self, engine: Engine, data: dict[str, Any], arch: Any = None) -> dict[str, Any]:
        """The outcome of one state (computed once per distinct arrangement; `arch`: the state, validated)."""
        text = to_yaml(data)
        key = hashlib.sha256(text.encode()).hexdigest()
        with self._lock:
            found = self._outcomes.get(key)
        if found is not None:
            return found
        if arch is None:
            arch, problems = check(data)
            if arch is None:
                raise EditError([field_of(p) for p in problems])
        result = engine.outcome(arch)
        with self._lock:
            self._outcomes[key] = result
            while len(self._outcomes) > 4 * MAX_DRAFTS:
                self._outcomes.popitem(last=False)
        return result


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("ac2_lang") or "en"
    return lang if lang in ("en", "ja") else "en"


def _unauthorized() -> Response:
    return Response("an exercise account is needed here (alliance-c2 users add NAME)", status_code=401,
                    headers={"WWW-Authenticate": 'Basic realm="alliance-c2 studio"'})


def router(engine: Engine, accounts: Any = None) -> APIRouter:
    """The studio's routes on `engine`; with `accounts` (a callable name, password -> bool) every request needs
    HTTP Basic credentials it accepts."""
    drafts = Drafts()

    async def account(request: Request) -> None:
        if accounts is None:
            return
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        try:
            name, _, password = base64.b64decode(value).decode().partition(":") if scheme.lower() == "basic" else ("", "", "")
        except (ValueError, UnicodeDecodeError):
            name, password = "", ""
        if not name or not accounts(name, password):
            raise _NeedAccount()

    api = APIRouter(prefix="/studio", dependencies=[Depends(account)])

    @api.get("", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request) -> HTMLResponse:
        lang = _lang(request)
        law = default_catalog()
        html = _templates().get_template("studio.html").render(
            lang=lang, t=i18n.translator(lang), strings=i18n.script_strings(lang),
            bundled=[(a, load_architecture(a).short_name(lang)) for a in bundled_architectures()],
            situations=[(s, law.situations[s].name(lang)) for s in situation_ids()],
            kinds=relation_kind_ids(), org_kinds=ORGANIZATION_KINDS,
            reforms=[(r.id, r.name(lang)) for r in law.reforms.values()],
            scenarios={s: load_scenario(s).short_name(lang) for s in engine.scenarios},
        )
        response = HTMLResponse(html)
        if request.query_params.get("lang") in ("en", "ja"):
            response.set_cookie("ac2_lang", lang, samesite="lax", max_age=365 * 86400)
        return response

    @api.post("/api/drafts")
    def open_draft(body: Annotated[dict[str, Any], Body()]) -> JSONResponse:
        """Open a bundled arrangement (`{"bundled": id}`) or an uploaded file (`{"yaml": text, "name": file}`)."""
        if "bundled" in body:
            try:
                arch = load_architecture(str(body["bundled"]))
            except UnknownIdError as exc:
                return _problem(exc.describe(), "bundled")
            data = open_data(arch, bundled=True)
        else:
            text, name = body.get("yaml"), str(body.get("name") or "upload.yaml")[:200]
            if not isinstance(text, str):
                return _problem("give a bundled arrangement or a YAML file", "file")
            if len(text.encode("utf-8")) > MAX_UPLOAD_BYTES:
                return _problem(f"{name}:1: file too large (more than 2 MiB, the limit for uploads)", "file")
            try:
                uploaded, problems = architecture_from_document(parse_yaml(text, name))
            except CatalogError as exc:
                uploaded, problems = None, exc.problems
            errors = [p for p in problems if p.severity == "error"]
            if uploaded is None or errors:
                return JSONResponse({"problems": [{**field_of(p), "text": str(p)} for p in errors or problems]},
                                    status_code=422)
            data = open_data(uploaded, bundled=uploaded.id in bundled_architectures())
        draft = Draft([data])
        key = drafts.add(draft)
        return JSONResponse(_view(engine, drafts, key, draft))

    def _draft(key: str) -> Draft:
        try:
            return drafts.get(key)
        except LookupError:
            raise _Gone() from None

    @api.get("/api/drafts/{key}")
    def state(key: str) -> JSONResponse:
        return JSONResponse(_view(engine, drafts, key, _draft(key)))

    @api.post("/api/drafts/{key}/edit")
    def edit(key: str, body: Annotated[dict[str, Any], Body()]) -> JSONResponse:
        draft = _draft(key)
        try:
            arch = draft.apply(body)
        except EditError as exc:
            return JSONResponse({"problems": exc.problems}, status_code=422)
        return JSONResponse(_view(engine, drafts, key, draft, arch))

    @api.get("/api/drafts/{key}/arrangement.yaml")
    def download(key: str) -> Response:
        data = _draft(key).data
        return Response(to_yaml(data), media_type="application/yaml",
                        headers={"Content-Disposition": f'attachment; filename="{data["id"]}.yaml"'})

    @api.get("/api/drafts/{key}/diagram.svg")
    def diagram(key: str, request: Request, situation: str | None = None) -> Response:
        arch, _ = check(_draft(key).data)
        if arch is None:
            return Response(status_code=409)
        where = situation if situation in situation_ids() else None
        return Response(architecture_svg(arch, lang=_lang(request), situation=where), media_type="image/svg+xml")

    @api.post("/api/drafts/{key}/report")
    def report(key: str, request: Request) -> JSONResponse:
        """The full evaluation report of the draft beside today's, the Integrated alternative and the proposal."""
        # Imported when a report is asked for: the evaluation loads the report layer.
        from ..report.evaluate import evaluate

        data = _draft(key).data
        folder = Path(tempfile.mkdtemp(prefix="alliance-c2-studio-"))
        path = folder / f"{data['id']}.yaml"
        path.write_text(to_yaml(data), encoding="utf-8")
        evaluate(archs=["2015-guidelines", "2024-integrated", "2024-proposal", str(path)], lang=_lang(request),
                 out=folder / "report", pdf=False)
        token = secrets.token_urlsafe(12)
        reports[token] = folder / "report" / "report.html"
        return JSONResponse({"url": f"/studio/reports/{token}"})

    reports: dict[str, Path] = {}

    @api.get("/reports/{token}", include_in_schema=False)
    def open_report(token: str) -> Response:
        found = reports.get(token)
        if found is None or not found.exists():
            return Response("no such report", status_code=404)
        return FileResponse(found, media_type="text/html")

    # Last: its path would take /edit and /report for steps.
    @api.post("/api/drafts/{key}/{step}")
    def history(key: str, step: Literal["undo", "redo"]) -> JSONResponse:
        """Back or forward one state in the draft's own history."""
        draft = _draft(key)
        if step == "undo":
            draft.undo()
        else:
            draft.redo()
        draft.label = step
        return JSONResponse(_view(engine, drafts, key, draft))

    return api


class _NeedAccount(Exception):
    pass


class _Gone(Exception):
    pass


def _problem(message: str, key: str) -> JSONResponse:
    return JSONResponse({"problems": [{"message": message, "severity": "error", "key": key, "at": "edit"}]},
                        status_code=422)


def _view(engine: Engine, drafts: Drafts, key: str, draft: Draft, arch: Any = None) -> dict[str, Any]:
    """The draft as the page shows it: its data, its outcome, and what changed against its previous state and today."""
    outcome = drafts.outcome(engine, draft.data, arch)
    previous = drafts.outcome(engine, draft.previous) if draft.previous is not None else None
    return {
        "draft": key, "data": draft.data, "outcome": outcome, "warnings": draft.warnings, "label": draft.label,
        "can_undo": draft.can_undo(), "can_redo": draft.can_redo(), "position": draft.position,
        "changes": changes(previous, outcome, engine.today_outcome()),
    }


def handlers(app: FastAPI) -> None:
    """How the studio's own errors answer (a missing account, a forgotten draft)."""

    @app.exception_handler(_NeedAccount)
    async def _need_account(_request: Request, _exc: _NeedAccount) -> Response:
        return _unauthorized()

    @app.exception_handler(_Gone)
    async def _gone(_request: Request, _exc: _Gone) -> JSONResponse:
        return JSONResponse({"problems": [{"message": "this draft is no longer open; open the arrangement again",
                                           "severity": "error"}]}, status_code=404)


def mount(app: FastAPI, engine: Engine, accounts: Any = None) -> None:
    """Add the studio (page, API, static files) to `app`."""
    app.include_router(router(engine, accounts))
    app.mount("/studio/static", StaticFiles(directory=HERE / "static"), name="studio-static")
    handlers(app)


def create_app(engine: Engine | None = None, accounts: Any = None) -> FastAPI:
    """The studio alone (what `alliance-c2 studio` serves)."""
    from contextlib import asynccontextmanager

    own = engine or Engine()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        import asyncio

        await asyncio.to_thread(own.today)  # today's runs made before the first page asks
        yield
        own.close()

    app = FastAPI(title="Alliance C2 Workbench — studio", version="0.1.0", lifespan=lifespan)

    @app.get("/", include_in_schema=False)
    def home() -> Response:
        return Response(status_code=307, headers={"Location": "/studio"})

    mount(app, own, accounts)
    return app


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")
