"""What a user sees when a request fails: never a traceback. Every request gets an id (the
X-Request-ID header); a failure is logged with it and shown with it, as a Vietnamese page on
the site and as problem+json (RFC 9457) under /api."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..db.database import reading
from ..domain.errors import InvalidInput
from ..domain.permissions import NotPermitted
from .deps import BUSY, RETRY_AFTER, signed_in
from .form_errors import FormErrors, pydantic_problem, split_detail, vietnamese
from .rendering import render, templates

log = logging.getLogger("chidao.web")

TITLES = {
    400: "Yêu cầu không hợp lệ", 401: "Chưa đăng nhập", 403: "Không có quyền thực hiện",
    404: "Không tìm thấy", 405: "Thao tác không được hỗ trợ", 409: "Xung đột yêu cầu",
    413: "Dữ liệu gửi lên quá lớn", 415: "Kiểu nội dung không được nhận",
    422: "Dữ liệu chưa hợp lệ", 429: "Quá nhiều yêu cầu", 500: "Lỗi hệ thống",
    503: "Hệ thống tạm thời gián đoạn",
}
DETAILS = {  # in place of Starlette's English defaults ("Not Found")
    404: "Không tìm thấy trang hoặc dữ liệu được yêu cầu.",
    405: "Địa chỉ này không nhận thao tác đó.",
    500: "Đã xảy ra lỗi ngoài dự kiến. Lỗi đã được ghi lại; vui lòng báo cho quản trị viên"
         " kèm mã yêu cầu bên dưới.",
    503: "Không kết nối được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
}


def request_id(request: Request) -> str:
    return str(getattr(request.state, "request_id", "-"))


class RequestIds:
    """ASGI middleware: an id per request, in scope state and in the X-Request-ID header; an
    exception nothing else handled becomes a logged 500 page or problem (not a traceback)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message).append("X-Request-ID", rid)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            if started:  # part of the answer is out: nothing better to send
                raise
            request = Request(scope)
            log.error("request %s: %s %s failed: %r", rid, request.method, request.url.path,
                      exc, exc_info=exc)
            await problem(request, 500, DETAILS[500])(scope, receive, send_with_id)


def _back(request: Request) -> str:
    """The page the user came from, if it is one of this site's (a link back to it)."""
    came_from = urlsplit(request.headers.get("referer", ""))
    if came_from.netloc != request.url.netloc or not came_from.path.startswith("/"):
        return ""
    if came_from.path == request.url.path and request.method == "GET":
        return ""
    return came_from.path + (f"?{came_from.query}" if came_from.query else "")


def problem(request: Request, status: int, detail: str,
            errors: list[dict[str, str]] | None = None,
            headers: Mapping[str, str] | None = None, title: str | None = None) -> Response:
    """problem+json under /api, else the error page; both carry the request id."""
    rid = request_id(request)
    title = title or TITLES.get(status) or HTTPStatus(status).phrase
    if request.url.path.startswith("/api"):
        body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status,
                                "detail": detail, "instance": request.url.path,
                                "request_id": rid}
        if errors:
            body["errors"] = errors
        return JSONResponse(body, status, headers=headers,
                            media_type="application/problem+json")
    context = {"status": status, "title": title, "detail": detail, "errors": errors or [],
               "request_id": rid, "back": _back(request)}
    sid = request.scope.get("session", {}).get("sid")
    if isinstance(sid, str) and sid and status < 500:  # the signed-in user's menu, if any
        try:
            with reading(request.app.state.engine) as session:
                user = signed_in(session, request)
                if user is not None:
                    return render(request, "error.html", session, user, status_code=status,
                                  **context)
        except SQLAlchemyError:
            pass
    try:  # the layout with the moment line; a bare one if even that fails
        answer = render(request, "error.html", None, None, status_code=status, **context)
    except Exception:  # noqa: BLE001 - an error page must always answer
        answer = templates.TemplateResponse(request, "error.html", {
            "user": None, "unit": None, "csrf": "", "message": None, **context,
        }, status_code=status)
    answer.headers.update(headers or {})
    return answer


_WHERE = {"body", "query", "path", "header", "cookie"}
_API_PROBLEMS = {  # pydantic error type -> what is wrong, in the API's JSON terms (pages say
    # it in form terms: chidao.web.form_errors)
    "missing": "bắt buộc nhưng chưa có", "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên", "float_parsing": "phải là số", "float_type": "phải là số",
    "bool_parsing": "phải là đúng/sai (true/false)", "string_type": "phải là chuỗi ký tự",
    "dict_type": "phải là một đối tượng JSON", "model_attributes_type": "phải là một đối tượng"
    " JSON", "list_type": "phải là một danh sách", "json_invalid": "không phải JSON hợp lệ",
    "extra_forbidden": "không được phép", "greater_than_equal": "nhỏ hơn mức tối thiểu",
    "less_than_equal": "lớn hơn mức tối đa",
}
STALE_FORM = ("Trang đã mở quá lâu, hoặc bạn đã đăng nhập lại ở nơi khác, nên biểu mẫu không"
              " còn hiệu lực. Vui lòng tải lại trang rồi gửi lại.")  # a CSRF token refused


def field_problems(errors: Any) -> list[dict[str, str]]:
    """FastAPI's validation errors as [{field, problem}], the problem in Vietnamese."""
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in _WHERE]
        problem = _API_PROBLEMS.get(error.get("type", "")) or pydantic_problem(error)
        found.append({"field": ".".join(loc) or "body", "problem": problem})
    return found


def _text(detail: Any, status: int) -> tuple[str, list[dict[str, str]] | None]:
    if isinstance(detail, dict) and {"field", "problem"} <= detail.keys():
        return f"{detail['field']}: {detail['problem']}", [
            {"field": str(detail["field"]), "problem": str(detail["problem"])}]
    text = str(detail)
    if status in DETAILS and text == HTTPStatus(status).phrase:
        text = DETAILS[status]
    return text, None


def _page_text(detail: Any, status: int) -> tuple[str, list[dict[str, str]] | None]:
    """An HTTPException's detail as a page says it: "new_due: …" names the field by its
    label, and a service's English problem is put into Vietnamese."""
    text, errors = _text(detail, status)
    split = split_detail(text) if errors is None else (errors[0]["field"], errors[0]["problem"])
    if split is None:
        return vietnamese(text), None
    form = FormErrors()
    form.add(*split)
    return f"{form.errors[0].label}: {form.errors[0].problem}", None


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api")


def sign_in_again(request: Request) -> Response:
    """A page that needs a signed-in user: the sign-in form, saying why, which brings the
    user back to the page they asked for (401: the address stays)."""
    from .pages_auth import login_form

    had_session = bool(request.scope.get("session", {}).get("sid"))
    reason = ("Phiên đăng nhập đã hết hạn hoặc đã kết thúc. Vui lòng đăng nhập lại."
              if had_session else "Vui lòng đăng nhập để xem trang này.")
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    back = target if request.method == "GET" else ""
    return login_form(request, 401, error=reason, next_path=back)


def _validation_page(request: Request, exc: RequestValidationError) -> Response:
    """On a page: a bad part of the address is a 404; the rest lists every field's problem,
    each by its Vietnamese label."""
    raw = exc.errors()
    if raw and all(error.get("loc", ("",))[0] == "path" for error in raw):
        return problem(request, 404, "Không có trang nào ở địa chỉ này (mã trong địa chỉ"
                                     " phải là một số).")
    form = FormErrors()
    form.add_validation(raw)
    count = len(form.errors)
    if request.method in ("GET", "HEAD"):
        detail = f"Địa chỉ trang có {count} giá trị không hợp lệ."
    else:
        detail = f"Có {count} lỗi cần sửa; vui lòng quay lại, sửa rồi gửi lại."
    return problem(request, 422, detail, form.as_dicts())


def install(app: FastAPI) -> None:
    """The handlers and the request-id middleware (outermost, so it catches what they don't)."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 401 and not _is_api(request):
            return sign_in_again(request)
        detail, errors = (_text if _is_api(request) else _page_text)(exc.detail,
                                                                     exc.status_code)
        log.info("request %s: %s %s -> %d %s", request_id(request), request.method,
                 request.url.path, exc.status_code, detail)
        if exc.status_code == 403 and "(CSRF)" in detail and not _is_api(request):
            return problem(request, 403, STALE_FORM, title="Biểu mẫu đã hết hiệu lực")
        return problem(request, exc.status_code, detail, errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = field_problems(exc.errors())
        detail = "; ".join(f"{e['field']}: {e['problem']}" for e in errors)
        log.info("request %s: %s %s -> 422 %s", request_id(request), request.method,
                 request.url.path, detail)
        if not _is_api(request):
            return _validation_page(request, exc)
        return problem(request, 422, detail, errors)

    @app.exception_handler(InvalidInput)
    async def invalid_input(request: Request, exc: InvalidInput) -> Response:
        log.info("request %s: %s %s -> 422 %s", request_id(request), request.method,
                 request.url.path, exc)
        if not _is_api(request):
            return problem(request, 422, *_page_text(f"{exc.field}: {exc.problem}", 422))
        said = vietnamese(exc.problem)  # a service's English problem in Vietnamese words
        where = f"dòng {exc.line}: " if exc.line is not None else ""
        return problem(request, 422, f"{where}{exc.field}: {said}",
                       [{"field": exc.field, "problem": f"{where}{said}"}])

    @app.exception_handler(NotPermitted)
    async def not_permitted(request: Request, exc: NotPermitted) -> Response:
        log.info("request %s: %s %s -> 403 %s", request_id(request), request.method,
                 request.url.path, exc)
        return problem(request, 403, str(exc))

    @app.exception_handler(OperationalError)
    async def database_down(request: Request, exc: OperationalError) -> Response:
        log.error("request %s: %s %s: database unavailable: %s", request_id(request),
                  request.method, request.url.path, exc.orig, exc_info=exc)
        return problem(request, 503, DETAILS[503])

    @app.exception_handler(PoolTimeout)
    async def pool_busy(request: Request, exc: PoolTimeout) -> Response:
        log.warning("request %s: %s %s: no database connection free in time",
                    request_id(request), request.method, request.url.path)
        return problem(request, 503, BUSY, headers={"Retry-After": RETRY_AFTER})

    app.add_middleware(RequestIds)
