"""The login in front of the chat (REFERAT_UI_USERNAME/PASSWORD).

Gradio's own login is not used: its start page embeds the API description (the indexed
municipalities and committees are in it as dropdown choices) before anyone has logged in,
its form is English, and its /login takes guesses without end. Here the Gradio app is
mounted behind a gate that serves nothing but a Danish login page and the login itself to a
client without a session; Gradio is told who is logged in through its `auth_dependency`.
Failed logins are counted per client address, and a client that fails
`login_max_failures` times in a row must wait `login_lockout_s` before it may try again.
"""

from __future__ import annotations

import hmac
import logging
import math
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from assistant.core.config import UiSettings

log = logging.getLogger(__name__)

COOKIE = "referat-session"
LOGIN_PAGE = Path(__file__).with_name("login.html")
# What a client without a session may fetch: the login page and the login. Everything else
# (Gradio's page, /config, /gradio_api/info, uploads, files, the queue) needs a session.
OPEN_PATHS = frozenset({"/login", "/login/"})
WRONG = "Forkert brugernavn eller adgangskode."
NOT_LOGGED_IN = "Log ind først."
# Client addresses remembered at most; beyond it the oldest records are forgotten (a
# locked-out client stays locked until its time is up, since its record is the newest).
MAX_CLIENTS = 10_000


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    """Failed logins per client: after `max_failures` in a row the client is refused for
    `lockout_s` without its password being checked; a success clears its count. `clock`
    is monotonic seconds (a test passes its own to step over the lockout)."""

    def __init__(
        self, max_failures: int, lockout_s: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.lockout_s = lockout_s
        self._clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def wait_s(self, client: str) -> float:
        """Seconds `client` must still wait before trying again (0: it may try now)."""
        with self._lock:
            record = self._records.get(client)
            return max(0.0, record.locked_until - self._clock()) if record else 0.0

    def failed(self, client: str) -> None:
        with self._lock:
            record = self._records.pop(client, None) or _Record()
            record.failures += 1
            if record.failures >= self.max_failures:
                record.failures = 0
                record.locked_until = self._clock() + self.lockout_s
            self._records[client] = record  # re-inserted: the newest record
            while len(self._records) > MAX_CLIENTS:
                self._records.pop(next(iter(self._records)))

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._records.pop(client, None)


class Sessions:
    """Session tokens of logged-in browsers (held in memory: a restart asks for the login
    again)."""

    def __init__(self) -> None:
        self._users: dict[str, str] = {}
        self._lock = threading.Lock()

    def open(self, username: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._users[token] = username
        return token

    def close(self, token: str | None) -> None:
        with self._lock:
            self._users.pop(token or "", None)

    def user(self, request: Request) -> str | None:
        with self._lock:
            return self._users.get(request.cookies.get(COOKIE) or "")


def _client(request: Request) -> str:
    # uvicorn puts a trusted proxy's X-Forwarded-For here (forwarded_allow_ips).
    return request.client.host if request.client else ""


def _matches(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def guarded(settings: UiSettings) -> tuple[FastAPI, Sessions]:
    """A FastAPI app with the gate and the login routes; the caller mounts Gradio on it
    with `auth_dependency=sessions.user`."""
    # No docs or OpenAPI schema of our own: they would be open before login.
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    sessions = Sessions()
    throttle = LoginThrottle(settings.login_max_failures, settings.login_lockout_s)
    username, password = settings.ui_username, settings.ui_password.get_secret_value()

    @app.middleware("http")
    async def require_login(request: Request, call_next: Callable) -> Response:
        if request.url.path in OPEN_PATHS or sessions.user(request) is not None:
            return await call_next(request)
        if request.method in ("GET", "HEAD") and request.url.path == "/":
            return RedirectResponse("login", status_code=303)
        return JSONResponse({"detail": NOT_LOGGED_IN}, status_code=401)

    @app.get("/login", response_class=HTMLResponse)
    @app.get("/login/", response_class=HTMLResponse)
    def login_page() -> HTMLResponse:
        return HTMLResponse(LOGIN_PAGE.read_text(encoding="utf-8"))

    @app.post("/login")
    @app.post("/login/")
    async def login(request: Request) -> Response:
        client = _client(request)
        wait = throttle.wait_s(client)
        if wait > 0:
            return JSONResponse(
                {"detail": f"For mange forkerte forsøg. Prøv igen om {math.ceil(wait)} sekunder."},
                status_code=429,
                headers={"Retry-After": str(math.ceil(wait))},
            )
        form = await request.form()
        given_user, given_password = str(form.get("username", "")), str(form.get("password", ""))
        # Both compared, always, so the answer's timing does not tell which one was wrong.
        user_ok = _matches(given_user.strip(), username)
        password_ok = _matches(given_password, password)
        if not (user_ok and password_ok):
            throttle.failed(client)
            log.warning("Forkert login fra %s", client or "ukendt adresse")
            return JSONResponse({"detail": WRONG}, status_code=401)
        throttle.succeeded(client)
        response = JSONResponse({"success": True})
        response.set_cookie(
            COOKIE,
            sessions.open(username),
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
        )
        return response

    @app.get("/logout")
    def logout(request: Request) -> Response:
        sessions.close(request.cookies.get(COOKIE))
        response = RedirectResponse("login", status_code=303)
        response.delete_cookie(COOKIE)
        return response

    return app, sessions
