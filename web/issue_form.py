"""The issuing form as typed: its fields, read from a posted form (every value kept as text, to
be shown back), and the choices it offers. chidao.web.issue_checks turns it into a spec."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..domain.directives import DOC_TYPE_LABELS, DocType, RequirementKind
from ..domain.units import UNIT_KIND_LABELS, UnitKind

ROW_FIELD = re.compile(r"^req-(\d{1,3})-([a-z_]+)$")
MAX_ROWS = 50  # requirements of one directive typed in the form (YAML has no such cap)
KIND_LABELS = {RequirementKind.ACTION: "Việc", RequirementKind.PLAN: "Kế hoạch",
               RequirementKind.REPORT: "Báo cáo"}
WHO_LABELS = {"children": "Tất cả đơn vị trực thuộc",
              "kind": "Các đơn vị cấp dưới thuộc loại…",
              "units": "Chọn từng đơn vị"}
DOC_TYPES = [(t.value, DOC_TYPE_LABELS[t]) for t in DocType]
UNIT_KINDS = [(k.value, UNIT_KIND_LABELS[k]) for k in UnitKind
              if k not in (UnitKind.MINISTRY, UnitKind.DEPARTMENT)]


class FormData(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...
    def getlist(self, key: str) -> list[Any]: ...
    def keys(self) -> Any: ...


@dataclass
class RequirementRow:
    title: str = ""
    kind: str = RequirementKind.ACTION.value
    who: str = "children"
    unit_kind: str = ""
    units: list[str] = field(default_factory=list)  # unit codes (the boxes show names)
    due: str = ""
    form: str = ""  # a report form's "key@version"
    sources: dict[str, str] = field(default_factory=dict)  # field: "từ dòng 12: ..."

    def blank(self) -> bool:
        return not (self.title.strip() or self.due.strip() or self.units or self.form)


@dataclass
class IssueForm:
    number_symbol: str = ""
    issued_on: str = ""
    title: str = ""
    doc_type: str = DocType.KH.value
    based_on: list[str] = field(default_factory=list)  # directive ids, as posted
    requirements: list[RequirementRow] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    imported_from: str = ""  # the uploaded file's name
    kept_as: str = ""  # its token (chidao.web.imported_documents), stored when issued


def _text(value: Any, limit: int = 2_000) -> str:
    """A posted value as NFC text, capped (a form field is a line, not a file)."""
    return unicodedata.normalize("NFC", value if isinstance(value, str) else "")[:limit]


def read_form(data: FormData) -> IssueForm:
    """The posted fields; rows left wholly blank are dropped, every other value kept as typed."""
    form = IssueForm(number_symbol=_text(data.get("number_symbol")),
                     issued_on=_text(data.get("issued_on")), title=_text(data.get("title")),
                     doc_type=_text(data.get("doc_type"), 8),
                     based_on=[_text(v, 20) for v in data.getlist("based_on") if v][:20],
                     imported_from=_text(data.get("imported_from"), 255),
                     kept_as=_text(data.get("kept_as"), 64))
    indices = sorted({int(m[1]) for key in data.keys() if (m := ROW_FIELD.match(key))})
    for index in indices[:MAX_ROWS]:
        def one(name: str, index: int = index) -> str:
            return _text(data.get(f"req-{index}-{name}"))
        row = RequirementRow(title=one("title"), kind=one("kind"), who=one("who"),
                             unit_kind=one("unit_kind"), due=one("due"), form=one("form"),
                             units=[_text(v, 64) for v in data.getlist(f"req-{index}-units")
                                    if v][:500])
        for name in ("title", "who", "due"):
            if (source := one(f"source_{name}")):
                row.sources[name] = source
        if not row.blank():
            form.requirements.append(row)
    for name in ("number_symbol", "issued_on", "title", "doc_type", "based_on"):
        if (source := _text(data.get(f"source_{name}"))):
            form.sources[name] = source
    return form


FIELD_LABELS = {"number_symbol": "Số, ký hiệu", "issued_on": "Ngày ban hành",
                "title": "Trích yếu", "doc_type": "Loại văn bản", "based_on": "Căn cứ",
                "requirements": "Nhiệm vụ", "file": "Tệp văn bản", "form": "Văn bản"}
ROW_LABELS = {"title": "nội dung", "kind": "loại", "who": "giao cho", "unit_kind": "loại đơn vị",
              "units": "đơn vị", "due": "hạn", "form": "mẫu báo cáo"}


def error_list(errors: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field, its Vietnamese label, the problem) for the summary above the form."""
    listed = []
    for name, problem in errors.items():
        if (m := ROW_FIELD.match(name)) is not None:
            label = f"Nhiệm vụ {int(m[1]) + 1} – {ROW_LABELS.get(m[2], m[2])}"
        else:
            label = FIELD_LABELS.get(name, "Văn bản")
        listed.append((name, label, problem))
    return listed
