"""Who is calling, and is the request genuine: session cookie or bearer token, CSRF, change audit.

`AuthMiddleware` runs before every route. It resolves the caller once (a console session from the
`fanzha_session` cookie, or an API token from `Authorization: Bearer …`) into `request.state.principal`.
For console sessions every unsafe request (POST/PUT/PATCH/DELETE) must carry the session's CSRF token,
in the `X-CSRF-Token` header (HTMX sends it from `hx-headers` on <body>) or the `csrf_token` form field;
otherwise it is refused with 403 before any route runs. API token clients send no cookies, so they need
no CSRF token. Every unsafe request by a signed-in caller that its route did not audit itself is audited
as a `change` (method, path, status).
"""

from __future__ import annotations

from datetime import UTC, datetime

from jinja2 import Environment
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fanzha.audit.model import Action
from fanzha.auth.config import AuthConfig
from fanzha.auth.model import Principal, Purpose
from fanzha.auth.service import Resolved, resolve_session, resolve_token
from fanzha.auth.tokens import same
from fanzha.web.deps import audit, form_fields, new_uow

SESSION_COOKIE = "fanzha_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_FORM_BYTES = 1_000_000


def bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def _resolve(request: Request) -> Resolved | None:
    config: AuthConfig = request.app.state.auth
    now = datetime.now(UTC)
    token = bearer_token(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if token is None and not cookie:
        return None
    with new_uow(request) as uow:
        if token is not None:  # a bearer token wins: such a client sends no cookies
            resolved = resolve_token(uow.session, token, now)
        else:
            resolved = resolve_session(uow.session, config.sessions, cookie or "", now)
        uow.commit()
    return resolved


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= MAX_FORM_BYTES:
            chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _refusal(scope: Scope) -> Response:
    if str(scope.get("path", "")).startswith("/api"):
        return JSONResponse({"detail": "CSRF token missing or invalid"}, status_code=403)
    return HTMLResponse(
        "<!doctype html><meta charset=utf-8><p>请求校验失败（CSRF），请刷新页面后重试。</p>", 403
    )


class AuthMiddleware:
    """Resolves the caller, enforces CSRF on console sessions, audits unaudited changes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/static"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        resolved = await run_in_threadpool(_resolve, request)
        state = scope.setdefault("state", {})
        state["principal"] = resolved.principal if resolved else None
        state["csrf_token"] = resolved.csrf_token if resolved else None
        unsafe = scope["method"] in UNSAFE_METHODS
        if unsafe and resolved is not None and resolved.csrf_token is not None:
            token = request.headers.get(CSRF_HEADER)
            if token is None:
                body = await _read_body(receive)
                receive = _replay(body)
                token = form_fields(request.headers.get("content-type", ""), body).get(CSRF_FIELD)
            if not token or not same(token, resolved.csrf_token):
                await _refusal(scope)(scope, receive, send)
                return
        status: list[int] = []

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        await self.app(scope, receive, send_and_note)
        if unsafe and resolved is not None and not state.get("audited"):
            code = status[0] if status else 0
            await run_in_threadpool(
                audit,
                request,
                resolved.principal,
                Action.CHANGE,
                object_type="request",
                object_id=f"{request.method} {request.url.path}",
                outcome="ok" if code < 400 else f"http {code}",
            )


def csrf_token(request: Request) -> str:
    token = getattr(request.state, "csrf_token", None)
    return token if isinstance(token, str) else ""


def csrf_input(request: Request) -> Markup:
    """The hidden form field every console form includes: `{{ csrf_input(request) }}`."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        CSRF_FIELD, escape(csrf_token(request))
    )


def principal_of(request: Request) -> Principal | None:
    principal = getattr(request.state, "principal", None)
    return principal if isinstance(principal, Principal) else None


def install_template_globals(env: Environment) -> None:
    """Make `csrf_token(request)`, `csrf_input(request)` and `principal_of(request)` usable in templates."""
    env.globals["csrf_token"] = csrf_token
    env.globals["csrf_input"] = csrf_input
    env.globals["principal_of"] = principal_of
    env.globals["purposes"] = list(Purpose)
    env.globals["purpose_labels"] = {p.value: p.label for p in Purpose}
