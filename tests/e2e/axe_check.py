"""axe-core in a Playwright page: the vendored script (tests/vendor/axe-core, so the check runs
offline), its violations, and a readable account of the serious and critical ones."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
BAD = ("serious", "critical")


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now (all rules but the experimental)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            url: v.helpUrl, nodes: v.nodes.map(n => ({target: n.target.join(' '),
            html: n.html.slice(0, 160), why: (n.failureSummary || '').split('\\n')
                .slice(0, 3).join(' ')}))}));
    }""")


def readable(violations: list[dict], where: str) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({v['url']})")
        for node in v["nodes"][:4]:
            lines.append(f"    at {node['target']}: {node['why']}\n       {node['html']}")
        if len(v["nodes"]) > 4:
            lines.append(f"    … and {len(v['nodes']) - 4} more")
    return "\n".join(lines)


def serious_violations(page, where: str) -> str:
    """The page's serious and critical violations, readable ("" when there is none)."""
    return readable([v for v in run_axe(page) if v["impact"] in BAD], where)
