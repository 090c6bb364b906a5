"""The web app `reportgen serve` runs: drop files, see the forms and what is wrong with
them, download them, for people who do not use a terminal.

A Starlette app; its pages are Jinja templates (web/templates/), its script and
stylesheet plain files (web/static/), so that it works offline and needs no build
step. Each browser session has its own workspace (workspace.py), found by a cookie.
Reading and writing run in worker threads, so that one long upload does not stop the
pages of another session.

Safe by default: the app refuses to listen beyond this machine without a token;
uploads are limited in size and count; everything from the data is escaped by Jinja's
autoescaping, and a Content-Security-Policy allows no script but the app's own; a form
is shown in a sandboxed frame that runs no script at all.
"""
from __future__ import annotations

import asyncio
import ipaddress
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, Callable
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Message

from .. import __version__
from ..model import KIND_NAMES
from ..rules import Rules
from .workspace import FORMATS, Form, Limits, UploadRefused, Workspace, Workspaces

HERE = Path(__file__).parent
SESSION_COOKIE, TOKEN_COOKIE = "reportgen_session", "reportgen_token"
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; frame-ancestors 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
FORMAT_NAMES = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}


class Refused(Exception):
    """The server may not start as asked (an address beyond this machine, no token)."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def create_app(rules: Rules, host: str = "127.0.0.1", token: str | None = None,
               limits: Limits = Limits(), workspace_dir: Path | None = None) -> Starlette:
    """The web app. Listening on any address but this machine's needs a token, which
    every request must then carry (in the address once, then in a cookie)."""
    if not is_loopback(host) and not token:
        raise Refused(f"refusing to listen on {host} without a token: anyone on the network "
                      "could read the forms uploaded (give --token, or listen on 127.0.0.1)")
    spaces = Workspaces(rules, limits, workspace_dir)
    pages = Pages(spaces, rules, limits)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        sweeper = asyncio.create_task(_sweep(spaces))
        try:
            yield
        finally:
            sweeper.cancel()
            spaces.close()  # the server stops: every workspace goes

    app = Starlette(routes=pages.routes(), lifespan=lifespan, middleware=[Middleware(Guard, token=token)])
    app.state.workspaces = spaces
    return app


class Pages:
    """The handlers of the app's pages, over the sessions' workspaces."""

    def __init__(self, spaces: Workspaces, rules: Rules, limits: Limits) -> None:
        self.spaces, self.rules, self.limits = spaces, rules, limits
        self.templates = _environment()

    def routes(self) -> list[Route | Mount]:
        return [
            Route("/", self.index),
            Route("/upload", self.upload, methods=["POST"]),
            Route("/clear", self.clear, methods=["POST"]),
            Route("/forms/{number:int}", self.form_page),
            Route("/forms/{number:int}/preview", self.form_preview),
            Route("/summary", self.summary_page),
            Route("/summary/{number:int}/preview", self.summary_preview),
            Route("/download/{name:path}", self.download),
            Route("/all.zip", self.download_all),
            Route("/blank/{what}/{kind}.xlsx", self.blank),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ]

    def page(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.templates.get_template(name).render(
            version=__version__, kinds=KIND_NAMES, severities=SEVERITY_NAMES, format_names=FORMAT_NAMES,
            formats=FORMATS, **context)
        return HTMLResponse(html, status_code=status)

    def missing(self, what: str) -> HTMLResponse:
        return self.page("missing.html.j2", 404, what=what)

    def session(self, request: Request) -> Workspace | None:
        return self.spaces.get(request.cookies.get(SESSION_COOKIE))

    async def index(self, request: Request) -> Response:
        space = self.session(request)
        forms = space.forms if space else []
        return self.page("index.html.j2", space=space, limits=self.limits,
                         departments=sorted({f.document.department or "" for f in forms}),
                         years=sorted({f.document.year for f in forms}))

    async def upload(self, request: Request) -> Response:
        """Files posted by the page's script (JSON back) or by its form without script
        (back to the list)."""
        space, new_key = self.session(request), None
        if space is None:
            new_key, space = self.spaces.new()
        try:
            files = await _uploaded_files(request, self.limits)
            reports = [await run_in_threadpool(space.add, name, data) for name, data in files]
        except UploadRefused as exc:
            response: Response = JSONResponse({"error": str(exc)}, status_code=413)
        else:
            payload = [{"name": r.name, "forms": r.forms, "errors": r.errors,
                        "warnings": [f"{where} {what}".strip() for where, what in r.warnings]} for r in reports]
            response = (RedirectResponse("/", status_code=303) if request.query_params.get("via") == "form"
                        else JSONResponse({"files": payload, "forms": len(space.forms)}))
        if new_key:
            _set_cookie(response, SESSION_COOKIE, new_key)
        return response

    async def clear(self, request: Request) -> Response:
        key = request.cookies.get(SESSION_COOKIE)
        if key:
            self.spaces.drop(key)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response

    def form_of(self, request: Request) -> tuple[Workspace, Form] | None:
        space = self.session(request)
        form = space.form(request.path_params["number"]) if space else None
        return (space, form) if space and form else None

    async def form_page(self, request: Request) -> Response:
        found = self.form_of(request)
        return self.page("form.html.j2", form=found[1]) if found else self.missing("这份表格")

    async def form_preview(self, request: Request) -> Response:
        found = self.form_of(request)
        if found is None:
            return self.missing("这份表格")
        space, form = found
        html = (await run_in_threadpool(space.form_file, form, "html")).decode("utf-8")
        return HTMLResponse(_with_highlights(html, form))

    async def summary_page(self, request: Request) -> Response:
        space = self.session(request)
        summaries = await run_in_threadpool(space.summaries) if space else []
        return self.page("summary.html.j2", summaries=summaries)

    async def summary_preview(self, request: Request) -> Response:
        space = self.session(request)
        summaries = await run_in_threadpool(space.summaries) if space else []
        number = request.path_params["number"]
        if space is None or not 0 <= number < len(summaries):
            return self.missing("这份汇总")
        html = await run_in_threadpool(space.summary_file, summaries[number], "html")
        return HTMLResponse(html.decode("utf-8"))

    async def download(self, request: Request) -> Response:
        """A form's or a summary's file, by the name the workspace gave it; nothing by
        a path (the name is looked up, never opened)."""
        name = request.path_params["name"]
        space = self.session(request)
        if "/" in name or "\\" in name or name.startswith("."):
            return self.missing("这个文件（路径不在本工作区内）")
        data = await run_in_threadpool(space.file_named, name) if space else None
        return _attachment(data, name) if data is not None else self.missing("这个文件")

    async def download_all(self, request: Request) -> Response:
        space = self.session(request)
        chosen = [f for f in request.query_params.getlist("formats") if f in FORMATS] or list(FORMATS)
        if space is None or not space.forms:
            return self.missing("可下载的表格（请先上传文件）")
        return _attachment(await run_in_threadpool(space.zip_of, chosen), "reportgen-表格.zip")

    async def blank(self, request: Request) -> Response:
        what, kind = request.path_params["what"], request.path_params["kind"]
        if kind not in KIND_NAMES or what not in ("entry", "form"):
            return self.missing("这个模板")
        data = await run_in_threadpool(_blank, what, kind, self.rules)
        return _attachment(data, f"{'录入模板' if what == 'entry' else '填报表'}-{KIND_NAMES[kind]}.xlsx")


async def _sweep(spaces: Workspaces, every: float = 60.0) -> None:
    """Delete expired workspaces while no request comes in to do it."""
    while True:
        await asyncio.sleep(every)
        await run_in_threadpool(spaces.expire)


class Guard:
    """Every request checked for the token (when there is one), every response given
    the security headers."""

    def __init__(self, app: Callable[..., Awaitable[None]], token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.token is not None:
            request = Request(scope)
            given = request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
            if not secrets.compare_digest(given.encode(), self.token.encode()):
                await _forbidden()(scope, receive, send)
                return
            if request.query_params.get("token"):  # once in the address: then a cookie, and the address without it
                response = RedirectResponse(str(request.url.remove_query_params("token")), status_code=303)
                _set_cookie(response, TOKEN_COOKIE, self.token)
                await response(scope, receive, send)
                return

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [
                    (k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
            await send(message)
        await self.app(scope, receive, with_headers)


def _forbidden() -> Response:
    return HTMLResponse("<!DOCTYPE html><meta charset=utf-8><title>需要令牌</title>"
                        "<p>此服务需要令牌：请使用 reportgen serve 启动时打印的完整网址打开。</p>",
                        status_code=403, headers=SECURITY_HEADERS)


def _set_cookie(response: Response, name: str, value: str) -> None:
    response.set_cookie(name, value, httponly=True, samesite="strict", path="/")


def _attachment(data: bytes, name: str) -> Response:
    """A download, its name in UTF-8 (RFC 6266) and an ASCII stand-in for old browsers."""
    suffix = name.rsplit(".", 1)[-1].lower()
    ascii_name = f"download.{suffix}" if suffix.isascii() else "download"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=MEDIA_TYPES.get(suffix, "application/octet-stream"),
                    headers={"Content-Disposition": disposition})


async def _uploaded_files(request: Request, limits: Limits) -> list[tuple[str, bytes]]:
    """The files of a multipart upload, within the limits (UploadRefused beyond them):
    the size is checked on the declared length and again on what arrives."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limits.upload_bytes:
        raise UploadRefused(_too_large(limits))
    received = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limits.upload_bytes:
            raise UploadRefused(_too_large(limits))
        return message

    limited = Request(request.scope, counted)
    try:
        form = await limited.form(max_files=limits.upload_files, max_fields=limits.upload_files + 10)
    except UploadRefused:
        raise
    except Exception as exc:  # a malformed body, too many files (Starlette's MultiPartException)
        message = str(exc)
        if "Too many files" in message:
            raise UploadRefused(f"一次最多上传 {limits.upload_files} 个文件") from None
        raise UploadRefused(f"上传的内容无法读取：{message}") from None
    files = []
    for item in form.getlist("files"):
        if not isinstance(item, str) and item.filename:  # (a field without a file comes as text)
            files.append((Path(item.filename).name, await item.read()))
    if not files:
        raise UploadRefused("没有收到文件：请选择或拖入要读取的文件")
    return files


def _too_large(limits: Limits) -> str:
    return f"上传的文件过大：一次最多 {limits.upload_bytes // (1024 * 1024)} MB"


def _with_highlights(html: str, form: Form) -> str:
    """The form's page with the cells its findings name marked, by severity (the
    worst wins): a field names its cell, or every cell of the record it starts."""
    rules = []
    for severity, colour in (("info", "#e8f1fb"), ("warning", "#fff3c4"), ("error", "#ffd6d6")):
        fields = sorted({f.field for f in form.findings if f.severity == severity and f.field})
        for name in fields:
            quoted = name.replace("\\", "\\\\").replace('"', '\\"')
            rules.append(f'[data-field="{quoted}"], [data-field^="{quoted}."], [data-field^="{quoted}["] '
                         f"{{ background: {colour} !important; outline: 2px solid {_outline(severity)}; "
                         "outline-offset: -2px; }")
    style = "<style>\nbody { margin: 12px; }\n" + "\n".join(rules) + "\n</style>\n"
    return html.replace("</head>", style + "</head>", 1)


def _outline(severity: str) -> str:
    return {"error": "#c0392b", "warning": "#d4a017", "info": "#4a90d9"}[severity]


def _blank(what: str, kind: str, rules: Rules) -> bytes:
    if what == "entry":
        from ..writers.entry_template import entry_bytes

        return entry_bytes(kind, rules)
    from ..cli import generation_year
    from ..writers.fill_form import form_bytes

    return form_bytes(kind, generation_year(), 20, rules)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(["j2", "html"], default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["score_or_rate"] = _score_or_rate
    return env


def _score_or_rate(form: Form) -> str:
    """What the forms table shows of a form: 总分 and 评分等级, or 执行率."""
    doc = form.document
    if doc.kind == "selfeval":
        score = "" if doc.total_score is None else f"{doc.total_score}"
        return " ".join(part for part in (score, doc.grade or "") if part)
    rate = doc.funding.total.rate
    return "" if rate is None else f"执行率 {rate}%"
