"""A synthetic national organisation tree, deterministic from a seed (bench fixtures)."""

from __future__ import annotations

import random

from domain.unit_tree import UnitRow

DEPARTMENTS = 34
COMMUNES = 3_321
PRESCHOOLS = 15_256
INDEPENDENT_CLASSES = 17_444
COMMUNE_WORDS = ["Tân", "Phú", "Bình", "An", "Hòa", "Long", "Mỹ", "Thạnh", "Vĩnh", "Đông"]


def national_rows(seed: int = 2026) -> list[UnitRow]:
    """Bộ → 34 Sở → 3,321 communes → 15,256 preschools + 17,444 independent classes."""
    rng = random.Random(seed)
    rows = [UnitRow(1, "BGDDT", "Bộ Giáo dục và Đào tạo", "ministry", None, [], "BGDĐT")]
    for d in range(DEPARTMENTS):
        rows.append(UnitRow(len(rows) + 1, f"S{d:02d}", f"Sở Giáo dục và Đào tạo số {d + 1}",
                            "department", "BGDDT", [f"sgddt{d:02d}@example.gov.vn"], "SGDĐT"))
    communes = []
    for c in range(COMMUNES):
        code = f"S{c % DEPARTMENTS:02d}-X{c:04d}"
        name = f"Ủy ban nhân dân xã {rng.choice(COMMUNE_WORDS)} {rng.choice(COMMUNE_WORDS)} {c}"
        rows.append(UnitRow(len(rows) + 1, code, name, "people_committee",
                            f"S{c % DEPARTMENTS:02d}", [f"ubnd{c:04d}@example.gov.vn"], "UBND"))
        communes.append(code)
    for s in range(PRESCHOOLS + INDEPENDENT_CLASSES):
        commune = communes[rng.randrange(COMMUNES)]
        school = s < PRESCHOOLS
        code = f"{commune}-{'MN' if school else 'L'}{s:05d}"
        name = f"Trường Mầm non số {s}" if school else f"Lớp mầm non độc lập số {s}"
        rows.append(UnitRow(len(rows) + 1, code, name,
                            "school" if school else "independent_class", commune,
                            [f"{code.lower()}@example.edu.vn"], "MN" if school else ""))
    return rows
