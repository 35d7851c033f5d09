"""Documents a unit must produce, laid out as Nghị định 30/2020 asks: its implementation plan
answering a directive (services/plan_document.py), and a letter urging its late subordinates
(công văn đôn đốc, services/urging_document.py). Each is an OfficialDocument
(domain/official_document.py) that the .docx and HTML writers render alike; who the issuer is
on paper and how it signs come from domain/signing.py and the unit's own columns."""

from __future__ import annotations

from ..domain.signing import Signer
from .plan_document import implementation_plan
from .urging_document import urging_letter

__all__ = ["Signer", "implementation_plan", "urging_letter"]
