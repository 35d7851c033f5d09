"""An issued directive as its file says it, rebuilt from what is stored: the text the amend
page starts from (edited, it is the changed file; unchanged, it changes nothing)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from ..domain.directives import Citation, Directive, Requirement
from ..domain.policy import merge_policies
from ..domain.reports import ReportForm
from ..domain.specs import DirectiveSpec
from ..domain.units import Unit


def directive_source(session: Session, directive: Directive) -> dict[str, Any]:
    """The directive's fields as the YAML file gives them (dates dd/mm/yyyy, defaults left
    out), with its requirements in the order they were issued."""
    issuer = session.get(Unit, directive.issuer_id)
    assert issuer is not None
    data: dict[str, Any] = {"number_symbol": directive.number_symbol}
    if directive.key != f"{directive.issued_on.year}:{directive.number_symbol}":
        data["key"] = directive.key
    data.update(issuer=issuer.code, issued_on=f"{directive.issued_on:%d/%m/%Y}",
                title=directive.title)
    default = DirectiveSpec.model_validate({**data, "requirements": []}).resolved_school_year
    if directive.school_year != default:
        data["school_year"] = directive.school_year
    refs = list(session.exec(select(Citation.ref_text).where(
        Citation.directive_id == directive.id).order_by(col(Citation.id))))
    if refs:
        data["based_on"] = refs
    data["requirements"] = [_requirement(session, r) for r in session.exec(
        select(Requirement).where(Requirement.directive_id == directive.id)
        .order_by(col(Requirement.id)))]
    return data


def _requirement(session: Session, requirement: Requirement) -> dict[str, Any]:
    found: dict[str, Any] = {"key": requirement.key, "kind": requirement.kind,
                             "title": requirement.title, "to": requirement.target,
                             "due": requirement.due}
    if requirement.policy != merge_policies():
        found["reminders"] = requirement.policy
    form = session.get(ReportForm, requirement.form_id) if requirement.form_id else None
    if form is not None:
        found["form"] = f"{form.key}@{form.version}"
    return found
