"""冒充领导熟人: a payment soon after a new contact appeared in a chat group (or a private chat).

The fake boss joins or builds a "work group" and asks finance staff to pay a "partner". For
finance staff this is the fraud's signature; for others it is weaker evidence."""

from __future__ import annotations

from collections.abc import Sequence

from fanzha.detection.context import DetectionContext
from fanzha.detection.detectors.base import Mark, Subject, recall, remember, transfer_after_mark
from fanzha.detection.model import Signal
from fanzha.detection.state import KeyedState
from fanzha.event.codes import Direction, FraudType, PersonGroup
from fanzha.event.model import Chat, Event, Transfer

GROUP, PRIVATE = "GROUP", "PRIVATE"


class ChatContact:
    codes = frozenset(
        {
            "FINANCE_TRANSFER_AFTER_GROUP_CONTACT",
            "TRANSFER_AFTER_NEW_GROUP_CONTACT",
            "TRANSFER_AFTER_NEW_CHAT_CONTACT",
        }
    )
    name = "chat_contact"
    kinds = frozenset({"chat", "transfer"})

    def observe(
        self, event: Event, subject: Subject, state: KeyedState, ctx: DetectionContext
    ) -> Sequence[Signal]:
        settings = ctx.settings
        key = f"{self.name}:{subject.key}"
        window = settings.chat_contact_to_transfer
        if isinstance(event, Chat):
            if event.new_contact and event.direction is Direction.IN:
                where = GROUP if event.group_id else PRIVATE
                remember(
                    state,
                    key,
                    Mark(event.occurred_at, event.group_id or event.platform, where, event.event_id),
                    window,
                )
            return ()
        if not isinstance(event, Transfer) or event.amount_fen < settings.chat_transfer_min_fen:
            return ()
        if subject.profile is not None and subject.profile.knows(event.payee_account):
            return ()
        marks = recall(state, key, event.occurred_at, window)
        if not marks:
            return ()
        mark = next((m for m in reversed(marks) if m.fraud_type == GROUP), marks[-1])
        if mark.fraud_type == PRIVATE:
            code, summary, fraud_type = (
                "TRANSFER_AFTER_NEW_CHAT_CONTACT",
                "添加陌生聊天好友后大额转账",
                FraudType.UNKNOWN,
            )
        elif subject.person_id and PersonGroup.FINANCE_STAFF in ctx.profiles.groups(subject.person_id):
            code, summary, fraud_type = (
                "FINANCE_TRANSFER_AFTER_GROUP_CONTACT",
                "财务人员在工作群出现新成员后向新收款人转账",
                FraudType.FAKE_BOSS_ACQ,
            )
        else:
            code, summary, fraud_type = (
                "TRANSFER_AFTER_NEW_GROUP_CONTACT",
                "聊天群出现新联系人后大额转账",
                FraudType.FAKE_BOSS_ACQ,
            )
        return (
            transfer_after_mark(
                detector=self.name,
                code=code,
                summary=summary,
                mark_label="chat_where",
                transfer=event,
                mark=Mark(mark.at, mark.what, fraud_type.value, mark.event_id),
            ),
        )
