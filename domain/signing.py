"""Who a unit is on paper (Nghị định 30/2020, Phụ lục I): its governing body over the header,
its name as printed, its place name (địa danh), and how it signs. A unit's own columns win;
None takes its kind's default from here.

Signing forms (NĐ 30, Điều 8 and Phụ lục I):
- a collective body (an Ủy ban nhân dân) signs "TM. ỦY BAN NHÂN DÂN" over its head's title
  ("CHỦ TỊCH"); a deputy adds "KT. CHỦ TỊCH" and signs as "PHÓ CHỦ TỊCH". TM. is ONLY for a
  collective body;
- a head signs in their own title ("GIÁM ĐỐC", "HIỆU TRƯỞNG"); a deputy "KT. GIÁM ĐỐC" over
  "PHÓ GIÁM ĐỐC"; an acting head "Q. HIỆU TRƯỞNG";
- by order (TL.) or by written authorisation (TUQ.) of the head, over the signer's own title
  ("TL. GIÁM ĐỐC" / "CHÁNH VĂN PHÒNG"), never assumed: an explicit choice.

An independent class (nhóm trẻ, lớp mẫu giáo độc lập) is not a school and has no Hiệu
trưởng: the person in charge is the chủ nhóm trẻ, lớp mẫu giáo độc lập (Thông tư 13/2015 as
amended, Thông tư 49/2021/TT-BGDĐT), so it signs "CHỦ NHÓM, LỚP" and has no deputy unless
the unit says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .errors import InvalidInput
from .official_document import Signature
from .signers import Signer as Signer
from .units import UnitKind

# The unit columns a units file and the web may set (None: the kind's default).
DOCUMENT_FIELDS = ("governing_body", "header_name", "place_name", "collective_name",
                   "head_title", "deputy_title")
DOCUMENT_FIELD_MAX_CHARS = 200  # one printed header line is ~60 characters


@dataclass(frozen=True)
class KindDefaults:
    collective: str  # "" when the unit is not a collective body
    head: str
    deputy: str  # "" when the unit has no deputy


KIND_DEFAULTS: dict[UnitKind, KindDefaults] = {
    UnitKind.MINISTRY: KindDefaults("", "BỘ TRƯỞNG", "THỨ TRƯỞNG"),
    UnitKind.DEPARTMENT: KindDefaults("", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    UnitKind.PEOPLE_COMMITTEE: KindDefaults("ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
    UnitKind.OFFICE: KindDefaults("", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG"),
    UnitKind.SCHOOL: KindDefaults("", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"),
    UnitKind.INDEPENDENT_CLASS: KindDefaults("", "CHỦ NHÓM, LỚP", ""),
    UnitKind.TEAM: KindDefaults("", "TỔ TRƯỞNG", "TỔ PHÓ"),
}
# Kinds whose header has no governing-body line unless the unit sets one: a UBND is the
# governing body itself; a Sở's (UBND tỉnh) and the Bộ's are not in the tree.
_OWN_HEADED = {UnitKind.MINISTRY, UnitKind.DEPARTMENT, UnitKind.PEOPLE_COMMITTEE}
# "Ủy ban nhân dân đặc khu Kiên Hải" -> "Kiên Hải": the name after its kind word.
_COMMITTEE_NAME = re.compile(
    r"^(?:ủy|uỷ) ban nhân dân (?:đặc khu|phường|xã|thị trấn|tỉnh|thành phố) (.+)$",
    re.IGNORECASE)


@dataclass(frozen=True)
class SigningForm:
    collective: str  # "" unless the unit is a collective body
    head: str
    deputy: str


def signing_form(kind: UnitKind, *, collective_name: str | None = None,
                 head_title: str | None = None,
                 deputy_title: str | None = None) -> SigningForm:
    """The unit's own titles where set, else its kind's; printed in capitals."""
    base = KIND_DEFAULTS[kind]
    return SigningForm(
        collective=(collective_name if collective_name is not None else base.collective).upper(),
        head=(head_title or base.head).upper(),
        deputy=(deputy_title or base.deputy).upper())


def signature(form: SigningForm, signer: Signer = Signer.HEAD, *, name: str = "",
              own_title: str | None = None) -> Signature:
    """The signature block's lines for `signer` signing on the unit's behalf."""
    over = (f"TM. {form.collective}",) if form.collective else ()
    if signer is Signer.HEAD:
        return Signature(over, form.head, name)
    if signer is Signer.ACTING:
        return Signature(over, f"Q. {form.head}", name)
    if signer is Signer.DEPUTY:
        if not form.deputy:
            raise InvalidInput("signer", f"the unit has no deputy title ({form.head} signs); "
                                         "set deputy_title for the unit")
        return Signature((*over, f"KT. {form.head}"), form.deputy, name)
    if not (own_title or "").strip():
        raise InvalidInput("signer-title", f"signing {signer.value} needs the signer's own "
                                           "title (e.g. CHÁNH VĂN PHÒNG)")
    mark = "TL." if signer is Signer.BY_ORDER else "TUQ."
    return Signature((f"{mark} {form.head}",), (own_title or "").strip().upper(), name)


def printed_name(name: str, header_name: str | None) -> str:
    """The issuer as printed in the header: its header_name, else its name in capitals."""
    return (header_name or name).upper()


@dataclass(frozen=True)
class Ancestor:
    """A unit above the one printing, nearest first in the sequences below."""

    kind: UnitKind
    printed: str  # printed_name of the ancestor
    place: str | None  # the ancestor's resolved place (see place_of)


def governing_body(kind: UnitKind, own: str | None, ancestors: Sequence[Ancestor]) -> str:
    """The cơ quan chủ quản line ("" for none): the unit's own, else none for a Bộ, Sở or
    UBND, else the printed name of the nearest UBND above (a Phòng's, a school's), else of
    its parent."""
    if own:
        return own.upper()
    if kind in _OWN_HEADED or not ancestors:
        return ""
    committee = next((a for a in ancestors if a.kind is UnitKind.PEOPLE_COMMITTEE), None)
    return (committee or ancestors[0]).printed


def place_of(kind: UnitKind, name: str, own: str | None,
             ancestors: Sequence[Ancestor]) -> str | None:
    """The địa danh: the unit's own place_name; for a UBND xã/phường/đặc khu the name after
    its kind word (a UBND is its own place: it never takes the province's); else the nearest
    ancestor's place. None when nothing tells (never a guess from the last word)."""
    if own:
        return own
    if kind is UnitKind.PEOPLE_COMMITTEE:
        found = _COMMITTEE_NAME.match(" ".join(name.split()))
        return found[1] if found else None
    return next((a.place for a in ancestors if a.place), None)


def checked_field(field: str, value: object, line: int | None = None) -> str | None:
    """A document field as stored: text, stripped, at most DOCUMENT_FIELD_MAX_CHARS; empty or
    null is None (the kind's default). NFC is the caller's (the file reader's) job."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise InvalidInput(field, "expected text", line=line)
    text = " ".join(str(value).split())
    if len(text) > DOCUMENT_FIELD_MAX_CHARS:
        raise InvalidInput(field, f"longer than {DOCUMENT_FIELD_MAX_CHARS} characters",
                           line=line)
    return text or None
