"""Every table of the domain, imported in one place so the metadata is complete."""

from sqlmodel import SQLModel

from .accounts import ApiToken, LoginAttempt, User, UserSession
from .assignments import Assignment, AssignmentEvent
from .closures import Closure
from .directives import Citation, Directive, DirectiveFile, Requirement
from .notifications import Notification, OutboundMessage, OutboundMessageBody
from .reports import Attachment, ReportForm, ReportValue, Submission
from .units import Unit, UnitAncestor

metadata = SQLModel.metadata

__all__ = [
    "Assignment", "AssignmentEvent", "Citation", "Directive", "Notification", "OutboundMessage",
    "Requirement", "Unit", "metadata", "Attachment", "ReportForm", "ReportValue", "Submission",
    "UnitAncestor", "ApiToken", "LoginAttempt", "User", "UserSession", "OutboundMessageBody",
    "DirectiveFile", "Closure",
]
