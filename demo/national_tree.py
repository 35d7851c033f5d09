"""A synthetic national organisation tree, deterministic from a seed: 34 departments, 3,321
communes each with its Phòng Văn hóa - Xã hội, 15,256 preschools and 17,444 independent
classes, with Vietnamese names and e-mail addresses (demo and benchmark data)."""

from __future__ import annotations

import random
import unicodedata

from ..domain.unit_tree import UnitRow

PROVINCES = [
    "An Giang", "Bắc Ninh", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Hải Phòng", "Huế", "Hưng Yên",
    "Khánh Hòa", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai", "Nghệ An", "Ninh Bình",
    "Phú Thọ", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sơn La", "Tây Ninh", "Thái Nguyên",
    "Thanh Hóa", "Hồ Chí Minh", "Tuyên Quang", "Vĩnh Long"]
WORDS = ["An", "Bình", "Hòa", "Phú", "Tân", "Long", "Mỹ", "Thạnh", "Vĩnh", "Đông", "Tây", "Nam",
         "Bắc", "Trung", "Hưng", "Phước", "Lộc", "Thuận", "Quang", "Minh", "Hải", "Sơn"]
FLOWERS = ["Hoa Mai", "Hoa Sen", "Hoa Hồng", "Họa Mi", "Sơn Ca", "Vành Khuyên", "Bông Sen",
           "Ánh Dương", "Hướng Dương", "Tuổi Thơ"]
CITIES = {"Cần Thơ", "Đà Nẵng", "Hà Nội", "Hải Phòng", "Huế", "Hồ Chí Minh"}  # thành phố
DEPARTMENTS, COMMUNES, PRESCHOOLS, INDEPENDENT_CLASSES = 34, 3_321, 15_256, 17_444


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain.lower() if c.isascii() and c.isalnum())


def _department_header(province: str) -> dict[str, str | None]:
    """A Sở's header: under its UBND tỉnh / thành phố, dated at the province's name."""
    level = "THÀNH PHỐ" if province in CITIES else "TỈNH"
    place = "Thành phố Hồ Chí Minh" if province == "Hồ Chí Minh" else province
    return {"governing_body": f"ỦY BAN NHÂN DÂN {level} {province.upper()}",
            "header_name": "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "place_name": place}


def national_rows(seed: int = 2026, *, offices: bool = False) -> list[UnitRow]:
    """Bộ → Sở → UBND xã/phường/đặc khu (→ Phòng VHXH when `offices`) → schools, classes."""
    rng = random.Random(seed)
    rows = [UnitRow(1, "BGDDT", "Bộ Giáo dục và Đào tạo", "ministry", None,
                    ["vanthu@moet.gov.vn"], "BGDĐT")]
    for d, province in enumerate(PROVINCES[:DEPARTMENTS]):
        rows.append(UnitRow(len(rows) + 1, f"S{d:02d}", f"Sở Giáo dục và Đào tạo {province}",
                            "department", "BGDDT", [f"vanthu.sgddt@{slug(province)}.gov.vn"],
                            "SGDĐT", document=_department_header(province)))
    communes = []
    for c in range(COMMUNES):
        kind = "đặc khu" if c % 255 == 0 else ("phường" if c % 5 == 0 else "xã")
        place = f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
        code, parent = f"S{c % DEPARTMENTS:02d}-X{c:04d}", f"S{c % DEPARTMENTS:02d}"
        rows.append(UnitRow(len(rows) + 1, code, f"Ủy ban nhân dân {kind} {place}",
                            "people_committee", parent, [f"ubnd.{slug(place)}{c}@gov.vn"],
                            "UBND"))
        if offices:
            rows.append(UnitRow(len(rows) + 1, f"{code}-PVHXH",
                                f"Phòng Văn hóa - Xã hội {kind} {place}", "office", code,
                                [f"pvhxh.{slug(place)}{c}@gov.vn"], "PVHXH"))
        communes.append((code, place))
    for s in range(PRESCHOOLS + INDEPENDENT_CLASSES):
        commune, place = communes[rng.randrange(COMMUNES)]
        school = s < PRESCHOOLS
        code = f"{commune}-{'MN' if school else 'L'}{s:05d}"
        name = (f"Trường Mầm non {place} {s % 97 + 1}" if school
                else f"Nhóm trẻ độc lập {rng.choice(FLOWERS)} {s}")
        rows.append(UnitRow(len(rows) + 1, code, name, "school" if school else
                            "independent_class", commune, [f"{code.lower()}@truong.edu.vn"],
                            "MN" if school else ""))
    return rows
