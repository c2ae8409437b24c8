"""Who may do what in the assistance, on top of the region capabilities of ``accounts.access``.

The mentor team (Can.REVIEW) runs the forum end to end; the region's own people (Can.EDIT:
editors and region admins) may take minutes and follow up their actions and obstacles, but
only a mentor or the ministry closes a session (which freezes its minutes) or escalates an
obstacle to the ministry. Viewers read. Setting up an engagement (period, agreement, mentor
team, schedule) is for the mentor team and the region admin; adding a region to a cohort is
for the ministry only (see views).

==================  ==========================================  =====================
act                 what                                        capabilities (any of)
==================  ==========================================  =====================
SETUP               period, agreement, mentor team, schedule    REVIEW, ADMINISTER
RUN                 start session, agenda, attendance, minutes,  REVIEW, EDIT
                    outcomes, actions, obstacles
CLOSE               close a session (freezes minutes)           REVIEW
FOLLOW_UP           action status, obstacle status, signatures  REVIEW, EDIT
ESCALATE            escalate an obstacle to the ministry        REVIEW
RESPOND             the ministry's response to an escalation    ministry staff only
==================  ==========================================  =====================

RESPOND is not a region capability (the region admin and the mentor hold some of the same
capabilities as the ministry in a region); it follows the programme-wide ministry grant of
``access.is_ministry``.
"""

from __future__ import annotations

import enum
from typing import Any

from django.core.exceptions import PermissionDenied

from kotacerdas.accounts import access
from kotacerdas.accounts.access import Can


class Act(enum.Enum):
    SETUP = "setup"
    RUN = "run"
    CLOSE = "close"
    FOLLOW_UP = "follow_up"
    ESCALATE = "escalate"
    RESPOND = "respond"

    do_not_call_in_templates = enum.nonmember(True)


RULES: dict[Act, frozenset[Can]] = {
    Act.SETUP: frozenset({Can.REVIEW, Can.ADMINISTER}),
    Act.RUN: frozenset({Can.REVIEW, Can.EDIT}),
    Act.CLOSE: frozenset({Can.REVIEW}),
    Act.FOLLOW_UP: frozenset({Can.REVIEW, Can.EDIT}),
    Act.ESCALATE: frozenset({Can.REVIEW}),
}


def allowed_acts(caps: frozenset[Can]) -> frozenset[Act]:
    return frozenset(act for act, needs in RULES.items() if needs & caps)


MINISTRY_ACTS = frozenset({Act.RESPOND})


def acts(user: Any, region: Any) -> frozenset[Act]:
    """What ``user`` may do in the assistance of ``region`` (a region from ``access.region_for``)."""
    granted = allowed_acts(access.capabilities(user, region))
    return granted | MINISTRY_ACTS if access.is_ministry(user) else granted


def may_respond(user: Any) -> bool:
    """Whether ``user`` may answer escalated obstacles (of any region): the ministry only."""
    return access.is_ministry(user)


def require(user: Any, region: Any, act: Act) -> None:
    if act not in acts(user, region):
        raise PermissionDenied
