"""A campaign's lifecycle: a transition table of (status, command) → status (pure).

PLANNED (its audience chosen, nothing sent) --approve--> SENDING (the worker sends its SMS within the
rate limit; officers work its visit list) --finish--> DONE once nothing is pending;
PLANNED or SENDING --cancel--> CANCELLED (what is still pending is cancelled, what was sent stays).
A WeChat post is recorded DONE at once.
"""

from __future__ import annotations

from enum import StrEnum

from fanzha.prevention.model import CampaignStatus


class CampaignCommand(StrEnum):
    APPROVE = "approve"
    CANCEL = "cancel"
    FINISH = "finish"


class CampaignTransitionError(ValueError):
    """The command is not allowed in the campaign's status."""


S, C = CampaignStatus, CampaignCommand
TRANSITIONS: dict[tuple[CampaignStatus, CampaignCommand], CampaignStatus] = {
    (S.PLANNED, C.APPROVE): S.SENDING,
    (S.PLANNED, C.CANCEL): S.CANCELLED,
    (S.SENDING, C.CANCEL): S.CANCELLED,
    (S.SENDING, C.FINISH): S.DONE,
}


def next_status(status: CampaignStatus, command: CampaignCommand) -> CampaignStatus:
    """The status after `command`, or `CampaignTransitionError`."""
    try:
        return TRANSITIONS[(status, command)]
    except KeyError:
        raise CampaignTransitionError(
            f"{command.value} is not allowed when the campaign is {status.value}"
        ) from None


def allowed(status: CampaignStatus) -> list[CampaignCommand]:
    """The commands an officer may give in `status` (FINISH is the worker's)."""
    return [c for (s, c) in TRANSITIONS if s is status and c is not CampaignCommand.FINISH]
