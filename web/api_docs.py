"""The API's documentation, served offline: /api/openapi.json (FastAPI's), and /api/docs, the
Swagger UI page whose script and style come from this server (the copies the fastapi-offline
package ships), never from a CDN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

PAGES_TAG = "trang web (HTML)"
TAGS = [  # the order of the groups on /api/docs: the API first, the HTML pages last
    {"name": "văn bản", "description": "Ban hành (JSON hoặc YAML), gia hạn, thu hồi văn bản."},
    {"name": "nhiệm vụ", "description": "Tiếp nhận, nộp, chấp nhận, trả lại, thu hồi, miễn"
                                        " một nhiệm vụ."},
    {"name": "đọc", "description": "Danh sách và chi tiết văn bản, nhiệm vụ, tệp."},
    {"name": "lịch nghỉ", "description": "Công bố, xem, hủy lịch nghỉ học / nghỉ làm việc."},
    {"name": "quản trị", "description": "Đơn vị và tài khoản (quản trị đơn vị)."},
    {"name": PAGES_TAG, "description": "Các trang của giao diện web (HTML, đăng nhập bằng"
                                       " cookie): không phải API."},
]
ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/api/docs-assets"
DESCRIPTION = """Giao nhiệm vụ theo văn bản chỉ đạo: API JSON.

* **Xác thực**: `Authorization: Bearer <token>` (`chidao users token TÊN`). Mỗi lời gọi thấy
  và làm đúng những gì người dùng đó thấy và làm trên trang web: không được đọc → 404, được
  đọc nhưng không được làm → 403. Người được ủy quyền hành động thì bản ghi nêu cả hai tên.
* **Chống gửi trùng**: mọi POST nhận tiêu đề `Idempotency-Key` (1–128 ký tự ASCII): gửi lại
  cùng khóa, cùng yêu cầu trong 24 giờ nhận lại câu trả lời lần đầu (kèm
  `Idempotent-Replayed: true`), không thực hiện lần hai; cùng khóa, yêu cầu khác → 422; hai
  yêu cầu cùng khóa cùng lúc → một trong hai nhận 409.
* **Phân trang**: mọi danh sách nhận `?page=` (từ 1) và `?per_page=` (1–200, mặc định 50), trả
  `{"items": [...], "page", "per_page", "total"}` cùng tiêu đề `Link` (rel="next", "prev",
  "first", "last") và `X-Total-Count`.
* **Lỗi**: `application/problem+json` (RFC 9457) với `detail` tiếng Việt và `errors: [{field,
  problem}]` chỉ rõ trường sai; mọi câu trả lời có `X-Request-ID`."""


def install(app: FastAPI) -> None:
    """Mount the assets and the page (the app is built with docs_url=None)."""
    app.description = DESCRIPTION
    app.openapi_tags = TAGS
    _bearer_in_schema(app)
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="api-docs-assets")

    @app.get("/api/docs", include_in_schema=False)
    def swagger_page() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/api/openapi.json", title="chidao API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png")


def _bearer_in_schema(app: FastAPI) -> None:
    """Every /api operation says it takes a bearer token (Swagger UI's Authorize button)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        spec = build()  # FastAPI's, cached on the app after the first call
        schemes = spec.setdefault("components", {}).setdefault("securitySchemes", {})
        schemes["bearer"] = {"type": "http", "scheme": "bearer",
                             "description": "Token API: `chidao users token TÊN`"}
        for path, item in spec["paths"].items():
            if path.startswith("/api/"):
                for operation in item.values():
                    operation.setdefault("security", [{"bearer": []}])
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
