"""Form errors on pages: every problem of a form at once, each naming its field by its
Vietnamese label, with what the user typed kept (never a password) so that the form can be
shown again. Also the Vietnamese wording of FastAPI's validation errors and of the English
problems the services raise (the CLI keeps their English; a page never shows it).

A route that re-renders its form:

    errors = FormErrors.typed(form)           # the values typed, secrets left out
    if not title.strip():
        errors.add("title", "chưa nhập")
    try: ...
    except InvalidInput as exc:
        errors.add_invalid(exc)                # label and problem in Vietnamese
    if errors:
        return render(request, "x.html", ..., status_code=422, form=errors)

and the template: `{% import "_form.html" as f %}` `{{ f.summary(form) }}` at the top of the
form, `<input name="title" {{ f.invalid(form, "title") }} value="{{ form.value('title') }}">`
`{{ f.problem(form, "title") }}` after each field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..domain.errors import InvalidInput

LABELS = {  # a form field, path or query parameter -> what the page calls it
    "username": "Tên đăng nhập", "password": "Mật khẩu", "current": "Mật khẩu hiện tại",
    "new": "Mật khẩu mới", "repeat": "Nhập lại mật khẩu mới", "csrf": "Mã bảo vệ biểu mẫu",
    "next": "Trang tiếp theo", "new_due": "Hạn mới", "reason": "Lý do",
    "requirement": "Yêu cầu", "subtree": "Đơn vị", "unit": "Đơn vị", "units": "Đơn vị",
    "page": "Trang", "directive_id": "Mã văn bản", "unit_id": "Mã đơn vị",
    "assignment_id": "Mã nhiệm vụ", "attachment_id": "Mã tệp", "action": "Thao tác",
    "note": "Ghi chú", "values": "Số liệu báo cáo", "attachments": "Tệp đính kèm",
    "status": "Trạng thái", "yaml": "Nội dung YAML", "file": "Tệp", "number_symbol":
    "Số, ký hiệu", "number": "Số", "symbol": "Ký hiệu", "title": "Trích yếu",
    "issued_on": "Ngày ban hành", "issuer": "Đơn vị ban hành", "based_on": "Căn cứ",
    "requirements": "Yêu cầu", "key": "Mã", "kind": "Loại", "due": "Hạn", "to": "Đơn vị nhận",
    "form": "Biểu mẫu báo cáo", "forms": "Biểu mẫu báo cáo", "doc_type": "Loại văn bản",
    "school_year": "Năm học", "q": "Từ khóa", "year": "Năm", "state": "Tình trạng",
    "days": "Số ngày", "role": "Vai trò", "full_name": "Họ và tên", "name": "Tên",
    "code": "Mã đơn vị", "before_parent": "Hạn theo văn bản cấp trên", "preset": "Kỳ báo cáo",
    "body": "Nội dung gửi lên", "assignment": "Nhiệm vụ",
}
SECRET = frozenset({"password", "current", "new", "repeat", "csrf"})  # never typed back

_PYDANTIC = {  # pydantic's error type -> what is wrong, in Vietnamese
    "missing": "chưa nhập (bắt buộc)", "int_parsing": "phải là số nguyên",
    "int_type": "phải là số nguyên", "int_from_float": "phải là số nguyên",
    "float_parsing": "phải là số", "float_type": "phải là số",
    "bool_parsing": "phải là Có hoặc Không", "string_type": "phải là chữ",
    "string_too_short": "quá ngắn", "string_too_long": "quá dài",
    "dict_type": "phải là một đối tượng JSON", "model_attributes_type":
    "phải là một đối tượng JSON", "list_type": "phải là một danh sách",
    "json_invalid": "không phải JSON hợp lệ", "extra_forbidden": "không được phép",
    "date_parsing": "phải là ngày dạng dd/mm/yyyy", "date_from_datetime_parsing":
    "phải là ngày dạng dd/mm/yyyy", "enum": "không phải lựa chọn hợp lệ",
    "literal_error": "không phải lựa chọn hợp lệ", "too_short": "quá ít mục",
    "too_long": "quá nhiều mục", "value_error": "giá trị không hợp lệ",
}
_BOUNDS = {"greater_than_equal": ("ge", "nhỏ hơn mức tối thiểu ({})"),
           "greater_than": ("gt", "phải lớn hơn {}"),
           "less_than_equal": ("le", "lớn hơn mức tối đa ({})"),
           "less_than": ("lt", "phải nhỏ hơn {}")}
_WHERE = {"body", "query", "path", "header", "cookie"}

_ENGLISH: list[tuple[re.Pattern[str], str]] = [(re.compile(p), v) for p, v in [
    # what the services and the domain say in English (for the CLI) -> the page's words
    (r"^a reason is required to set '\w+' \((.+)\)$", r"cần ghi lý do khi chuyển sang “\1”"),
    (r"^cannot go from '\w+' \((.+?)\) to '\w+' \((.+?)\);.*$",
     r"không thể chuyển từ “\1” sang “\2”"),
    (r"^say why the deadline moves$", "cần ghi lý do gia hạn"),
    (r"^only the issuer of (.+) may move its deadlines, not '.*'$",
     r"chỉ đơn vị ban hành \1 mới được gia hạn"),
    (r"^'(.+)' is not a requirement of .*$", r"“\1” không phải là yêu cầu của văn bản này"),
    (r"^(\d\d/\d\d/\d{4}) is before the issue date (\d\d/\d\d/\d{4})$",
     r"ngày \1 trước ngày ban hành \2"),
    (r"^deadline (\S+) \(period (.+)\) is before the issue date (\S+)$",
     r"hạn \1 (kỳ \2) trước ngày ban hành \3"),
    (r"^deadline (\S+) is before the issue date (\S+)$", r"hạn \1 trước ngày ban hành \2"),
    (r"^'(.+)' is not a known unit code$", r"không có đơn vị mã “\1”"),
    (r"^at least (\d+) characters$", r"cần ít nhất \1 ký tự"),
    (r"^assignment \d+ belongs to '.*' \((.+)\), not '.*'$",
     r"nhiệm vụ này là của \1, không phải của đơn vị bạn"),
    (r"^only the issuer '.*' \((.+)\) may set '\w+' on assignment \d+, not '.*'$",
     r"chỉ đơn vị giao nhiệm vụ (\1) mới được làm việc này"),
    (r"^no directive matches '(.+)' .*$", r"không tìm thấy văn bản “\1”"),
    (r"^there is no assignment (\d+)$", r"không có nhiệm vụ số \1"),
    (r"^no user '(.+)'$", r"không có người dùng “\1”"),
    (r"^'(.+)' already exists$", r"“\1” đã có"),
    (r"^number (\S+) is already used in (\d+) by (.+?) \('.*'\)$",
     r"số \1 đã được dùng trong năm \2 cho văn bản \3"),
    (r"^symbol '(.+)' does not contain the issuer's abbreviation '(.+)'$",
     r"ký hiệu “\1” không chứa chữ viết tắt “\2” của đơn vị ban hành"),
    (r"^'(.+)' is not a unit under the issuer '.*'$",
     r"“\1” không phải là đơn vị trực thuộc đơn vị ban hành"),
    (r"^differs from .*$", "khác với văn bản đã ban hành trước đó cùng mã"),
    (r"^is empty$", "đang để trống"), (r"^longer than (\d+) characters$", r"dài quá \1 ký tự"),
    (r"^the issuer has no assignment for requirement '(.+)' in the directives this one cites"
     r" \(based_on\)$", r"đơn vị ban hành không được giao yêu cầu “\1” trong các văn bản căn cứ"),
    (r"^every period of '(.+)' is already past on (\S+)$",
     r"mọi kỳ của “\1” đều đã qua vào ngày \2"),
]]
_PART = re.compile(r"^(\w+)(?:\[(\d+)\])?$")


def label(field_path: str, extra: Mapping[str, str] | None = None) -> str:
    """The Vietnamese name of a field: `requirements[1].due` -> "Yêu cầu 2 › Hạn"; a key no
    one labelled is shown with spaces for underscores (never as a raw key)."""
    names = {**LABELS, **(extra or {})}
    shown = []
    for part in field_path.split("."):
        match = _PART.match(part)
        name, index = (match[1], match[2]) if match else (part, None)
        text = names.get(name) or name.replace("_", " ")
        shown.append(f"{text} {int(index) + 1}" if index is not None else text)
    return " › ".join(shown)


def vietnamese(problem: str) -> str:
    """A service's English problem in the page's words (Vietnamese ones pass unchanged)."""
    for pattern, replacement in _ENGLISH:
        if pattern.match(problem):
            return pattern.sub(replacement, problem)
    return problem


def split_detail(detail: str) -> tuple[str, str] | None:
    """("new_due", "…") from an HTTPException detail written "new_due: …", else None."""
    match = re.match(r"^([a-z_][\w.\[\]]*): (.+)$", detail, re.S)
    return (match[1], match[2]) if match else None


@dataclass(frozen=True)
class FieldError:
    field: str  # the form's name for it (the input's id is "f-" + field)
    label: str
    problem: str

    @property
    def anchor(self) -> str:
        return field_id(self.field)


def field_id(name: str) -> str:
    """The id a form gives the input of `name`: what the error summary links to."""
    return "f-" + re.sub(r"[^\w-]", "-", name)


@dataclass
class FormErrors:
    """A form's problems, in the order found, and the values typed (secrets left out)."""

    values: dict[str, str] = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # the form's own field labels

    @classmethod
    def typed(cls, form: Mapping[str, Any], labels: Mapping[str, str] | None = None
              ) -> FormErrors:
        kept = {k: v for k, v in form.items() if isinstance(v, str) and k not in SECRET}
        return cls(values=kept, labels=dict(labels or {}))

    def add(self, name: str, problem: str, shown: str | None = None) -> None:
        self.errors.append(FieldError(name, shown or label(name, self.labels),
                                      vietnamese(problem)))

    def add_invalid(self, exc: InvalidInput) -> None:
        self.add(exc.field, exc.problem)

    def add_validation(self, errors: Iterable[Mapping[str, Any]]) -> None:
        """FastAPI's RequestValidationError.errors(), every one of them."""
        for error in errors:
            loc = [str(p) for p in error.get("loc", ()) if p not in _WHERE]
            self.add(".".join(loc) or "body", pydantic_problem(error))

    def __bool__(self) -> bool:
        return bool(self.errors)

    def value(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def problems(self, name: str) -> list[str]:
        return [e.problem for e in self.errors if e.field == name]

    def as_dicts(self) -> list[dict[str, str]]:
        return [{"field": e.label, "problem": e.problem, "anchor": e.anchor}
                for e in self.errors]


def pydantic_problem(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in _BOUNDS:
        key, text = _BOUNDS[kind]
        limit = (error.get("ctx") or {}).get(key)
        return text.format(f"{limit:,}".replace(",", ".") if isinstance(limit, int) else limit)
    return _PYDANTIC.get(kind, "giá trị không hợp lệ")
