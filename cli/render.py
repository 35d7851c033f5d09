"""Rich rendering of the cascade tree and of assignment lists (Vietnamese labels)."""

from __future__ import annotations

from datetime import date

from rich.markup import escape
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ..domain.directives import DOC_TYPE_LABELS
from ..domain.timeliness import Completion, Timeliness
from ..queries.inbox import InboxRun
from ..queries.status_tree import DirectiveNode, TreeRun

TIMELINESS_STYLE = {Timeliness.OVERDUE: "bold red", Timeliness.DUE_TODAY: "red",
                    Timeliness.DUE_SOON: "dark_orange", Timeliness.ON_TRACK: "green"}


def vn_date(day: date) -> str:
    return f"{day:%d/%m/%Y}"


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


def directive_label(node: DirectiveNode) -> str:
    doc = DOC_TYPE_LABELS[node.doc_type]
    return (f"[bold]{doc} {escape(node.number_symbol)}[/] ngày {vn_date(node.issued_on)}"
            f" — {escape(node.issuer_name)}: {escape(node.title)}"
            f"  [dim]{escape('[' + node.key + ']')}[/]  ({counts_text(node.counts)})")


def run_label(run: TreeRun) -> str:
    period = f" kỳ {escape(run.period)}" if run.period else ""
    state = run.status.label
    if run.timeliness:
        state += f", [{TIMELINESS_STYLE[run.timeliness]}]{run.timeliness.label}[/]"
    if run.completion:
        style = "green" if run.completion is Completion.ON_TIME else "red"
        state += f", [{style}]{run.completion.label}[/]"
    return (f"#{run.id} [cyan]{run.kind.label}[/]{period}: {escape(run.title)} · hạn"
            f" {vn_date(run.due_on)} · {state}")


def cascade_tree(node: DirectiveNode, depth: int | None = None) -> Tree:
    tree = Tree(directive_label(node))
    _fill(tree, node, depth)
    return tree


def _fill(tree: Tree, node: DirectiveNode, depth: int | None) -> None:
    for unit in node.units:
        branch = tree.add(f"[bold]{escape(unit.name)}[/] [dim]{escape(unit.code)}[/]"
                          f"  ({counts_text(unit.counts)})")
        for run in unit.assignments:
            branch.add(run_label(run))
        if depth is None or depth > 1:
            for child in unit.directives:
                deeper = None if depth is None else depth - 1
                _fill(branch.add(directive_label(child)), child, deeper)
    for child in node.directives:
        _fill(tree.add(directive_label(child)), child, depth)


def assignment_table(rows: list[InboxRun]) -> Table:
    table = Table("#", "Văn bản", "Nhiệm vụ", "Kỳ", "Hạn", "Trạng thái", "Tiến độ")
    for r in rows:
        progress = r.progress
        style = TIMELINESS_STYLE[r.timeliness] if r.timeliness else ""
        # Text cells: what units typed is shown as typed, brackets and all, never as markup.
        table.add_row(str(r.id), Text(r.number_symbol), Text(r.title), Text(r.period),
                      vn_date(r.due_on), r.status.label,
                      Text(progress.label if progress else "", style=style))
    return table
