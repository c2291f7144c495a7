"""Sign in and out of the console. The login form has its own CSRF token (double-submit cookie)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from fanzha.audit.model import Action, AuditEntry
from fanzha.auth.config import AuthConfig
from fanzha.auth.service import Login, LoginResult, authenticate, end_session, open_session
from fanzha.auth.tokens import new_secret, same
from fanzha.web.deps import FormFields, audit, client_address, new_uow
from fanzha.web.security import CSRF_FIELD, SESSION_COOKIE, principal_of

LOGIN_CSRF_COOKIE = "fanzha_login_csrf"

router = APIRouter(include_in_schema=False)

MESSAGES = {
    LoginResult.BAD_CREDENTIALS: "用户名或密码错误。",
    LoginResult.LOCKED: "登录失败次数过多，账号已临时锁定，请稍后再试或联系管理员。",
    LoginResult.THROTTLED: "该地址登录失败次数过多，请稍后再试。",
}
STATUS = {LoginResult.BAD_CREDENTIALS: 401, LoginResult.LOCKED: 423, LoginResult.THROTTLED: 429}


def safe_next(target: str | None) -> str:
    """Only same-site paths may follow a login (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _render_form(request: Request, *, message: str | None, next_path: str, status_code: int) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    config: AuthConfig = request.app.state.auth
    token = new_secret()
    context: dict[str, Any] = {"message": message, "next_path": next_path, "login_csrf": token}
    response = templates.TemplateResponse(request, "auth/login.html", context, status_code=status_code)
    response.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=config.cookie_secure, path="/login"
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> Response:
    if principal_of(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return _render_form(request, message=None, next_path=safe_next(next), status_code=200)


def _attempt(request: Request, username: str, password: str) -> tuple[Login, str | None, str | None]:
    """Check the credentials and, if they pass, open a session; all in one committed transaction."""
    config: AuthConfig = request.app.state.auth
    now = datetime.now(UTC)
    address = client_address(request)
    with new_uow(request) as uow:
        login = authenticate(
            uow.session,
            config.passwords,
            config.lockout,
            username=username,
            password=password,
            address=address,
            now=now,
        )
        opened = None
        if login.result is LoginResult.OK and login.user is not None:
            opened = open_session(
                uow.session, config.sessions, user_id=login.user.user_id, address=address, now=now
            )
        user = login.user
        action = Action.LOGIN if opened else Action.LOCKED if login.just_locked else Action.LOGIN_FAILED
        uow.audit.append(
            AuditEntry(
                at=now,
                actor=username[:80],
                role=user.role if user else "-",
                unit_id=user.unit_id if user else None,
                action=action,
                object_type="user",
                object_id=username[:80],
                address=address,
                outcome=login.result.value,
            )
        )
        uow.commit()
    return login, opened.token if opened else None, opened.csrf_token if opened else None


@router.post("/login", response_class=HTMLResponse)
def login_submit(request: Request, form: FormFields) -> Response:
    next_path = safe_next(form.get("next"))
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not same(cookie, form.get(CSRF_FIELD, "")):
        return _render_form(request, message="页面已过期，请重新登录。", next_path=next_path, status_code=403)
    username = form.get("username", "").strip()[:64]
    password = form.get("password", "")
    if not username or not password:
        return _render_form(request, message="请输入用户名和密码。", next_path=next_path, status_code=400)
    login, token, _csrf = _attempt(request, username, password)
    if token is None:
        message = MESSAGES.get(login.result, MESSAGES[LoginResult.BAD_CREDENTIALS])
        return _render_form(
            request, message=message, next_path=next_path, status_code=STATUS.get(login.result, 401)
        )
    config: AuthConfig = request.app.state.auth
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=config.cookie_secure,
        path="/",
        max_age=int(config.sessions.absolute.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session (the middleware has already checked its CSRF token)."""
    principal = principal_of(request)
    token = request.cookies.get(SESSION_COOKIE)
    if principal is not None and token:
        with new_uow(request) as uow:
            end_session(uow.session, token)
            uow.commit()
        audit(request, principal, Action.LOGOUT, object_type="user", object_id=principal.user_id)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
