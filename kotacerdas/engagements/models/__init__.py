"""Assistance models, split by topic. Import from here: ``from kotacerdas.engagements.models import Session``."""

from kotacerdas.engagements.models.engagement import Cohort, Engagement, MentorRole, MentorTeamMember
from kotacerdas.engagements.models.forum import AgendaItem, Attendance, AttendanceStatus, Outcome, OutcomeKind, Session
from kotacerdas.engagements.models.register import (
    Action,
    ActionStatus,
    CommitmentSignatory,
    MinistryResponseStatus,
    Obstacle,
    ObstacleCategory,
    ObstacleStatus,
    SignatoryRole,
)

__all__ = [
    "Action",
    "ActionStatus",
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "Cohort",
    "CommitmentSignatory",
    "Engagement",
    "MentorRole",
    "MentorTeamMember",
    "MinistryResponseStatus",
    "Obstacle",
    "ObstacleCategory",
    "ObstacleStatus",
    "Outcome",
    "OutcomeKind",
    "Session",
    "SignatoryRole",
]
