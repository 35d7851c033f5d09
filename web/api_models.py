"""What the JSON API reads and answers, as pydantic models: the OpenAPI document
(/api/openapi.json) shows each with an example. Text fields of request bodies default to ""
so that scoping answers first (404 for what may not be read, 403 for what may not be done)
and the use case then names the missing field (422 problem+json)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


# ----- lists ------------------------------------------------------------------------------
class DirectiveRow(BaseModel):
    model_config = _example(id=7, number_symbol="1039/KH-SGDĐT", issued_on="26/02/2026",
                            title="Kế hoạch triển khai giáo dục STEM năm 2026",
                            issuer="Sở Giáo dục và Đào tạo tỉnh An Giang", total=48, done=12,
                            overdue=3, percent=25)
    id: int
    number_symbol: str
    issued_on: str = Field(description="dd/mm/yyyy")
    title: str
    issuer: str
    total: int = Field(description="Nhiệm vụ (trong phạm vi người đọc)")
    done: int
    overdue: int
    percent: int


class UnitProgress(BaseModel):
    model_config = _example(unit_id=12, name="Ủy ban nhân dân xã Kiên Hải", total=9, done=4,
                            overdue=1, soon=2, assignee=True, state="overdue", plans=[15])
    unit_id: int
    name: str
    total: int
    done: int
    overdue: int
    soon: int
    assignee: bool = Field(description="Đơn vị này được giao trực tiếp")
    state: str = Field(description="overdue | due_soon | on_track")
    plans: list[int] = Field(description="Văn bản đơn vị này ban hành để triển khai")


class AssignmentRow(BaseModel):
    model_config = _example(id=41, directive="kh-1039-sgddt-stem-2026",
                            number_symbol="1039/KH-SGDĐT", kind="report",
                            title="Báo cáo kết quả triển khai", period="", due_on="2026-04-30",
                            status="received", timeliness="due_soon", completion=None)
    id: int
    directive: str
    number_symbol: str
    kind: str
    title: str
    period: str
    due_on: str = Field(description="YYYY-MM-DD")
    status: str
    timeliness: str | None
    completion: str | None


class FileRow(BaseModel):
    model_config = _example(id=3, name="Biên bản họp.pdf", size=48213, submission_id=9,
                            url="/api/assignments/41/files/3")
    id: int
    name: str
    size: int
    submission_id: int
    url: str


# ----- one thing ---------------------------------------------------------------------------
class DirectiveDetail(BaseModel):
    model_config = _example(id=7, key="kh-1039-sgddt-stem-2026", number_symbol="1039/KH-SGDĐT",
                            title="Kế hoạch triển khai giáo dục STEM năm 2026",
                            issued_on="2026-02-26", revision=1, recalled_at=None,
                            recall_reason="", units_total=9,
                            units_url="/api/directives/7/units")
    id: int
    key: str
    number_symbol: str
    title: str
    issued_on: str = Field(description="YYYY-MM-DD")
    revision: int
    recalled_at: str | None = Field(description="Thời điểm thu hồi (ISO 8601), nếu có")
    recall_reason: str
    units_total: int = Field(description="Đơn vị cấp dưới trực tiếp có nhiệm vụ")
    units_url: str


class AssignmentDetail(BaseModel):
    model_config = _example(id=41, directive_id=7, unit_id=12, period="", due_on="2026-04-30",
                            status="submitted", status_label="đã nộp", draft=None)
    id: int
    directive_id: int
    unit_id: int
    period: str
    due_on: str
    status: str
    status_label: str
    draft: Any = None


class RunStatus(BaseModel):
    """A run after an action on it."""

    model_config = _example(id=41, status="returned", status_label="trả lại",
                            acted_by="Lê Thị Ngọc Hân")
    id: int
    status: str
    status_label: str
    acted_by: str = Field(description="Người thực hiện, kèm người ủy quyền nếu có:"
                                      " “Đặng Quốc Bảo (KT. Lê Thị Ngọc Hân)”")


class Submitted(RunStatus):
    model_config = _example(id=41, status="submitted", status_label="đã nộp",
                            acted_by="Nguyễn Thị Lan", version=2)
    version: int


class Issued(BaseModel):
    model_config = _example(id=15, key="kh-15-ubnd-kienhai-2026", created=9, total=9)
    id: int
    key: str
    created: int = Field(description="Nhiệm vụ mới giao (0: đã ban hành trước đó)")
    total: int


class Moved(BaseModel):
    model_config = _example(moved=9)
    moved: int = Field(description="Số nhiệm vụ được đổi hạn")


class Recalled(BaseModel):
    model_config = _example(id=7, closed=9, recalled_at="2026-04-02T03:00:00+00:00")
    id: int
    closed: int = Field(description="Nhiệm vụ đang mở được đóng (thu hồi)")
    recalled_at: str


# ----- request bodies ----------------------------------------------------------------------
class SubmitBody(BaseModel):
    model_config = _example(values={"so_lop": 6, "tre": 150}, note="Số liệu đến 31/03")
    values: dict[str, Any] | None = Field(None, description="Số liệu theo biểu mẫu; bỏ trống:"
                                                            " nộp bản nháp như hiện có")
    note: str = ""


class ReasonBody(BaseModel):
    model_config = _example(reason="Thiếu số liệu lớp mẫu giáo 5 tuổi")
    reason: str = Field("", description="Lý do (bắt buộc khi trả lại, thu hồi, miễn)")


class ReviewBody(BaseModel):
    model_config = _example(action="return", reason="Thiếu số liệu lớp mẫu giáo 5 tuổi")
    action: str = Field("", description="accept | return")
    reason: str = ""


class ExtendBody(BaseModel):
    model_config = _example(requirement="bao-cao", subtree="UBND-KIENHAI",
                            new_due="15/05/2026", reason="Trùng lịch kiểm tra học kỳ")
    requirement: str = Field("", description="Khóa của yêu cầu trong văn bản")
    subtree: str = Field("", description="Mã đơn vị: đơn vị này và các đơn vị trực thuộc")
    new_due: str = Field("", description="Hạn mới: dd/mm/yyyy hoặc YYYY-MM-DD")
    reason: str = ""


class RecallBody(BaseModel):
    model_config = _example(reason="Văn bản ban hành nhầm đối tượng; sẽ ban hành lại")
    reason: str = Field("", description="Lý do thu hồi (bắt buộc)")
