"""`fanzha prevention`: targeted publicity campaigns, visit lists, opt-outs, the special-groups sweep.

Publicity records, figures, the 无诈 board, the self-check and reports: `cli/publicity.py`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from fanzha.cli import publicity
from fanzha.cli.common import audit_cli, console, err_console, open_uow

if TYPE_CHECKING:
    from fanzha.jobs.prevention import PreventionSetup
    from fanzha.prevention.service import CampaignRequest
    from fanzha.uow import UnitOfWork

app = typer.Typer(
    help="宣防 prevention: targeted publicity, special groups, publicity records", no_args_is_help=True
)
campaign = typer.Typer(
    help="targeted publicity campaigns: preview, create, approve, cancel, list", no_args_is_help=True
)
app.add_typer(campaign, name="campaign")
publicity.register(app)

UnitOption = Annotated[
    str, typer.Option("--unit", help="the unit running the campaign (its area is the audience)")
]
TopicOption = Annotated[
    list[str], typer.Option("--topic", help="a topic of the targeting file (repeat for more)")
]
ChannelOption = Annotated[str, typer.Option(help="SMS, VISIT (a visit list) or WECHAT (a group post)")]


def setup() -> PreventionSetup:
    from fanzha.jobs.prevention import setup_from_settings
    from fanzha.settings import Settings

    return setup_from_settings(Settings())


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]error:[/red] {message}")
    return typer.Exit(2)


def _request(
    unit: str, topics: list[str], channel: str, title: str, group: str | None, members: int
) -> CampaignRequest:
    from fanzha.prevention.model import Channel
    from fanzha.prevention.service import CampaignRequest

    try:
        chosen = Channel(channel.upper())
    except ValueError:
        raise _fail("--channel is SMS, VISIT or WECHAT") from None
    return CampaignRequest(unit, tuple(topics), chosen, title, group, members)


def _units_below(uow: UnitOfWork, unit_id: str) -> frozenset[str]:
    from fanzha.warning.workflow_repository import load_units

    tree = load_units(uow.session)
    if unit_id not in tree.units:
        raise _fail("unknown unit")
    return tree.subtree(unit_id)


@campaign.command("preview")
def preview(unit: UnitOption, topic: TopicOption, channel: ChannelOption = "SMS") -> None:
    """How many people a campaign would reach, per topic and status (nothing is written)."""
    from fanzha.prevention import service

    s = setup()
    with open_uow() as uow:
        try:
            counts = service.preview(
                uow,
                _request(unit, topic, channel, "preview", "-", 1),
                units=_units_below(uow, unit),
                now=datetime.now(UTC),
                targeting=s.targeting,
                config=s.config,
            )
        except ValueError as exc:
            raise _fail(str(exc)) from None
    table = Table(title=f"受众预估 audience preview ({unit})")
    for column in ("主题 topic", "待发送 PENDING", "已退订 OPTED_OUT", "超频 CAPPED"):
        table.add_column(column, justify="right")
    for code, by_status in counts.items():
        table.add_row(
            s.targeting.topics[code].label,
            *(str(by_status.get(k, 0)) for k in ("PENDING", "OPTED_OUT", "CAPPED")),
        )
    console.print(table)


@campaign.command("create")
def create(
    unit: UnitOption,
    topic: TopicOption,
    title: Annotated[str, typer.Option(help="the campaign's name")],
    channel: ChannelOption = "SMS",
    wechat_group: Annotated[str | None, typer.Option(help="WECHAT: the group posted to")] = None,
    members: Annotated[int, typer.Option(min=0, help="WECHAT: the group's members")] = 0,
) -> None:
    """Plan a campaign: its audience is chosen and recorded now; SMS go out only once it is approved."""
    from fanzha.prevention import service

    s = setup()
    now = datetime.now(UTC)
    with open_uow() as uow:
        try:
            request = _request(unit, topic, channel, title, wechat_group, members)
            campaign_id = service.create_campaign(
                uow,
                request,
                units=_units_below(uow, unit),
                actor="cli",
                now=now,
                targeting=s.targeting,
                config=s.config,
            )
        except ValueError as exc:
            raise _fail(str(exc)) from None
        audit_cli(
            uow, "change", at=now, object_type="campaign", object_id=str(campaign_id), object_unit_id=unit
        )
        found = uow.prevention.campaign(campaign_id)
        uow.commit()
    assert found is not None
    console.print(f"campaign {campaign_id}: {found.status.value}, audience {found.audience:,}")


def _command(campaign_id: int, command: str) -> None:
    from fanzha.prevention import service
    from fanzha.prevention.lifecycle import CampaignCommand, CampaignTransitionError

    now = datetime.now(UTC)
    with open_uow() as uow:
        try:
            found = service.command_campaign(uow, campaign_id, CampaignCommand(command), now=now)
        except service.NotFoundError:
            raise _fail(f"no campaign {campaign_id}") from None
        except CampaignTransitionError as exc:
            raise _fail(str(exc)) from None
        audit_cli(
            uow,
            "change",
            at=now,
            object_type="campaign",
            object_id=str(campaign_id),
            object_unit_id=found.unit_id,
        )
        uow.commit()
    console.print(f"campaign {campaign_id}: {found.status.value}")


@campaign.command("approve")
def approve(campaign_id: int) -> None:
    """Approve a planned campaign: the worker sends its SMS within the rate limit; its visits open."""
    _command(campaign_id, "approve")


@campaign.command("cancel")
def cancel(campaign_id: int) -> None:
    """Cancel a campaign: what is still pending is not sent; what was sent stays recorded."""
    _command(campaign_id, "cancel")


@campaign.command("list")
def list_campaigns(
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table")] = False,
) -> None:
    """Campaigns, newest first, with how many of their tips were sent, opted out, capped."""
    from fanzha.auth.model import SYSTEM
    from fanzha.cli.common import to_json
    from fanzha.prevention import queries

    with open_uow() as uow:
        views = queries.campaigns(uow.session, SYSTEM, setup().targeting)
    if as_json:
        console.print_json(json.dumps([to_json(v) for v in views], ensure_ascii=False, default=str))
        return
    table = Table(title="宣传活动 campaigns")
    for column in ("id", "单位 unit", "名称 title", "渠道", "状态", "受众", "明细 counts"):
        table.add_column(column)
    for v in views:
        counts = ", ".join(f"{k} {n:,}" for k, n in v.counts.items())
        table.add_row(
            str(v.campaign_id),
            v.unit_name,
            v.title,
            v.channel_label,
            v.status_label,
            f"{v.audience:,}",
            counts,
        )
    console.print(table)


@app.command("visits")
def visits() -> None:
    """Open community visits (campaign visit lists and special groups' light contacts), masked."""
    from fanzha.auth.model import SYSTEM
    from fanzha.prevention import queries

    with open_uow() as uow:
        items = queries.visits(uow.session, SYSTEM, setup().targeting)
        audit_cli(uow, "prevention.view", at=datetime.now(UTC), object_type="visit_list", fields=("masked",))
        uow.commit()
    table = Table(title="走访名单 visit list")
    for column in ("id", "来源", "单位", "人员", "电话", "地址", "宣传主题"):
        table.add_column(column)
    for i in items:
        table.add_row(
            str(i.reach_id), i.source_label, i.unit_name, i.person, i.phone, i.address, i.topic_label
        )
    console.print(table)


@app.command("visit-done")
def visit_done(
    reach_id: int,
    minutes: Annotated[float | None, typer.Option(help="officer minutes spent (default: configured)")] = None,
) -> None:
    """Record a visit as done: the person was seen and given the tip."""
    from fanzha.prevention import service

    now = datetime.now(UTC)
    with open_uow() as uow:
        try:
            service.complete_visit(
                uow, reach_id, actor="cli", now=now, config=setup().config, minutes=minutes
            )
        except service.NotFoundError:
            raise _fail(f"no visit {reach_id}") from None
        except service.PreventionError as exc:
            raise _fail(str(exc)) from None
        audit_cli(uow, "change", at=now, object_type="visit", object_id=str(reach_id))
        uow.commit()
    console.print(f"visit {reach_id}: done")


@app.command("opt-out")
def opt_out(
    phone: str,
    via: Annotated[str, typer.Option(help="how the citizen asked (counter, hotline, ...)")] = "cli",
) -> None:
    """A citizen asked for no more publicity SMS: none is sent to the number from now on."""
    from fanzha.prevention import service

    now = datetime.now(UTC)
    with open_uow() as uow:
        try:
            added = service.opt_out(uow, phone, via=via, now=now)
        except service.PreventionError as exc:
            raise _fail(str(exc)) from None
        audit_cli(uow, "change", at=now, object_type="opt_out")
        uow.commit()
    console.print("opted out" if added else "already opted out")


@app.command("sweep")
def sweep() -> None:
    """Run the special-groups sweep once (the worker runs it every second)."""
    from fanzha.prevention import service

    s = setup()
    with open_uow() as uow:
        staged = service.sweep_special_groups(
            uow, now=datetime.now(UTC), config=s.config, targeting=s.targeting
        )
        uow.commit()
    console.print(f"special groups: {staged} light contact(s) staged")


@app.command("topics")
def topics() -> None:
    """The targeting file: each topic's audience rules and standard tip."""
    s = setup()
    table = Table(title=f"宣传主题 targeting {s.targeting.version}")
    for column in ("topic", "名称", "目标人群 targets", "标准提示 tip"):
        table.add_column(column)
    for code, topic in s.targeting.topics.items():
        table.add_row(code, topic.label, "、".join(r.label for r in topic.targets), topic.tip)
    console.print(table)
