"""Every table of the domain, imported in one place so the metadata is complete."""

from sqlmodel import SQLModel

from domain.accounts import ApiToken, LoginAttempt, User, UserSession
from domain.assignments import Assignment, AssignmentEvent
from domain.directives import Citation, Directive, Requirement
from domain.notifications import Notification, OutboundMessage, OutboundMessageBody
from domain.reports import Attachment, ReportForm, ReportValue, Submission
from domain.units import Unit, UnitAncestor

metadata = SQLModel.metadata

__all__ = [
    "Assignment", "AssignmentEvent", "Citation", "Directive", "Notification", "OutboundMessage",
    "Requirement", "Unit", "metadata", "Attachment", "ReportForm", "ReportValue", "Submission",
    "UnitAncestor", "ApiToken", "LoginAttempt", "User", "UserSession", "OutboundMessageBody",
]
