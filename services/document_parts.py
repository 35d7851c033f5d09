"""What every generated document takes from the database: the issuer's letterhead (governing
body, printed name, place), its signature, how it names a cited directive, its archive line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlmodel import Session, col

from ..domain.calendar import LOCAL_TZ
from ..domain.citing import document_name, subject
from ..domain.directives import Directive, directive_table
from ..domain.official_document import Signature
from ..domain.signing import (
    Ancestor,
    Signer,
    SigningForm,
    checked_field,
    governing_body,
    place_of,
    printed_name,
    signature,
    signing_form,
)
from ..domain.text import nfc
from ..domain.units import Unit, UnitKind, unit_table

UNKNOWN_PLACE = "……"  # left for the drafter: never a guessed place
_u, _d = unit_table.c, directive_table.c
citation_table = directive_table.metadata.tables["citation"]


@dataclass(frozen=True)
class Letterhead:
    unit: Unit
    kind: UnitKind
    governing_body: str
    issuer: str
    place: str
    form: SigningForm
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class SignerChoice:
    """Who signs the draft: the head (default), a deputy (KT.), the acting head (Q.), or by
    order / authorisation (TL. / TUQ., over `title`, the signer's own)."""

    signer: Signer = Signer.HEAD
    name: str = ""
    title: str | None = None


def letterhead(session: Session, unit: Unit) -> Letterhead:
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    above = {u.id: u for u in session.execute(
        select(Unit).where(col(Unit.id).in_(ids), col(Unit.id) != unit.id)).scalars()}
    ancestors: list[Ancestor] = []  # nearest first
    for uid in ids:
        if (row := above.get(uid)) is not None:
            kind = UnitKind(row.kind)
            ancestors.insert(0, Ancestor(kind, printed_name(row.name, row.header_name),
                                         place_of(kind, row.name, row.place_name, ancestors)))
    kind = UnitKind(unit.kind)
    place = place_of(kind, unit.name, unit.place_name, ancestors)
    warnings = () if place else (
        f"Chưa rõ địa danh của {unit.name}: điền place_name cho đơn vị (hoặc đơn vị cấp "
        f"trên); dòng địa danh để trống \"{UNKNOWN_PLACE}\".",)
    return Letterhead(
        unit=unit, kind=kind,
        governing_body=governing_body(kind, unit.governing_body, ancestors),
        issuer=printed_name(unit.name, unit.header_name), place=place or UNKNOWN_PLACE,
        form=signing_form(kind, collective_name=unit.collective_name,
                          head_title=unit.head_title, deputy_title=unit.deputy_title),
        warnings=warnings)


def sign(head: Letterhead, choice: SignerChoice) -> Signature:
    """The signature block; the name and title as typed, NFC, capped like a unit field."""
    name = checked_field("signer-name", nfc(choice.name, "signer-name")) or ""
    title = checked_field("signer-title", nfc(choice.title, "signer-title"))
    return signature(head.form, Signer(choice.signer), name=name, own_title=title)


def date_words(now: datetime) -> str:
    """A draft's date: the day is left blank for the signer ("ngày     tháng 3 năm 2026")."""
    local = now.astimezone(LOCAL_TZ)
    return f"ngày     tháng {local.month} năm {local.year}"


def sentence_title(title: str) -> str:
    """"PHÓ HIỆU TRƯỞNG" -> "Phó Hiệu trưởng", "CHỦ TỊCH" -> "Chủ tịch"."""
    if title.startswith("PHÓ ") and len(title) > 4:
        return "Phó " + title[4:].capitalize()
    return title.capitalize()


def cite(session: Session, directive: Directive, *, with_subject: bool = True) -> str:
    """"Kế hoạch số 1039/KH-SGDĐT ngày 26/02/2026 của Sở … về …" (domain/citing)."""
    issuer = session.get(Unit, directive.issuer_id)
    named = document_name(directive.doc_type, directive.number, directive.symbol,
                          directive.issued_on, issuer.name if issuer else None)
    return f"{named} về {subject(directive.title)}" if with_subject else named


def cited_above(session: Session, directive: Directive) -> list[Directive]:
    """The directives in chidao that `directive` itself cites (its own "Căn cứ")."""
    return list(session.execute(
        select(Directive).join(citation_table, citation_table.c.cited_id == col(Directive.id))
        .where(citation_table.c.directive_id == directive.id)
        .order_by(citation_table.c.id)).scalars())


def archive_line(session: Session, unit: Unit) -> str:
    """"Lưu: VT, PVHXH.": the văn thư, and the office that advises the unit (it drafts the
    unit's education documents) when it has one with a symbol."""
    office = session.execute(
        select(_u.symbol).where(_u.parent_id == unit.id, _u.kind == UnitKind.OFFICE.value,
                                _u.symbol != "").order_by(_u.id)).scalars().first()
    return f"Lưu: VT, {office}." if office else "Lưu: VT."


def plan_day(now: datetime) -> date:
    return now.astimezone(LOCAL_TZ).date()
