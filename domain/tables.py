"""Every table of the domain, imported in one place so the metadata is complete."""

from sqlmodel import SQLModel

from .accounts import ApiToken, LoginAttempt, User, UserSession
from .assignments import Assignment, AssignmentEvent
from .audit import AuditEvent
from .closures import Closure
from .directives import Citation, Directive, DirectiveFile, Requirement
from .feeds import FeedToken
from .idempotency import IdempotentRequest
from .notifications import Notification, OutboundMessage, OutboundMessageBody
from .people import Delegation, TaskHolder
from .reports import Attachment, ReportForm, ReportValue, Submission
from .rollups import rollup_count_table, rollup_value_table
from .units import Unit, UnitAncestor

metadata = SQLModel.metadata

__all__ = [
    "Assignment", "AssignmentEvent", "Citation", "Directive", "Notification", "OutboundMessage",
    "Requirement", "Unit", "metadata", "Attachment", "ReportForm", "ReportValue", "Submission",
    "UnitAncestor", "ApiToken", "LoginAttempt", "User", "UserSession", "OutboundMessageBody",
    "DirectiveFile", "Closure", "AuditEvent", "FeedToken", "IdempotentRequest", "Delegation",
    "TaskHolder", "rollup_count_table", "rollup_value_table",
]
