"""The documents the project generates, built on the seeded An Giang example: the draft plan of
UBND đặc khu Kiên Hải answering 1039/KH-SGDĐT, urging letters (công văn), and a thông báo
built directly. Used by the NĐ 30 geometry test and by `python -m bench.document_pages`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine

from chidao.config.calendar_source import vietnam_calendar
from chidao.db.database import make_engine, migrate, reading
from chidao.db.lookup import directive_by_ref
from chidao.domain.official_document import (
    DocumentKind,
    OfficialDocument,
    Paragraph,
    ParagraphStyle,
    Signature,
)
from chidao.services.documents import implementation_plan, urging_letter
from tests.support.cascade import at, issue_file, seed_units

PLAN_DRAFTED = "2026-03-12T09:00"
LETTER_DRAFTED = "2026-03-26T09:00"


def seeded_engine(db: Path) -> Engine:
    """A new SQLite database at `db` with the example province and its STEM plans issued."""
    url = f"sqlite:///{db}"
    migrate(url)
    engine = make_engine(url)
    seed_units(engine)
    issue_file(engine, "kh-1039-sgddt-stem.yaml", "2026-02-26T09:00")
    issue_file(engine, "kh-ubnd-kien-hai-stem.yaml", "2026-03-10T10:00")
    return engine


def kien_hai_plan(engine: Engine) -> OfficialDocument:
    with reading(engine) as session:
        return implementation_plan(session, directive=directive_by_ref(session, "1039/KH-SGDĐT"),
                                   unit_code="UBND-KIENHAI", now=at(PLAN_DRAFTED),
                                   calendar=vietnam_calendar(), days_before=5)


def urging(engine: Engine, ref: str, unit_code: str) -> OfficialDocument:
    with reading(engine) as session:
        return urging_letter(session, directive=directive_by_ref(session, ref),
                             unit_code=unit_code, now=at(LETTER_DRAFTED),
                             today=at(LETTER_DRAFTED).date())


def long_plan(plan: OfficialDocument, sections: int = 4) -> OfficialDocument:
    """`plan` with a realistic body for a district: objectives, tasks per group, funding —
    long enough to run onto a second page."""
    extra = []
    for number, heading in enumerate(["MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG THỰC HIỆN",
                                      "KINH PHÍ THỰC HIỆN", "CHẾ ĐỘ BÁO CÁO"][:sections], 2):
        extra.append(Paragraph(f"{'I' * number if number < 4 else 'IV'}. {heading}",
                               ParagraphStyle.HEADING))
        extra += [Paragraph(
            "Tổ chức triển khai có hiệu quả các hoạt động giáo dục STEM phù hợp với điều kiện "
            "thực tế của từng cơ sở giáo dục mầm non trên địa bàn, bảo đảm an toàn, tiết kiệm; "
            "huy động sự tham gia của cha mẹ trẻ và cộng đồng trong việc chuẩn bị đồ dùng, học "
            "liệu; định kỳ sơ kết, rút kinh nghiệm và báo cáo kết quả về cơ quan cấp trên "
            "đúng thời hạn quy định.", ParagraphStyle.BULLET)] * 3
    return replace(plan, body=(*plan.body, *extra))


def notice() -> OfficialDocument:
    """A thông báo of the Sở, as an office writes one (built directly: no service makes one)."""
    return OfficialDocument(
        kind=DocumentKind.NOTICE, governing_body="ỦY BAN NHÂN DÂN TỈNH AN GIANG",
        issuer="SỞ GIÁO DỤC VÀ ĐÀO TẠO", number="654", symbol="TB-SGDĐT", place="An Giang",
        date_words="ngày 18 tháng 3 năm 2026",
        title="Kết luận của Giám đốc Sở tại cuộc họp giao ban giáo dục mầm non tháng 3 năm 2026",
        signature=Signature(("KT. GIÁM ĐỐC",), "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"),
        body=(Paragraph("Ngày 16/3/2026, Sở Giáo dục và Đào tạo tổ chức họp giao ban giáo dục "
                        "mầm non tháng 3 năm 2026. Giám đốc Sở kết luận như sau:"),
              Paragraph("1. Về giáo dục STEM", ParagraphStyle.SUBHEADING),
              Paragraph("Các đơn vị hoàn thành kế hoạch triển khai trước ngày 31/3/2026 và "
                        "gửi về Sở qua hệ thống quản lý văn bản.", ParagraphStyle.BULLET)),
        recipients=("Các Ủy ban nhân dân xã, phường, đặc khu;", "Giám đốc, các Phó Giám đốc;",
                    "Lưu: VT, GDMN."))
