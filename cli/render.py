"""Rich rendering of the cascade tree and of assignment lists (Vietnamese labels)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from chidao.domain.directives import DOC_TYPE_LABELS, DocType, RequirementKind
from chidao.domain.status import Status
from chidao.domain.timeliness import Completion, Timeliness

TIMELINESS_STYLE = {"overdue": "bold red", "due_today": "red", "due_soon": "dark_orange",
                    "on_track": "green"}


def vn_date(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def counts_text(counts: dict[str, int]) -> str:
    total = counts.get("total", 0)
    done = counts.get("submitted", 0) + counts.get("accepted", 0)
    parts = [f"{done}/{total} đã nộp"]
    if counts.get("overdue"):
        parts.append(f"[bold red]{counts['overdue']} quá hạn[/]")
    if counts.get("due_today") or counts.get("due_soon"):
        parts.append(f"[dark_orange]{counts.get('due_today', 0) + counts.get('due_soon', 0)}"
                     " sắp đến hạn[/]")
    if counts.get("late"):
        parts.append(f"{counts['late']} nộp muộn")
    return " · ".join(parts)


def directive_label(node: dict[str, Any]) -> str:
    doc = DOC_TYPE_LABELS[DocType(node["doc_type"])]
    return (f"[bold]{doc} {escape(node['number_symbol'])}[/] ngày {vn_date(node['issued_on'])}"
            f" — {escape(node['issuer']['name'])}: {escape(node['title'])}"
            f"  [dim]{escape('[' + node['key'] + ']')}[/]  ({counts_text(node['counts'])})")


def run_label(run: dict[str, Any]) -> str:
    period = f" kỳ {escape(run['period'])}" if run["period"] else ""
    state = Status(run["status"]).label
    if run["timeliness"]:
        t = Timeliness(run["timeliness"])
        state += f", [{TIMELINESS_STYLE[t.value]}]{t.label}[/]"
    if run["completion"]:
        style = "green" if run["completion"] == "on_time" else "red"
        state += f", [{style}]{Completion(run['completion']).label}[/]"
    kind = RequirementKind(run["kind"]).label
    return (f"#{run['id']} [cyan]{kind}[/]{period}: {escape(run['title'])} · hạn"
            f" {vn_date(run['due_on'])} · {state}")


def cascade_tree(node: dict[str, Any], depth: int | None = None) -> Tree:
    tree = Tree(directive_label(node))
    _fill(tree, node, depth)
    return tree


def _fill(tree: Tree, node: dict[str, Any], depth: int | None) -> None:
    for unit in node["units"]:
        branch = tree.add(f"[bold]{escape(unit['name'])}[/] [dim]{escape(unit['code'])}[/]"
                          f"  ({counts_text(unit['counts'])})")
        for run in unit["assignments"]:
            branch.add(run_label(run))
        if depth is None or depth > 1:
            for child in unit["directives"]:
                deeper = None if depth is None else depth - 1
                _fill(branch.add(directive_label(child)), child, deeper)
    for child in node["directives"]:
        _fill(tree.add(directive_label(child)), child, depth)


def assignment_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("#", "Văn bản", "Nhiệm vụ", "Kỳ", "Hạn", "Trạng thái", "Tiến độ")
    for r in rows:
        t = r["timeliness"] or r["completion"]
        label = (Timeliness(t).label if r["timeliness"] else Completion(t).label) if t else ""
        # Text cells: what units typed is shown as typed, brackets and all, never as markup.
        table.add_row(str(r["id"]), Text(r["number_symbol"]), Text(r["title"]),
                      Text(r["period"]), vn_date(r["due_on"]), Status(r["status"]).label,
                      Text(label, style=TIMELINESS_STYLE.get(r["timeliness"] or "", "")))
    return table
