"""Hostile inputs shared by the named tests and the property-based test: a directive to post,
small "billion laughs" documents, a .docx zip bomb, and how to post as a signed-in user."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import yaml
from docx import Document

from tests.web_fixtures import csrf_of


# Nine aliases per level, `levels` levels deep: 9**levels leaves once expanded. The attack of
# the issue used 9 levels (387 million); 5 levels (59,049) is enough to show it is refused
# without costing the "before" run minutes.
def laughs(levels: int, key: str) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels + 1):
        ref = f"*a{n - 1}"
        lines.append(f"a{n}: &a{n} [{', '.join([ref] * 9)}]")
    lines.append(f"{key}: *a{levels}")
    return "\n".join(lines) + "\n"


def directive_yaml(**changes: Any) -> str:
    data: dict[str, Any] = {
        "number_symbol": "77/KH-UBND", "issuer": "UBND-KIENHAI", "issued_on": "2026-03-20",
        "title": "Kế hoạch thử", "requirements": [{
            "key": "r", "kind": "action", "title": "Việc thử", "to": {"children": {}},
            "due": "2026-04-30"}]}
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        target[last] = value
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def post_form(client: Any, url: str, form_page: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client.get(form_page).text)
    return client.post(url, data={"csrf": token, **data}, follow_redirects=False)


def zip_bomb_docx(path: Path, unpacked_mb: int) -> Path:
    """A real .docx whose document part is padded with `unpacked_mb` MB of blanks (it
    compresses about 1000:1), written in chunks so the test itself stays small."""
    plain = path.with_name("plain.docx")
    document = Document()
    document.add_paragraph("KẾ HOẠCH thử")
    document.save(str(plain))
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
            path, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            data = source.read(item)
            if item.filename != "word/document.xml":
                bomb.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with bomb.open("word/document.xml", "w", force_zip64=True) as part:
                part.write(head + b"<w:body>")
                for _ in range(unpacked_mb):
                    part.write(b" " * (1024 * 1024))
                part.write(tail)
    return path
