"""Who signs a document for its unit (Nghị định 30's thẩm quyền ký): the enum alone, so that
naming it (the command line's --signer) loads none of the signing rules or the tables.
chidao.domain.signing re-exports it with the rules."""

from enum import StrEnum


class Signer(StrEnum):
    HEAD = "head"  # the head in their own right (or TM. the collective)
    DEPUTY = "deputy"  # KT. <head>
    ACTING = "acting"  # Q. <head>
    BY_ORDER = "by-order"  # TL. <head>, over the signer's own title
    AUTHORISED = "authorised"  # TUQ. <head>, over the signer's own title
