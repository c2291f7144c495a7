"""用户管理 for the city administrator (users.manage), scoped to their unit subtree, and every
signed-in user's own password change (/account/password). The account list's API is `api/users.py`.

Every action is audited; the middleware checks the CSRF token of every form. Accounts and tokens
of other units answer 404, like missing ones. Generated passwords are shown once, never cached.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from fanzha.audit.model import Action
from fanzha.auth import queries as account_queries
from fanzha.auth import service as accounts
from fanzha.auth.config import AuthConfig
from fanzha.auth.model import Account, Permission, Principal, Role
from fanzha.web.deps import (
    CurrentPrincipal,
    DbSession,
    FormFields,
    audit,
    client_address,
    new_uow,
    not_visible,
    require,
)
from fanzha.web.render import render
from fanzha.web.security import SESSION_COOKIE

router = APIRouter(include_in_schema=False)

Admin = Annotated[Principal, require(Permission.USERS_MANAGE)]
NO_STORE = {"Cache-Control": "no-store"}
NOTICES = {
    "disabled": "账号已停用，其会话已全部失效。",
    "enabled": "账号已启用。",
    "unlocked": "账号已解除锁定。",
    "revoked": "令牌已吊销。",
    "self": "不能对自己的账号执行此操作；修改本人密码请使用“修改密码”。",
}


def _now() -> datetime:
    return datetime.now(UTC)


def _config(request: Request) -> AuthConfig:
    config: AuthConfig = request.app.state.auth
    return config


def _missing(request: Request, principal: Principal, kind: str, object_id: int) -> Exception:
    return not_visible(
        request, principal, kind, object_id, lambda: HTTPException(404, f"{kind} {object_id} not found")
    )


@router.get("/users", response_class=HTMLResponse)
def users_page(
    request: Request, session: DbSession, principal: Admin, notice: str | None = None
) -> HTMLResponse:
    """用户管理: accounts and API tokens of the administrator's units."""
    views = account_queries.users_of(session, principal, _now())
    audit(request, principal, Action.USER_LIST, object_type="user", object_id=f"{len(views)} rows")
    return _users_page(request, session, principal, views, notice=NOTICES.get(notice or ""))


def _users_page(
    request: Request,
    session: Session,
    principal: Principal,
    views: list[account_queries.UserView],
    *,
    notice: str | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "users": views,
        "tokens": account_queries.tokens_of(session, principal),
        "units": account_queries.units_of(session, principal),
        "roles": list(Role),
        "role_labels": {r.value: r.label for r in Role},
        "notice": notice,
        "error": error,
        "form": form or {},
        "me": principal.user_id,
        "now": _now(),
    }
    return render(request, "users/users.html", context, status_code=400 if error else 200)


@router.post("/users", response_class=HTMLResponse)
def add_user(request: Request, session: DbSession, principal: Admin, form: FormFields) -> Response:
    """Create an account in one of the administrator's units; its generated password is shown once."""
    fields = {k: form.get(k, "") for k in ("username", "display_name", "role", "unit_id")}
    now = _now()
    try:
        with new_uow(request) as uow:
            user_id, password = accounts.add_user(
                uow.session, _config(request).passwords, principal, now=now, **fields
            )
            uow.commit()
    except accounts.AccountError as exc:
        audit(
            request,
            principal,
            Action.USER_CREATED,
            object_type="user",
            object_id=fields["username"][:80],
            object_unit_id=fields["unit_id"][:64] or None,
            outcome="refused",
        )
        views = account_queries.users_of(session, principal, now)
        return _users_page(request, session, principal, views, error=str(exc), form=fields)
    audit(
        request,
        principal,
        Action.USER_CREATED,
        object_type="user",
        object_id=user_id,
        object_unit_id=fields["unit_id"],
        fields=(fields["role"],),
    )
    return _once(request, fields["username"], password, "账号已创建")


def _once(request: Request, username: str, password: str, title: str) -> HTMLResponse:
    response = render(
        request, "users/once.html", {"username": username, "password": password, "title": title}
    )
    response.headers.update(NO_STORE)
    return response


def _user_action(
    request: Request,
    principal: Principal,
    user_id: int,
    action: Action,
    apply: Callable[[Session, Account], str],
) -> tuple[bool, str]:
    """Apply `apply` to a user of the principal's units in one transaction and audit it:
    (done, its result). Administrators do not act on their own account here (done is False)."""
    with new_uow(request) as uow:
        user = account_queries.scoped_user(uow.session, principal, user_id)
        if user is None:
            raise _missing(request, principal, "user", user_id)
        if user.username == principal.user_id:
            audit(request, principal, action, object_type="user", object_id=user_id, outcome="refused")
            return False, ""
        unit_id = user.unit_id
        result = apply(uow.session, user)
        uow.commit()
    audit(request, principal, action, object_type="user", object_id=user_id, object_unit_id=unit_id)
    return True, result


def _back(notice: str) -> RedirectResponse:
    return RedirectResponse(f"/users?notice={notice}", status_code=303)


def _set_active(active: bool) -> Callable[[Session, Account], str]:
    def apply(session: Session, user: Account) -> str:
        accounts.set_active(session, user, active)
        return ""

    return apply


@router.post("/users/{user_id}/disable")
def disable(request: Request, principal: Admin, user_id: int) -> Response:
    """Disable an account: it cannot sign in, and its sessions end at once."""
    done, _ = _user_action(request, principal, user_id, Action.USER_DISABLED, _set_active(False))
    return _back("disabled" if done else "self")


@router.post("/users/{user_id}/enable")
def enable(request: Request, principal: Admin, user_id: int) -> Response:
    done, _ = _user_action(request, principal, user_id, Action.USER_ENABLED, _set_active(True))
    return _back("enabled" if done else "self")


@router.post("/users/{user_id}/unlock")
def unlock(request: Request, principal: Admin, user_id: int) -> Response:
    now = _now()

    def apply(session: Session, user: Account) -> str:
        accounts.unlock(session, user, now)
        return ""

    done, _ = _user_action(request, principal, user_id, Action.USER_UNLOCKED, apply)
    return _back("unlocked" if done else "self")


@router.post("/users/{user_id}/reset-password", response_class=HTMLResponse)
def reset_password(request: Request, principal: Admin, user_id: int) -> Response:
    """A new generated password, shown once; every session of the user ends."""
    names: list[str] = []

    def apply(session: Session, user: Account) -> str:
        names.append(user.username)
        return accounts.reset_password(session, _config(request).passwords, user)[0]

    done, password = _user_action(request, principal, user_id, Action.PASSWORD_RESET, apply)
    return _once(request, names[0], password, "密码已重置") if done else _back("self")


@router.post("/users/tokens/{token_id}/revoke")
def revoke_token(request: Request, principal: Admin, token_id: int) -> Response:
    with new_uow(request) as uow:
        token = account_queries.scoped_token(uow.session, principal, token_id)
        if token is None:
            raise _missing(request, principal, "api_token", token_id)
        unit_id, name = token.unit_id, token.name
        accounts.revoke_token(uow.session, token)
        uow.commit()
    audit(
        request,
        principal,
        Action.TOKEN_REVOKED,
        object_type="api_token",
        object_id=name,
        object_unit_id=unit_id,
    )
    return _back("revoked")


@router.get("/account/password", response_class=HTMLResponse)
def password_page(request: Request, principal: CurrentPrincipal) -> HTMLResponse:
    return render(request, "users/password.html", {"message": None, "done": False})


@router.post("/account/password", response_class=HTMLResponse)
def change_password(request: Request, principal: CurrentPrincipal, form: FormFields) -> HTMLResponse:
    """Change one's own password: the current one is checked like a login; other sessions end."""
    if principal.user_id.startswith("token:"):
        raise HTTPException(403, "API tokens have no password")
    new = form.get("new_password", "")
    if new != form.get("confirm_password", ""):
        return render(
            request, "users/password.html", {"message": "两次输入的新密码不一致", "done": False}, 400
        )
    config = _config(request)
    with new_uow(request) as uow:
        change = accounts.change_password(
            uow.session,
            config.passwords,
            config.lockout,
            username=principal.user_id,
            current=form.get("current_password", ""),
            new=new,
            address=client_address(request),
            now=_now(),
            keep_session=request.cookies.get(SESSION_COOKIE),
        )
        uow.commit()
    action = Action.LOCKED if change.just_locked else Action.PASSWORD_CHANGED
    failed = change.result is not accounts.LoginResult.OK
    outcome = change.result.value if failed else "ok" if change.problem is None else "refused"
    audit(request, principal, action, object_type="user", object_id=principal.user_id, outcome=outcome)
    status = 200 if change.problem is None else 423 if change.result is accounts.LoginResult.LOCKED else 400
    context = {"message": change.problem, "done": change.problem is None}
    return render(request, "users/password.html", context, status)
