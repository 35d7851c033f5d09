"""What a changed directive file must keep to be an amendment of the directive issued under
its key (see chidao.services.amend): each refusal names the field and says why."""

from __future__ import annotations

from sqlmodel import Session, col, select

from ..domain.amendment import AMEND_CANCEL_REASON
from ..domain.assignments import AssignmentEvent
from ..domain.directives import Citation, Directive
from ..domain.errors import InvalidInput
from ..domain.specs import DirectiveSpec
from ..domain.status import Status
from ..domain.units import Unit


def issued_directive(session: Session, spec: DirectiveSpec) -> Directive:
    """The directive issued under the file's key, in force."""
    key = spec.resolved_key
    # Locked (PostgreSQL) until the transaction ends: two amendments of one directive, or
    # an amendment and a recall, go one after the other (SQLite writers queue anyway).
    directive = session.exec(
        select(Directive).where(Directive.key == key).with_for_update()).first()
    if directive is None:
        field = "key" if spec.key else "number_symbol"
        raise InvalidInput(field, f"chưa có văn bản nào ban hành với khóa '{key}' để sửa đổi"
                           " (văn bản mới: ban hành bằng chidao directive issue)")
    if directive.recalled_at is not None:
        raise InvalidInput("number_symbol", f"văn bản {directive.number_symbol} đã bị thu hồi"
                           f" ngày {directive.recalled_at:%d/%m/%Y}: không sửa đổi được nữa")
    return directive


def check_fixed(session: Session, spec: DirectiveSpec, directive: Directive,
                issuer: Unit) -> None:
    """The issuer, the number and symbol (and the type they give), the date of a numbered
    directive and the directives it is based on stay as issued."""
    if spec.issuer != issuer.code:
        raise InvalidInput("issuer", f"không đổi được đơn vị ban hành ({issuer.code} →"
                           f" {spec.issuer}): văn bản của đơn vị nào do đơn vị đó sửa đổi")
    if (spec.number, spec.symbol) != (directive.number, directive.symbol):
        raise InvalidInput("number_symbol", f"không đổi được số, ký hiệu"
                           f" ({directive.number_symbol} → {spec.number_symbol}): số đã vào"
                           " sổ văn bản đi; văn bản khác số là một văn bản mới")
    if spec.resolved_doc_type.value != directive.doc_type:
        raise InvalidInput("doc_type", f"không đổi được loại văn bản ({directive.doc_type} →"
                           f" {spec.resolved_doc_type.value})")
    if directive.number is not None and spec.issued_on != directive.issued_on:
        raise InvalidInput("issued_on", f"không đổi được ngày ban hành của văn bản có số"
                           f" ({directive.issued_on:%d/%m/%Y} → {spec.issued_on:%d/%m/%Y}):"
                           " số và ngày được đăng ký cùng nhau")
    stored = sorted(c.ref_text for c in session.exec(
        select(Citation).where(Citation.directive_id == directive.id)))
    if sorted(spec.based_on) != stored:
        raise InvalidInput("based_on", "không đổi được căn cứ của văn bản đã ban hành (các"
                           " kế hoạch cấp trên đã được hoàn thành theo văn bản này)")


def check_not_recalled_by_amendment(session: Session, run_ids: list[int],
                                    names: dict[int, str]) -> None:
    """A run an earlier amendment closed as thu hồi cannot be given again under the same
    requirement key and period (a closed run stays closed): the file must use a new key."""
    if not run_ids:
        return
    closed = session.exec(select(AssignmentEvent.assignment_id).where(
        col(AssignmentEvent.assignment_id).in_(run_ids),
        AssignmentEvent.to_status == Status.CANCELLED,
        AssignmentEvent.reason == AMEND_CANCEL_REASON)).first()
    if closed is not None:
        raise InvalidInput("requirements", f"{names.get(closed, '')}: nhiệm vụ này đã bị thu"
                           " hồi ở lần sửa đổi trước, không giao lại được với cùng khóa (key):"
                           " thêm nhiệm vụ với khóa khác")
