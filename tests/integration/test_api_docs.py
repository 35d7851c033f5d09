"""The API's OpenAPI document covers every route with its models and examples, documents the
Idempotency-Key on every POST, and its Swagger UI page loads nothing from outside."""

from __future__ import annotations

import re

from tests.web_fixtures import routes


def _schema(spec, node):
    ref = node.get("$ref") or (node.get("items") or {}).get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else node


def _has_example(spec, content) -> bool:
    for media in content.values():
        if "example" in media or "examples" in media:
            return True
        if "examples" in _schema(spec, media.get("schema", {})):
            return True
    return False


def test_every_api_operation_is_documented_with_models_and_examples(web):
    spec = web.app.openapi()
    api = [(m, p) for m, p in routes(web.app) if p.startswith("/api/")]
    assert len(api) >= 25
    for method, path in api:
        operation = spec["paths"][path][method.lower()]
        assert operation.get("description") or operation.get("summary"), (method, path)
        answers = {code: body for code, body in operation["responses"].items()
                   if code.startswith("2")}
        assert answers, (method, path)
        if method == "POST":
            headers = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            assert headers.count("Idempotency-Key") == 1, (method, path)
            body = operation.get("requestBody")
            if not path.endswith(("/receive", "/logout-all")):  # no body by design
                assert body and _has_example(spec, body["content"]), (method, path)
        if path.endswith("/files/{attachment_id}"):
            continue
        content = next(iter(answers.values())).get("content", {})
        schema = _schema(spec, content.get("application/json", {}).get("schema", {}))
        assert schema.get("properties") or schema.get("additionalProperties"), (method, path)
    for name, schema in spec["components"]["schemas"].items():
        if name.endswith(("Body", "Row", "User", "Role")) and "Validation" not in name:
            assert "examples" in schema, name
    assert "Idempotency-Key" in spec["info"]["description"]


def test_the_swagger_page_is_served_without_a_cdn(web):
    client = web.client()
    page = client.get("/api/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/api/docs-assets/") for s in sources), sources
    assert "cdn" not in page.text.lower()
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200 and len(asset.content) > 1000, source
    assert client.get("/api/openapi.json").json()["info"]["title"] == "chidao"


def test_every_body_of_the_api_refuses_a_wrong_type_by_field_in_vietnamese(web):
    """A JSON array where an object is expected, then a list in each text field: a 422
    problem naming the field, in Vietnamese, on every POST that takes a model."""
    spec = web.app.openapi()
    client = web.client()
    auth = {"Authorization": f"Bearer {web.tokens['chuyenvien.so']}"}
    checked = 0
    for path, item in spec["paths"].items():
        body = item.get("post", {}).get("requestBody", {})
        ref = body.get("content", {}).get("application/json", {}).get("schema", {}).get("$ref")
        if not path.startswith("/api/") or not ref:
            continue
        url = re.sub(r"\{(\w+)\}", lambda m: "x" if m[1] == "username" else "1", path)
        whole = client.post(url, json=[], headers=auth)
        assert whole.status_code == 422, (path, whole.text)
        assert whole.headers["content-type"] == "application/problem+json"
        assert whole.json()["errors"] == [{"field": "body", "problem": "phải là một đối tượng"
                                                                       " JSON"}], path
        schema = _schema(spec, {"$ref": ref})
        for name, field in schema["properties"].items():
            if field.get("type") == "string":
                wrong = client.post(url, json={name: ["?"]}, headers=auth)
                assert wrong.status_code == 422, (path, name)
                assert wrong.json()["errors"] == [{"field": name,
                                                   "problem": "phải là chuỗi ký tự"}], path
                checked += 1
    assert checked >= 15
