"""Email addresses: checked and normalised with `email-validator` (syntax only, no DNS).

Decision: internationalised local parts (`trường@…`) are refused. They need SMTPUTF8 at every
relay on the way, which the mail servers of education offices rarely offer; an internationalised
domain is kept in its ASCII (IDNA) form, which every relay accepts. Addresses are lower-cased
(units are looked up and de-duplicated by address).
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email


class BadAddress(ValueError):
    """`address` is not a deliverable email address; `problem` says why (in English)."""

    def __init__(self, address: str, problem: str) -> None:
        self.address = address
        self.problem = problem
        super().__init__(f"{address!r} is not a valid email address: {problem}")


def normalise_address(address: str) -> str:
    """The address as stored and sent (ASCII, lower-case), or BadAddress."""
    try:
        checked = validate_email(address, check_deliverability=False, allow_smtputf8=False,
                                 allow_quoted_local=False, allow_domain_literal=False)
    except EmailNotValidError as exc:
        raise BadAddress(address, str(exc)) from None
    return (checked.ascii_email or checked.normalized).lower()
