"""Form errors in the page's words: fields by their Vietnamese labels, the services' English
problems in Vietnamese, every pydantic error at once, no secret typed back."""

from chidao.domain.errors import InvalidInput
from chidao.web.form_errors import FormErrors, label, split_detail, vietnamese


def test_a_field_is_named_by_its_label_never_by_its_key():
    assert label("new_due") == "Hạn mới"
    assert label("requirements[1].due") == "Yêu cầu 2 › Hạn"
    assert label("so_lop", {"so_lop": "Số lớp"}) == "Số lớp"
    assert label("chua_dat_ten") == "chua dat ten"  # no one labelled it: still no raw key


def test_the_services_english_problems_are_put_into_vietnamese():
    assert vietnamese("a reason is required to set 'returned' (trả lại)") == (
        "cần ghi lý do khi chuyển sang “trả lại”")
    assert vietnamese("cannot go from 'accepted' (đã hoàn thành) to 'returned' (trả lại);"
                      " allowed: none") == "không thể chuyển từ “đã hoàn thành” sang “trả lại”"
    assert vietnamese("'Phú Quốc' is not a known unit code") == "không có đơn vị mã “Phú Quốc”"
    assert vietnamese("01/01/2026 is before the issue date 10/03/2026") == (
        "ngày 01/01/2026 trước ngày ban hành 10/03/2026")
    assert vietnamese("chưa nhập") == "chưa nhập"  # Vietnamese passes unchanged


def test_every_validation_error_is_listed_with_its_label():
    form = FormErrors.typed({"title": "Kế hoạch", "password": "bi-mat", "csrf": "x"})
    form.add_validation([
        {"type": "missing", "loc": ("body", "new_due"), "msg": "Field required"},
        {"type": "int_parsing", "loc": ("query", "page"), "msg": "Input should be…"},
        {"type": "less_than_equal", "loc": ("query", "page"), "msg": "…", "ctx": {"le": 100000}},
    ])
    form.add_invalid(InvalidInput("reason", "say why the deadline moves"))
    assert [(e.label, e.problem) for e in form.errors] == [
        ("Hạn mới", "chưa nhập (bắt buộc)"), ("Trang", "phải là số nguyên"),
        ("Trang", "lớn hơn mức tối đa (100.000)"), ("Lý do", "cần ghi lý do gia hạn")]
    assert form.values == {"title": "Kế hoạch"}  # never a password or the CSRF token
    assert form.problems("page") == ["phải là số nguyên", "lớn hơn mức tối đa (100.000)"]
    assert form.errors[0].anchor == "f-new_due"


def test_a_detail_written_field_colon_problem_is_split():
    assert split_detail("new_due: ngày không có thật") == ("new_due", "ngày không có thật")
    assert split_detail("Không tìm thấy văn bản") is None
    assert split_detail("Hạn mới: x") is None  # already a label
