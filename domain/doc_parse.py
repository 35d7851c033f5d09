"""Read a Vietnamese directive's text into a draft: every field with the line it came from,
and the fields that could not be found listed as missing (never invented)."""

from __future__ import annotations

from typing import Any

from .doc_body import addressees, assignee_groups, deadlines, recipients_and_signer
from .doc_header import header_fields, references
from .doc_text import clean_lines

FIELDS = ("number", "symbol", "doc_type", "issuer", "place", "issued_on", "title",
          "school_year", "based_on", "assignee_groups", "deadlines", "recipients", "signer")


def parse_document(text: str) -> dict[str, Any]:
    lines = clean_lines(text)
    found, at = header_fields(lines)
    to = addressees(lines)
    recipients, signer = recipients_and_signer(lines)
    if "issuer" not in found and (signer.get("authority") or "").startswith("TM."):
        found["issuer"] = signer["authority"].split("/")[0][3:].strip().capitalize()
        at["issuer"] = signer["line"]
    draft: dict[str, Any] = {name: found.get(name) for name in FIELDS[:8]}
    draft |= {"based_on": references(lines), "addressees": to,
              "assignee_groups": assignee_groups(lines, to), "deadlines": deadlines(lines),
              "recipients": recipients, "signer": signer or None, "lines": at}
    draft["missing"] = [name for name in FIELDS if draft.get(name) in (None, [], {})
                        and not (name == "number" and "symbol" in found)]
    return draft
