"""Report forms: stored once per (issuer, key, version) from the directive that defines them,
found again by key along the citation lineage (the directive itself, then what it cites,
transitively): a key names the form of the nearest issuer in that lineage, never a form some
unrelated unit defined."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from ..domain.directives import Citation, Directive
from ..domain.errors import InvalidInput
from ..domain.forms import FormSpec
from ..domain.reports import ReportForm


def store_forms(session: Session, forms: list[FormSpec], *, issuer_id: int,
                now: datetime) -> None:
    for index, form in enumerate(forms):
        fields = [f.model_dump(mode="json", exclude_defaults=True) for f in form.fields]
        existing = session.exec(select(ReportForm).where(
            ReportForm.issuer_id == issuer_id, ReportForm.key == form.key,
            ReportForm.version == form.version)).first()
        if existing is None:
            session.add(ReportForm(key=form.key, version=form.version, title=form.title,
                                   fields=fields, issuer_id=issuer_id, created_at=now))
        elif existing.fields != fields or existing.title != form.title:
            raise InvalidInput(f"forms[{index}]", f"version {form.version} of '{form.key}'"
                               " already exists with other fields: give it a new version")
    session.flush()


def lineage_issuers(session: Session, directive_id: int) -> list[int]:
    """The issuers of the directive and of every directive it cites, transitively, nearest
    first (breadth-first; each once)."""
    seen, issuers, frontier = {directive_id}, [], [directive_id]
    while frontier:
        for d in session.exec(select(Directive).where(col(Directive.id).in_(frontier))):
            if d.issuer_id not in issuers:
                issuers.append(d.issuer_id)
        cited = session.exec(select(Citation.cited_id).where(
            col(Citation.directive_id).in_(frontier), col(Citation.cited_id).is_not(None)))
        frontier = sorted({c for c in cited if c is not None} - seen)
        seen.update(frontier)
    return issuers


def form_by_ref(session: Session, ref: str, *, field: str, directive_id: int) -> ReportForm:
    """`key` (its latest version) or `key@version`, as defined by the nearest issuer along
    the directive's citation lineage."""
    key, _, version = ref.partition("@")
    if version and not version.isdigit():
        raise InvalidInput(field, f"'{ref}': the version after @ must be a number")
    for issuer_id in lineage_issuers(session, directive_id):
        query = select(ReportForm).where(ReportForm.key == key,
                                         ReportForm.issuer_id == issuer_id)
        if version:
            query = query.where(ReportForm.version == int(version))
        found = session.exec(query.order_by(col(ReportForm.version).desc())).first()
        if found is not None:
            return found
    raise InvalidInput(field, f"no report form '{ref}' defined by this directive or by the"
                       " directives it cites (define it under forms:)")
