"""Who a unit is on paper: its kind's titles, how it signs (TM. only for a collective body;
KT./Q./TL./TUQ.), its governing body and place name from its own data and the units above,
never from a guess; child deadlines never before the plan's date."""

from datetime import date

import pytest

from chidao.config.calendar_source import vietnam_calendar
from chidao.domain.child_deadlines import Deadlines
from chidao.domain.citing import document_name, subject
from chidao.domain.errors import InvalidInput
from chidao.domain.signing import (
    DOCUMENT_FIELD_MAX_CHARS,
    Ancestor,
    Signer,
    checked_field,
    governing_body,
    place_of,
    signature,
    signing_form,
)
from chidao.domain.units import UnitKind

K = UnitKind
SO = Ancestor(K.DEPARTMENT, "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "An Giang")
UBND = Ancestor(K.PEOPLE_COMMITTEE, "ỦY BAN NHÂN DÂN ĐẶC KHU KIÊN HẢI", "Kiên Hải")


@pytest.mark.parametrize(("kind", "head", "deputy"), [
    (K.PEOPLE_COMMITTEE, "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    (K.DEPARTMENT, "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    (K.OFFICE, "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"),
    (K.SCHOOL, "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"),
    (K.MINISTRY, "BỘ TRƯỞNG", "THỨ TRƯỞNG"),
])
def test_the_head_signs_in_their_title_and_a_deputy_for_the_head(kind, head, deputy):
    form = signing_form(kind)
    own = signature(form)
    kt = signature(form, Signer.DEPUTY, name="Nguyễn Văn A")
    over = ("TM. ỦY BAN NHÂN DÂN",) if kind is K.PEOPLE_COMMITTEE else ()
    assert (own.authority, own.position) == (over, head)
    assert (kt.authority, kt.position, kt.name) == ((*over, f"KT. {head}"), deputy,
                                                    "Nguyễn Văn A")


def test_tm_is_only_for_a_collective_body():
    for kind in UnitKind:
        lines = [line for s in Signer if s not in (Signer.BY_ORDER, Signer.AUTHORISED)
                 for line in _lines(kind, s)]
        assert any(line.startswith("TM.") for line in lines) == (kind is K.PEOPLE_COMMITTEE)
    # a unit may declare itself a collective body (a council), and then signs TM.
    council = signing_form(K.OFFICE, collective_name="Hội đồng thi đua",
                           head_title="Chủ tịch Hội đồng")
    assert signature(council).lines == ("TM. HỘI ĐỒNG THI ĐUA", "CHỦ TỊCH HỘI ĐỒNG")


def _lines(kind: UnitKind, signer: Signer) -> tuple[str, ...]:
    try:
        return signature(signing_form(kind), signer).lines
    except InvalidInput:
        return ()


def test_acting_by_order_and_by_authorisation():
    school, so = signing_form(K.SCHOOL), signing_form(K.DEPARTMENT)
    assert signature(school, Signer.ACTING).lines == ("Q. HIỆU TRƯỞNG",)
    assert signature(so, Signer.BY_ORDER, own_title="Chánh Văn phòng").lines == (
        "TL. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG")
    assert signature(so, Signer.AUTHORISED, own_title="TRƯỞNG PHÒNG GDMN").lines == (
        "TUQ. GIÁM ĐỐC", "TRƯỞNG PHÒNG GDMN")
    with pytest.raises(InvalidInput) as no_title:
        signature(so, Signer.BY_ORDER)
    assert no_title.value.field == "signer-title"


def test_an_independent_class_has_a_chu_nhom_and_no_deputy_unless_set():
    form = signing_form(K.INDEPENDENT_CLASS)
    assert signature(form).lines == ("CHỦ NHÓM, LỚP",)
    with pytest.raises(InvalidInput) as no_deputy:
        signature(form, Signer.DEPUTY)
    assert no_deputy.value.field == "signer" and "deputy_title" in no_deputy.value.problem
    own = signing_form(K.INDEPENDENT_CLASS, head_title="chủ lớp", deputy_title="phó chủ lớp")
    assert signature(own, Signer.DEPUTY).lines == ("KT. CHỦ LỚP", "PHÓ CHỦ LỚP")


def test_the_governing_body_comes_from_the_unit_not_the_tree_parent():
    assert governing_body(K.PEOPLE_COMMITTEE, None, [SO]) == ""  # a UBND has none
    assert governing_body(K.DEPARTMENT, None, [Ancestor(K.MINISTRY, "BỘ GD", None)]) == ""
    assert governing_body(K.DEPARTMENT, "Ủy ban nhân dân tỉnh An Giang", []) == (
        "ỦY BAN NHÂN DÂN TỈNH AN GIANG")
    office_above = Ancestor(K.OFFICE, "PHÒNG VĂN HÓA - XÃ HỘI", None)
    assert governing_body(K.SCHOOL, None, [office_above, UBND, SO]) == UBND.printed
    assert governing_body(K.OFFICE, None, [UBND, SO]) == UBND.printed
    assert governing_body(K.SCHOOL, None, [SO]) == SO.printed  # a school under the Sở
    assert governing_body(K.MINISTRY, None, []) == ""


@pytest.mark.parametrize(("kind", "name", "own", "above", "place"), [
    (K.PEOPLE_COMMITTEE, "Ủy ban nhân dân phường Rạch Giá", None, [SO], "Rạch Giá"),
    (K.PEOPLE_COMMITTEE, "Ủy ban nhân dân xã Vĩnh Hòa Hưng", None, [SO], "Vĩnh Hòa Hưng"),
    (K.PEOPLE_COMMITTEE, "UBND đặc khu Kiên Hải", None, [SO], None),  # not the province's
    (K.PEOPLE_COMMITTEE, "Ủy ban nhân dân thành phố Hà Nội", None, [], "Hà Nội"),
    (K.PEOPLE_COMMITTEE, "Ủy ban nhân dân đặc khu Kiên Hải", "Hòn Tre", [SO], "Hòn Tre"),
    (K.SCHOOL, "Trường Mầm non Lại Sơn", None, [UBND, SO], "Kiên Hải"),
    (K.SCHOOL, "Trường Mầm non Lại Sơn", None, [], None),  # never "Sơn"
    (K.DEPARTMENT, "Sở Giáo dục và Đào tạo tỉnh An Giang", None, [], None),
])
def test_the_place_name_is_the_units_or_a_rule_or_inherited_never_guessed(
        kind, name, own, above, place):
    assert place_of(kind, name, own, above) == place


def test_child_deadlines_are_never_before_the_plan_date():
    calendar = vietnam_calendar()
    roomy = Deadlines(calendar, date(2026, 3, 2), 5)
    assert roomy.before(date(2026, 3, 19), "Kế hoạch") == calendar.add_working_days(
        date(2026, 3, 19), -5)
    assert roomy.warnings == []
    tight = Deadlines(calendar, date(2026, 3, 12), 5)  # a Thursday; due the next Thursday
    first = tight.before(date(2026, 3, 19), "Kế hoạch")
    assert first == date(2026, 3, 13) and tight.before(date(2026, 3, 19), "Kế hoạch") == first
    assert len(tight.warnings) == 1 and "bị rút ngắn" in tight.warnings[0]
    late = Deadlines(calendar, date(2026, 3, 20), 5)
    assert late.before(date(2026, 3, 19), "Kế hoạch") is None
    assert late.before(date(2026, 3, 20), "Báo cáo") is None  # due on the plan's own day
    assert len(late.warnings) == 2 and "không đặt thời hạn sớm hơn" in late.warnings[0]


def test_a_document_without_a_number_is_named_by_issuer_and_date():
    assert document_name("KH", "1039", "KH-SGDĐT", date(2026, 2, 26), "Sở GDĐT") == (
        "Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026 của Sở GDĐT")
    assert document_name("KH", None, "KH-UBND", date(2026, 3, 10), "UBND đặc khu") == (
        "Kế hoạch ngày 10/03/2026 của UBND đặc khu")
    assert subject("Triển khai giáo dục STEM") == "triển khai giáo dục STEM"
    assert subject("STEM trong GDMN") == "STEM trong GDMN"


def test_document_fields_are_checked_naming_field_and_line():
    assert checked_field("place_name", "  Kiên   Hải ") == "Kiên Hải"
    assert checked_field("place_name", "") is None and checked_field("x", None) is None
    with pytest.raises(InvalidInput) as long:
        checked_field("governing_body", "Ủ" * (DOCUMENT_FIELD_MAX_CHARS + 1), line=7)
    assert (long.value.field, long.value.line) == ("governing_body", 7)
    with pytest.raises(InvalidInput) as shape:
        checked_field("head_title", ["GIÁM ĐỐC"], line=3)
    assert shape.value.field == "head_title" and "text" in shape.value.problem
