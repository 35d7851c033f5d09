"""An amendment (sửa đổi, bổ sung) of an issued directive, as data: what changes in the
directive and its requirements, and, per unit, what happens to its runs; told in words
(unit names, requirement titles, dd/mm/yyyy) by the command, the pages, the mail and the audit.
Built by chidao.services.amend."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .text import folded

# The reason an open run closes with when its requirement is dropped or its unit no longer
# targeted (the run's status becomes "thu hồi", Status.CANCELLED).
AMEND_CANCEL_REASON = "thu hồi do sửa đổi văn bản"


class RunChangeKind(StrEnum):
    ADDED = "added"  # a new requirement, a unit newly targeted, a new period
    CANCELLED = "cancelled"  # no longer in the directive, still open: closed as thu hồi
    KEPT = "kept"  # no longer in the directive but handed in or done: kept as it is
    MOVED = "moved"  # its deadline moves
    RETITLED = "retitled"  # its requirement's title changes
    FORM = "form"  # its report form changes

    @property
    def label(self) -> str:
        return {"added": "Bổ sung", "cancelled": "Thu hồi", "kept": "Giữ lại",
                "moved": "Đổi hạn", "retitled": "Đổi tên", "form": "Đổi biểu mẫu"}[self.value]


@dataclass(frozen=True)
class RunChange:
    """One change of one unit's run. `old`/`new` are words: dates dd/mm/yyyy, titles, form
    names; for a cancelled or kept run `old` is its status in words."""

    kind: RunChangeKind
    unit_code: str
    unit_name: str
    requirement_key: str
    requirement_title: str
    period: str = ""
    old: str = ""
    new: str = ""
    assignment_id: int | None = field(default=None, compare=False)

    @property
    def words(self) -> str:
        what = f"«{self.requirement_title}»" + (f" (kỳ {self.period})" if self.period else "")
        return {
            RunChangeKind.ADDED: f"Bổ sung nhiệm vụ {what}, hạn {self.new}",
            RunChangeKind.CANCELLED: f"Thu hồi nhiệm vụ {what} (trước đó: {self.old}):"
                                     f" {AMEND_CANCEL_REASON}",
            RunChangeKind.KEPT: f"Giữ lại nhiệm vụ {what} ({self.old}): không còn trong văn bản"
                                " sửa đổi, kết quả đã nộp vẫn giữ",
            RunChangeKind.MOVED: f"Đổi hạn nhiệm vụ {what}: {self.old} → {self.new}",
            RunChangeKind.RETITLED: f"Đổi tên nhiệm vụ: «{self.old}» → «{self.new}»",
            RunChangeKind.FORM: f"Đổi biểu mẫu của nhiệm vụ {what}: {self.old} → {self.new}",
        }[self.kind]


@dataclass(frozen=True)
class FieldChange:
    """A change of the directive or of one requirement, as the file says it."""

    field: str  # as in the file: "title", "requirements[bao-cao].due"
    label: str  # in Vietnamese: "Trích yếu", "Nhiệm vụ «Báo cáo»: thời hạn"
    old: str
    new: str

    @property
    def words(self) -> str:
        if not self.old:
            return f"{self.label}: {self.new}"
        if not self.new:
            return f"{self.label}: {self.old}"
        return f"{self.label}: {self.old} → {self.new}"


@dataclass(frozen=True)
class UnitChanges:
    unit_code: str
    unit_name: str
    changes: tuple[RunChange, ...]


@dataclass(frozen=True)
class Amendment:
    directive_id: int
    key: str
    number_symbol: str
    title: str
    revision: int  # the directive's revision before the amendment
    fields: tuple[FieldChange, ...]
    runs: tuple[RunChange, ...]
    # runs of the directives based on this one (căn cứ) whose derived deadline moves too
    derived_moved: int = 0
    applied: bool = False
    requirement_keys: tuple[str, ...] = ()  # the requirements of the amended file

    @property
    def empty(self) -> bool:
        """Nothing would change (a run kept as it is is not a change)."""
        return not self.fields and all(r.kind is RunChangeKind.KEPT for r in self.runs)

    def counts(self) -> dict[str, int]:
        found = {kind.value: 0 for kind in RunChangeKind}
        for change in self.runs:
            found[change.kind.value] += 1
        return found

    def by_unit(self) -> list[UnitChanges]:
        """The units whose runs change, by name, each with its changes."""
        return group_by_unit(self.runs)

    def fingerprint(self) -> str:
        """What the changes are, whatever the run ids: an apply given the fingerprint of the
        preview it follows refuses when the changes are no longer those (someone handed in a
        run or moved a deadline in between)."""
        data = {"directive": self.key, "revision": self.revision,
                "fields": [asdict(f) for f in self.fields],
                "runs": sorted([c.kind.value, c.unit_code, c.requirement_key, c.period, c.old,
                                c.new] for c in self.runs)}
        text = json.dumps(data, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def as_json(self) -> dict[str, Any]:
        return {
            "directive_id": self.directive_id, "key": self.key,
            "number_symbol": self.number_symbol, "title": self.title,
            "revision": self.revision, "new_revision": self.revision + 1,
            "applied": self.applied, "empty": self.empty, "fingerprint": self.fingerprint(),
            "counts": self.counts(), "derived_moved": self.derived_moved,
            "requirement_keys": list(self.requirement_keys),
            "fields": [{**asdict(f), "words": f.words} for f in self.fields],
            "units": [{"code": u.unit_code, "name": u.unit_name,
                       "changes": [{"kind": c.kind.value, "requirement": c.requirement_key,
                                    "title": c.requirement_title, "period": c.period,
                                    "old": c.old, "new": c.new, "words": c.words,
                                    "assignment_id": c.assignment_id} for c in u.changes]}
                      for u in self.by_unit()],
        }


def group_by_unit(changes: Iterable[RunChange]) -> list[UnitChanges]:
    units: dict[tuple[str, str], list[RunChange]] = {}
    for change in changes:
        units.setdefault((change.unit_name, change.unit_code), []).append(change)
    ordered = sorted(units.items(), key=lambda item: (folded(item[0][0]), item[0][1]))
    return [UnitChanges(code, name, tuple(found)) for (name, code), found in ordered]


def notice_note(changes: Iterable[RunChange]) -> str:
    """What a unit's notice of the amendment says of one of its runs."""
    return "; ".join(c.words for c in changes)


def amendment_lines(amendment: Amendment) -> list[str]:
    """The amendment told in lines, for the command line and the audit's summary."""
    head = (f"Sửa đổi, bổ sung văn bản {amendment.number_symbol} «{amendment.title}»"
            f" (lần {amendment.revision} → {amendment.revision + 1})")
    if amendment.empty:
        return [head, "Không có gì thay đổi: tệp giống văn bản đã ban hành."]
    lines = [head]
    if amendment.fields:
        lines.append("Văn bản và nhiệm vụ:")
        lines += [f"  - {f.words}" for f in amendment.fields]
    counts = amendment.counts()
    units = amendment.by_unit()
    lines.append(f"Theo đơn vị ({len(units)} đơn vị): {counts['added']} bổ sung,"
                 f" {counts['cancelled']} thu hồi, {counts['kept']} giữ lại,"
                 f" {counts['moved']} đổi hạn, {counts['retitled']} đổi tên,"
                 f" {counts['form']} đổi biểu mẫu")
    for unit in units:
        lines.append(f"  {unit.unit_name} ({unit.unit_code})")
        lines += [f"    - {c.words}" for c in unit.changes]
    if amendment.derived_moved:
        lines.append(f"Và {amendment.derived_moved} nhiệm vụ của các văn bản căn cứ văn bản"
                     " này đổi hạn theo.")
    return lines
