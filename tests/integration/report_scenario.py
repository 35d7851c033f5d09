"""A three-level report: schools → communes → Sở, on the STEM results form."""

from __future__ import annotations

from typing import Any

from chidao.config.settings import Settings
from chidao.db.database import transaction
from chidao.domain.status import Status
from chidao.services.aggregate import AggregateRun, aggregate
from chidao.services.report_submit import Upload, submit_report
from tests.support.cascade import act, at, issue_data, runs, seed_units

FORM = {
    "key": "stem-ket-qua", "title": "Kết quả triển khai giáo dục STEM",
    "fields": [
        {"key": "so_lop", "label": "Số lớp tổ chức hoạt động STEM", "type": "integer",
         "unit": "lớp", "required": True, "min": 0},
        {"key": "gv_tap_huan", "label": "Số giáo viên được tập huấn", "type": "integer",
         "min": 0},
        {"key": "tre", "label": "Số trẻ tham gia", "type": "integer", "min": 0, "max": 2000},
        {"key": "ty_le_dat", "label": "Tỷ lệ trẻ đạt yêu cầu (%)", "type": "decimal",
         "min": 0, "max": 100, "aggregate": "mean", "weight": "tre"},
        {"key": "goc_stem", "label": "Có góc STEM", "type": "boolean"},
        {"key": "muc_do", "label": "Mức độ triển khai", "type": "choice",
         "choices": ["tốt", "khá", "đạt"]},
        {"key": "kho_khan", "label": "Khó khăn, vướng mắc", "type": "text"},
    ],
}
SO_KEY, COMMUNES = "2026:60/KH-SGDĐT", ("UBND-KIENHAI", "UBND-PHUQUOC", "UBND-RACHGIA")
KH = "UBND-KIENHAI"


def figures(so_lop: Any, gv: int, tre: int, ty_le: float, goc: bool, muc: str,
            kho_khan: str | None = None) -> dict[str, Any]:
    values = {"so_lop": so_lop, "gv_tap_huan": gv, "tre": tre, "ty_le_dat": ty_le,
              "goc_stem": goc, "muc_do": muc}
    return values | ({"kho_khan": kho_khan} if kho_khan else {})


def issue_report_cascade(engine) -> None:
    seed_units(engine)
    issue_report_directives(engine)


def issue_report_directives(engine) -> None:
    issue_data(engine, {
        "number_symbol": "60/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-03-02",
        "title": "Báo cáo kết quả giáo dục STEM năm học 2025-2026", "forms": [FORM],
        "requirements": [{"key": "bao-cao-stem", "kind": "report", "form": "stem-ket-qua",
                          "title": "Báo cáo kết quả STEM của xã",
                          "to": {"children": {"kind": "people_committee"}},
                          "due": "2026-05-29"}]}, "2026-03-02T09:00")
    for number, commune in enumerate(COMMUNES, start=20):
        issue_data(engine, {
            "key": f"kh-{commune.lower()}-stem", "number_symbol": f"{number}/KH-UBND",
            "issuer": commune, "issued_on": "2026-03-09", "title": "Báo cáo STEM của trường",
            "based_on": ["60/KH-SGDĐT"],
            "requirements": [{"key": "truong-bao-cao", "kind": "report", "form": "stem-ket-qua",
                              "title": "Báo cáo kết quả STEM của trường",
                              "to": {"children": {"kind": ["school", "independent_class"]}},
                              "due": {"before_parent": "bao-cao-stem", "working_days": 5}}]},
            "2026-03-09T09:00")


def school_run(engine, commune: str, school: str) -> int:
    return runs(engine, f"kh-{commune.lower()}-stem")[(school, "truong-bao-cao", "")].id


def submit(engine, run_id: int, unit: str, values: dict[str, Any] | None, when: str,
           uploads: list[Upload] | None = None, settings: Settings | None = None):
    with transaction(engine) as session:
        return submit_report(session, run_id, unit_code=unit, values=values, uploads=uploads,
                             now=at(when), settings=settings or Settings())


def schools_report(engine) -> None:
    """Hòn Tre on time; Lại Sơn late; An Sơn returned then resubmitted; Nam Du missing;
    Phú Quốc's independent class submitted but not yet accepted."""
    kh = "UBND-KIENHAI"
    hon_tre, lai_son, an_son = (school_run(engine, kh, s)
                                for s in ("MN-HONTRE", "MN-LAISON", "MN-ANSON"))
    submit(engine, hon_tre, "MN-HONTRE", figures(6, 12, 150, 80, True, "tốt", "Thiếu học liệu"),
           "2026-05-20T10:00")
    submit(engine, an_son, "MN-ANSON", figures(40, 6, 90, 60, True, "đạt"), "2026-05-19T10:00")
    act(engine, an_son, Status.RETURNED, kh, "Số lớp sai", when="2026-05-20T14:00")
    submit(engine, an_son, "MN-ANSON", figures(4, 6, 90, 60, True, "đạt"), "2026-05-21T10:00")
    submit(engine, lai_son, "MN-LAISON", figures("4", 8, 100, "70", False, "khá"),
           "2026-05-25T10:00")
    for run_id in (hon_tre, an_son, lai_son):
        act(engine, run_id, Status.ACCEPTED, kh, when="2026-05-25T15:00")
    duong_dong = school_run(engine, "UBND-PHUQUOC", "MN-DUONGDONG")
    submit(engine, duong_dong, "MN-DUONGDONG", figures(10, 20, 300, 90, True, "tốt"),
           "2026-05-21T09:00")
    act(engine, duong_dong, Status.ACCEPTED, "UBND-PHUQUOC", when="2026-05-21T16:00")
    submit(engine, school_run(engine, "UBND-PHUQUOC", "LMN-HOASEN-PQ"), "LMN-HOASEN-PQ",
           figures(1, 2, 25, 100, False, "đạt"), "2026-05-22T09:00")
    rach_gia = school_run(engine, "UBND-RACHGIA", "MN-RACHGIA")
    submit(engine, rach_gia, "MN-RACHGIA", figures(8, 15, 200, 75, False, "khá"),
           "2026-05-20T09:00")
    act(engine, rach_gia, Status.ACCEPTED, "UBND-RACHGIA", when="2026-05-21T09:00")


def hand_in(engine, school: str, values, when: str, accepted_at: str) -> None:
    """A Kiên Hải school hands in `values` at `when`; the commune accepts at `accepted_at`."""
    run_id = school_run(engine, KH, school)
    submit(engine, run_id, school, values, when)
    act(engine, run_id, Status.ACCEPTED, KH, when=accepted_at)


def aggregate_at(engine, when: str) -> AggregateRun:
    with transaction(engine) as session:
        return aggregate(session, now=at(when))


def upward_run(engine, commune: str = KH) -> int:
    """The commune's own run of the Sở's report."""
    return runs(engine, SO_KEY)[(commune, "bao-cao-stem", "")].id


def one_school_then_three(engine, issue: bool = True) -> None:
    """Hòn Tre accepted, aggregate; then Lại Sơn and An Sơn accepted."""
    if issue:
        issue_report_cascade(engine)
    hand_in(engine, "MN-HONTRE", figures(6, 12, 150, 80, True, "tốt", "Thiếu học liệu"),
            "2026-05-20T10:00", "2026-05-20T15:00")
    assert len(aggregate_at(engine, "2026-05-26T08:00").created) == 3
    hand_in(engine, "MN-LAISON", figures(4, 8, 100, 70, False, "khá"), "2026-05-25T10:00",
            "2026-05-26T09:00")
    hand_in(engine, "MN-ANSON", figures(4, 6, 90, 60, True, "đạt", "Phòng chật"),
            "2026-05-25T11:00", "2026-05-26T09:10")
