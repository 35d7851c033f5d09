"""Read a Vietnamese directive's text into a draft: every field with the line it came from,
and the fields that could not be found listed as missing (never invented)."""

from __future__ import annotations

from typing import Any

from .doc_body import addressees, assignee_groups
from .doc_deadlines import deadlines
from .doc_header import header_fields
from .doc_refs import references
from .doc_sign import recipients_and_signer
from .doc_text import clean_lines

FIELDS = ("number", "symbol", "doc_type", "governing_body", "issuer", "place", "issued_on",
          "title", "school_year", "based_on", "addressees", "assignee_groups", "deadlines",
          "recipients", "signer")
OPTIONAL = ("governing_body", "addressees")  # many documents rightly have none


def parse_document(text: str) -> dict[str, Any]:
    lines = clean_lines(text)
    found, at = header_fields(lines)
    at.pop("doc_type_line", None)
    to = addressees(lines)
    recipients, signer = recipients_and_signer(lines)
    draft: dict[str, Any] = {name: found.get(name) for name in FIELDS[:9]}
    draft |= {"based_on": references(lines), "addressees": to,
              "assignee_groups": assignee_groups(lines, to, found.get("doc_type")),
              "deadlines": deadlines(lines), "recipients": recipients,
              "signer": signer or None}
    for name in FIELDS[9:]:  # a list's first item, the signature's first line
        value = draft[name]
        if value:
            at[name] = value[0]["line"] if isinstance(value, list) else value["line"]
    draft["lines"] = at
    draft["missing"] = [name for name in FIELDS if draft.get(name) in (None, [], {})
                        and name not in OPTIONAL
                        and not (name == "number" and "symbol" in found)]
    return draft
