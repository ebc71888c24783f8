"""ASGI middleware of the exercise service: request body limits and the headers every answer carries.

`BodyLimit` reads a request's body before the application does, so a body over the limit gets 413
whether its length was announced or it came in chunks. `Headers` forbids framing and caching of
everything but the static files (answers and pages carry classified messages).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# For a path prefix: its own body limit, and the answer (status, JSON body) to a body above it.
Wider = Mapping[str, tuple[int, Callable[[int], tuple[int, dict[str, Any]]]]]

_NO_STORE = [
    (b"cache-control", b"no-store"),
    (b"pragma", b"no-cache"),
]
_ALWAYS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class BodyLimit:
    """413 for request bodies above `limit` bytes, whether announced by Content-Length or streamed.

    `wider`: path prefixes with a limit of their own and their own answer (the C2SIM interface takes
    initializations of several MiB and answers in its own error form)."""

    def __init__(self, app: ASGIApp, limit: int, wider: Wider | None = None) -> None:
        self.app = app
        self.limit = limit
        self.wider = dict(wider or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit, answer = next(((n, a) for prefix, (n, a) in self.wider.items() if path.startswith(prefix)),
                             (self.limit, _plain))
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _too_large(send, limit, answer)
            return
        if length is None and b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            await self.app(scope, receive, send)  # no body (a GET, a stream): nothing to read first
            return
        body = await _read_body(receive, limit)
        if body is None:
            await _too_large(send, limit, answer)
            return
        await self.app(scope, _replay(body, receive), send)


async def _read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit` (the rest is left unread)."""
    parts: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(parts)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
        if not message.get("more_body", False):
            return b"".join(parts)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands the application the body already read, then waits as the server would."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def _plain(limit: int) -> tuple[int, dict[str, Any]]:
    return 413, {"detail": f"request body larger than {limit} bytes"}


async def _too_large(send: Send, limit: int, answer: Callable[[int], tuple[int, dict[str, Any]]]) -> None:
    status, content = answer(limit)
    body = json.dumps(content).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *_ALWAYS, *_NO_STORE]})
    await send({"type": "http.response.body", "body": body})


class Headers:
    """Anti-framing and sniffing headers on every answer; `no-store` on all but the static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _ALWAYS if str(scope.get("path", "")).startswith("/static/") else [*_ALWAYS, *_NO_STORE]

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *((k, v) for k, v in extra if k not in present)]}
            await send(message)

        await self.app(scope, receive, with_headers)
