"""`chidao rollup rebuild`: rewrite the kept rollup tables (chidao.domain.rollups) from the runs
and values, for repair (after writing to the database by hand, or restoring a partial copy);
the tables otherwise follow every change in its own transaction. One transaction."""

from __future__ import annotations

import typer

from .common import JSON, console, group, print_json, reports_errors, runtime

rollup_app = group("The kept rollups (per unit subtree counts and report figures).")


def register(app: typer.Typer) -> None:
    app.add_typer(rollup_app, name="rollup")


@rollup_app.command("rebuild")
@reports_errors
def rebuild_command(
        directive: str = typer.Option(None, "--directive",
                                      help="Only this directive's requirements (key or số"
                                           " ký hiệu); default: every requirement."),
        as_json: bool = JSON) -> None:
    """Rebuild the rollup tables from the runs and the handed-in values."""
    from sqlalchemy import func, select

    from ..db.database import transaction
    from ..db.lookup import directive_by_ref
    from ..domain.directives import requirement_table
    from ..domain.rollups import rollup_count_table, rollup_value_table
    from ..services.rollup_store import rebuild

    with transaction(runtime().engine) as session:
        requirement_ids = None
        if directive:
            found = directive_by_ref(session, directive, field="directive")
            requirement_ids = list(session.execute(select(requirement_table.c.id).where(
                requirement_table.c.directive_id == found.id)).scalars())
        rebuild(session, requirement_ids)
        rows = {table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
                for table in (rollup_count_table, rollup_value_table)}
    if as_json:
        print_json({"rebuilt": directive or "all", "rows": rows})
    else:
        console.print(f"Rebuilt the rollups of {directive or 'every requirement'}:"
                      f" {rows['rollup_count']} count rows, {rows['rollup_value']} value"
                      " rows.")
