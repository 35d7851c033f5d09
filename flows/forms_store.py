"""Report forms: stored once per (key, version) from the directive that defines them, found
again by key from any directive down the cascade."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from domain.errors import InvalidInput
from domain.forms import FormSpec
from domain.reports import ReportForm


def store_forms(session: Session, forms: list[FormSpec], *, now: datetime) -> None:
    for index, form in enumerate(forms):
        fields = [f.model_dump(mode="json", exclude_defaults=True) for f in form.fields]
        existing = session.exec(select(ReportForm).where(
            ReportForm.key == form.key, ReportForm.version == form.version)).first()
        if existing is None:
            session.add(ReportForm(key=form.key, version=form.version, title=form.title,
                                   fields=fields, created_at=now))
        elif existing.fields != fields or existing.title != form.title:
            raise InvalidInput(f"forms[{index}]", f"version {form.version} of '{form.key}'"
                               " already exists with other fields: give it a new version")
    session.flush()


def form_by_ref(session: Session, ref: str, *, field: str) -> ReportForm:
    """`key` (its latest version) or `key@version`."""
    key, _, version = ref.partition("@")
    query = select(ReportForm).where(ReportForm.key == key)
    if version:
        if not version.isdigit():
            raise InvalidInput(field, f"'{ref}': the version after @ must be a number")
        query = query.where(ReportForm.version == int(version))
    found = session.exec(query.order_by(col(ReportForm.version).desc())).first()
    if found is None:
        raise InvalidInput(field, f"no report form '{ref}' (define it under forms:)")
    return found


def form_spec(form: ReportForm) -> FormSpec:
    return FormSpec.model_validate({"key": form.key, "version": form.version,
                                    "title": form.title, "fields": form.fields})
