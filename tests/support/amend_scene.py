"""A directive of the Sở to its three communes, acted on, then a changed file of it: the
amendment each test expects (chidao.services.amend), and the units' names."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import Engine

from chidao.domain.status import Status
from tests.support.cascade import act, issue_data, runs, seed_units

KEY = "2026:55/KH-SGDĐT"
KIENHAI, PHUQUOC, RACHGIA = ("Ủy ban nhân dân đặc khu Kiên Hải",
                             "Ủy ban nhân dân đặc khu Phú Quốc",
                             "Ủy ban nhân dân phường Rạch Giá")


def issued() -> dict[str, Any]:
    """r: a report to every commune; k: an action to Kiên Hải and Phú Quốc; x: a report to
    Kiên Hải and Rạch Giá."""
    return {
        "number_symbol": "55/KH-SGDĐT", "issuer": "SGDDT-AG", "issued_on": "2026-03-02",
        "title": "Kiểm tra cơ sở vật chất", "requirements": [
            {"key": "r", "kind": "report", "title": "Báo cáo kết quả kiểm tra",
             "to": {"children": {"kind": "people_committee"}}, "due": "2026-03-31"},
            {"key": "k", "kind": "action", "title": "Tự kiểm tra phòng học",
             "to": {"units": ["UBND-KIENHAI", "UBND-PHUQUOC"]}, "due": "2026-04-10"},
            {"key": "x", "kind": "report", "title": "Báo cáo nhanh",
             "to": {"units": ["UBND-KIENHAI", "UBND-RACHGIA"]}, "due": "2026-03-20"},
        ]}


def amended() -> dict[str, Any]:
    """r's deadline moves to 15/04; k is renamed and goes to Kiên Hải and Rạch Giá (no more
    to Phú Quốc); x is dropped; m is new, to Phú Quốc."""
    data = copy.deepcopy(issued())
    r, k, _x = data["requirements"]
    r["due"] = "15/04/2026"
    k["title"] = "Tự kiểm tra phòng học, mái, cây xanh"
    k["to"] = {"units": ["UBND-KIENHAI", "UBND-RACHGIA"]}
    m = {"key": "m", "kind": "action", "title": "Cắt tỉa cây xanh",
         "to": {"units": ["UBND-PHUQUOC"]}, "due": "2026-04-20"}
    data["requirements"] = [r, k, m]
    return data


def seed(engine: Engine, *, units: bool = True) -> None:
    """Issued on 02/03; Rạch Giá's r accepted and its x handed in, Phú Quốc's k received
    (`units`: the example province imported first)."""
    if units:
        seed_units(engine)
    issue_data(engine, issued(), "2026-03-02T09:00")
    found = runs(engine, KEY)
    act(engine, found[("UBND-RACHGIA", "r", "")].id or 0, Status.SUBMITTED, "UBND-RACHGIA")
    act(engine, found[("UBND-RACHGIA", "r", "")].id or 0, Status.ACCEPTED, "SGDDT-AG",
        when="2026-03-06T09:00")
    act(engine, found[("UBND-RACHGIA", "x", "")].id or 0, Status.SUBMITTED, "UBND-RACHGIA")
    act(engine, found[("UBND-PHUQUOC", "k", "")].id or 0, Status.RECEIVED, "UBND-PHUQUOC")


# (unit name, change kind, requirement key, old, new) the amendment must list, no more.
EXPECTED = sorted([
    (KIENHAI, "moved", "r", "31/03/2026", "15/04/2026"),
    (KIENHAI, "retitled", "k", "Tự kiểm tra phòng học", "Tự kiểm tra phòng học, mái, cây xanh"),
    (KIENHAI, "cancelled", "x", "chưa tiếp nhận", ""),
    (PHUQUOC, "moved", "r", "31/03/2026", "15/04/2026"),
    (PHUQUOC, "cancelled", "k", "đã tiếp nhận", ""),
    (PHUQUOC, "added", "m", "", "20/04/2026"),
    (RACHGIA, "added", "k", "", "10/04/2026"),
    (RACHGIA, "kept", "x", "đã nộp", ""),
])
