"""Body fields: the addressees, the assignee groups and their tasks, deadline phrases."""

from __future__ import annotations

import re
from typing import Any

from .doc_text import Line, fold

SECTION = re.compile(r"^([IVX]+|[A-H])\.\s+")  # "III. TỔ CHỨC THỰC HIỆN", "B. TỔ CHỨC …"
ITEM = re.compile(r"^\d+[.)]\s+")
SUBHEADING = re.compile(r"^(\d+|[a-đ])[.)]\s+(.{3,100})$")
BULLET = re.compile(r"^[-+•–]\s*")
BODY_WORDS = ("can cu", "thuc hien", "theo ", "trien khai", "nham ", "de ", "tiep theo")
ROLES = ("hieu truong", "pho hieu truong", "giao vien", "nhan vien", "ke toan", "van phong",
         "to truong", "to pho")  # whole actors: the verb may follow at once
BODIES = ("bo phan", "to ", "chi doan", "chi bo", "cong doan", "cac ", "phong ", "ubnd",
          "uy ban", "so ", "ban ", "trung tam", "doan ", "lien doi", "truong ", "co so", "bo ",
          "tram ", "nhom ", "hoi ", "chi hoi")  # a unit noun: its name follows ("Ban kiểm tra …")
ACTORS = ROLES + BODIES
ACTOR_VERB = re.compile(
    r"\b(chi dao|chiu trach nhiem|co trach nhiem|xay dung|to chuc|phoi hop|trien khai|"
    r"tham muu|thuc hien|theo doi|huong dan|bao cao|kiem tra|chu tri|chu dong|don doc|ra soat|"
    r"lap|bo tri|quan ly|tuyen truyen|giam sat|cu|dam bao|bao dam|tham gia|can cu|nghien cuu|"
    r"van dong|tong hop|phan cong|nam bat|ho tro|cap nhat|chuan bi|dang ky|"
    r"huy dong|gui|nop|du|phat dong|thong bao|quan triet|phe duyet|trinh|tiep nhan)\b")


def sections(lines: list[Line]) -> dict[str, tuple[int, int]]:
    """Section title (folded; under "III." or "B.") -> [start, end) indexes into `lines`."""
    starts = [(i, fold(SECTION.sub("", line.text))) for i, line in enumerate(lines)
              if SECTION.match(line.text) and line.text.isupper()]
    end = body_end(lines)
    result = {}
    for k, (index, title) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else end
        result[title] = (index + 1, max(index + 1, min(stop, end)))
    return result


def body_end(lines: list[Line]) -> int:
    return next((i for i, line in enumerate(lines)
                 if fold(line.text).startswith(("noi nhan", "tren day la"))), len(lines))


def assignee_groups(lines: list[Line], addressees: list[dict[str, Any]],
                    doc_type: str | None) -> list[dict[str, Any]]:
    """Who must act. A công văn: its addressees (tasks: the numbered items, or the "Tổ chức
    thực hiện" section); other documents: the actors heading "Tổ chức thực hiện" (numbered
    sub-headings, or unnumbered paragraphs opening with the actor: "Hiệu trưởng …")."""
    spans = sections(lines)
    span = next((v for k, v in spans.items() if "to chuc thuc hien" in k), None)
    if doc_type == "CV" and addressees:
        tasks = _tasks(lines[span[0]:span[1]] if span else _letter_body(lines))
        return [{"name": a["name"], "line": a["line"], "tasks": tasks} for a in addressees]
    for title, chosen in spans.items():  # "NHIỆM VỤ VÀ GIẢI PHÁP": "1. Đối với UBND các xã"
        if "nhiem vu" in title and (groups := _groups_in(lines[chosen[0]:chosen[1]], True)):
            return groups
    if span is not None and (groups := _groups_in(lines[span[0]:span[1]])):
        return groups
    if span is not None and (groups := _actor_paragraphs(lines[span[0]:span[1]])):
        return groups
    if span is not None and addressees:
        tasks = _tasks(lines[span[0]:span[1]])
        return [{"name": a["name"], "line": a["line"], "tasks": tasks} for a in addressees]
    return []


def _letter_body(lines: list[Line]) -> list[Line]:
    start = next((i for i, line in enumerate(lines) if fold(line.text).startswith("kinh gui")),
                 0)
    items = [line for line in lines[start:body_end(lines)] if ITEM.match(line.text)]
    return items or lines[start + 1:body_end(lines)]


def _tasks(part: list[Line]) -> list[dict[str, Any]]:
    return [{"text": BULLET.sub("", ITEM.sub("", line.text)), "line": line.number}
            for line in part]


def _groups_in(part: list[Line], actors_only: bool = False) -> list[dict[str, Any]]:
    """Numbered sub-headings with their bullets; `actors_only`: headings naming who acts
    (not topics such as "1. Công tác chuyên môn")."""
    groups: list[dict[str, Any]] = []
    for line in part:
        heading = SUBHEADING.match(line.text)
        name = re.sub(r"^[Đđ]ối với\s+", "", heading[2]).strip(" :") if heading else ""
        if actors_only and not fold(name).startswith(ACTORS):
            heading = None
        if heading and not line.text.endswith((";", ".")) and not BULLET.match(line.text):
            groups.append({"name": name[0].upper() + name[1:], "line": line.number, "tasks": []})
        elif groups and BULLET.match(line.text):
            groups[-1]["tasks"].append({"text": BULLET.sub("", line.text), "line": line.number})
        elif groups and groups[-1]["tasks"] and line.text[:1].islower():
            groups[-1]["tasks"][-1]["text"] += " " + line.text
    return [g for g in groups if g["tasks"]]


def _actor_paragraphs(part: list[Line]) -> list[dict[str, Any]]:
    """"Hiệu trưởng chỉ đạo …", "Bộ phận chuyên môn: …": one group per actor, in order; a
    paragraph that names no actor is one more task of the group above it."""
    groups: dict[str, dict[str, Any]] = {}
    last: dict[str, Any] | None = None
    for line in part:
        text = BULLET.sub("", ITEM.sub("", line.text))
        actor = actor_of(text)
        if actor is not None:
            last = groups.setdefault(fold(actor), {"name": actor, "line": line.number,
                                                   "tasks": []})
            last["tasks"].append({"text": text, "line": line.number})
        elif last is not None:
            last["tasks"].append({"text": text, "line": line.number})
    return list(groups.values())


def actor_of(text: str) -> str | None:
    """The actor opening a paragraph: the words before ":" or before the first verb."""
    folded = fold(text)
    if not folded.startswith(ACTORS) or folded.startswith(BODY_WORDS):
        return None
    colon = text.find(":")
    if 0 < colon <= 90:
        return text[:colon].strip(" ,-–")
    named = next((len(r) for r in ROLES if folded.startswith(r)), None)
    skip = named if named is not None else folded.find(" ", len(
        next(b for b in BODIES if folded.startswith(b))) + 1)
    verb = ACTOR_VERB.search(folded, max(skip, 0))
    if verb is None or verb.start() == 0 or verb.start() > 90:
        return None
    return text[:verb.start()].strip(" ,-–")


def addressees(lines: list[Line]) -> list[dict[str, Any]]:
    """"Kính gửi: X" and the list under it (bullets, or lines ending in ";")."""
    start = next((i for i, line in enumerate(lines[:50])
                  if fold(line.text).startswith("kinh gui")), None)
    if start is None:
        return []
    first = lines[start].text.split(":", 1)[1].strip() if ":" in lines[start].text else ""
    result = [{"name": first.strip(" ;."), "line": lines[start].number}] if first else []
    previous = first
    for line in lines[start + 1:start + 15]:
        listed = BULLET.match(line.text) or line.text.endswith(";") or (
            previous.endswith(";") and line.text.endswith(".") and len(line.text) < 120)
        if not listed or fold(line.text).startswith(BODY_WORDS):
            break
        result.append({"name": BULLET.sub("", line.text).strip(" ;."), "line": line.number})
        previous = line.text
    return result
