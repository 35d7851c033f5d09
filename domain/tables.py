"""Every table of the domain, imported in one place so the metadata is complete."""

from sqlmodel import SQLModel

from chidao.domain.accounts import ApiToken, LoginAttempt, User, UserSession
from chidao.domain.assignments import Assignment, AssignmentEvent
from chidao.domain.directives import Citation, Directive, Requirement
from chidao.domain.notifications import Notification, OutboundMessage, OutboundMessageBody
from chidao.domain.reports import Attachment, ReportForm, ReportValue, Submission
from chidao.domain.units import Unit, UnitAncestor

metadata = SQLModel.metadata

__all__ = [
    "Assignment", "AssignmentEvent", "Citation", "Directive", "Notification", "OutboundMessage",
    "Requirement", "Unit", "metadata", "Attachment", "ReportForm", "ReportValue", "Submission",
    "UnitAncestor", "ApiToken", "LoginAttempt", "User", "UserSession", "OutboundMessageBody",
]
