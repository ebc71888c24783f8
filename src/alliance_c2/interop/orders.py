"""C2SIM order messages from simple order records (for the exercise, the simulation, `order export`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lxml import etree

from ..model import Architecture
from .c2sim import SENDING_SYSTEM, Writer, c2sim_datetime, entity_uuid, finish, message_root
from .codes import stable_uuid
from .schema import DEFAULT_SCHEMA, schema_version
from .task_verbs import task_verbs


@dataclass(frozen=True)
class OrderRecord:
    """One order: `issuer` orders `unit` to do `action` (a workbench action id) from `start`.

    `start` is a wall-clock time (datetime; naive means UTC) or a delay from the simulation start
    (timedelta).
    """

    issuer: str
    unit: str
    action: str
    start: datetime | timedelta
    name: str | None = None


def task_action_code(action: str) -> str:
    """The C2SIM TaskActionCode for a workbench action id (catalog/c2sim-tasks.yaml); UnknownIdError otherwise."""
    return task_verbs().code_for(action)


def order_message(
    arch: Architecture,
    orders: Sequence[OrderRecord],
    *,
    schema: str = DEFAULT_SCHEMA,
    issued: datetime | None = None,
    sending_system: str = SENDING_SYSTEM,
    validate: bool = True,
) -> bytes:
    """A C2SIM order message: one OrderBody with a task per record, all from one issuer.

    Unit UUIDs are those of the initialization export, so a C2SIM server that received
    `export_c2sim(arch)` knows every performing entity. Raises ValueError for an empty list,
    mixed issuers or a performer that is not military, UnknownIdError for an unknown organization
    or an action with no task code.
    """
    if not orders:
        raise ValueError("an order message needs at least one order")
    issuers = {o.issuer for o in orders}
    if len(issuers) > 1:
        raise ValueError(f"one order message has one issuer; got {', '.join(sorted(issuers))}")
    for record in orders:
        arch.organization(record.issuer)
        performer = arch.organization(record.unit)
        if not performer.is_military:
            raise ValueError(
                f"{record.unit} ({performer.name_en or record.unit}, {performer.kind}) cannot perform a task: "
                "a C2SIM task needs a military performing unit (headquarters, component command or unit)"
            )
    codes = [task_action_code(o.action) for o in orders]
    issued_at = issued or datetime.now(UTC).replace(microsecond=0)
    order_id = stable_uuid(arch.id, "order", c2sim_datetime(issued_at), *(_record_key(o) for o in orders))
    version = schema_version(schema)
    writer = Writer(version.namespace)
    root, body = message_root(
        writer,
        version,
        stable_uuid(arch.id, "conversation"),
        stable_uuid(order_id, "message"),
        sending_system,
        None,
    )
    order = writer.path(body, "DomainMessageBody", "OrderBody")
    writer.sub(order, "FromSender", entity_uuid(arch, orders[0].issuer))
    receivers = list(dict.fromkeys(o.unit for o in orders))
    # 1.1 and 1.0.0 allow exactly one receiver: the first unit (every task still names its performer).
    for unit in receivers[:1] if version.single_receiver else receivers:
        writer.sub(order, "ToReceiver", entity_uuid(arch, unit))
    writer.sub(writer.sub(order, "IssuedTime"), "IsoDateTime", c2sim_datetime(issued_at))
    writer.sub(order, "OrderID", order_id)
    for index, (record, code) in enumerate(zip(orders, codes, strict=True)):
        _task(writer, order, arch, record, code, stable_uuid(order_id, "task", str(index)))
    return finish(root, schema, str(arch.path or arch.id), validate)


def _record_key(record: OrderRecord) -> str:
    return "|".join((record.issuer, record.unit, record.action, str(record.start)))


def _task(
    writer: Writer, parent: etree._Element, arch: Architecture, record: OrderRecord, code: str, task_id: str
) -> None:
    task = writer.path(parent, "Task", "ManeuverWarfareTask")
    writer.sub(task, "Name", record.name or f"{record.action} {record.unit}")
    writer.sub(task, "UUID", task_id)
    writer.sub(task, "PerformingEntity", entity_uuid(arch, record.unit))
    start = writer.sub(task, "StartTime")
    if isinstance(record.start, timedelta):
        delay = writer.path(start, "SimulationTime", "DelayTimeAmount")
        writer.sub(delay, "IsoTimeDuration", iso_duration(record.start))
    else:
        writer.sub(writer.sub(start, "DateTime"), "IsoDateTime", c2sim_datetime(record.start))
    writer.sub(task, "TaskActionCode", code)


def iso_duration(delay: timedelta) -> str:
    """A delay in C2SIM's fixed form P00Y00M00DT00H00M00S (days up to 99)."""
    total = int(delay.total_seconds())
    if total < 0 or total >= 100 * 86400:
        raise ValueError(f"delay {delay} is outside what C2SIM can write (0 to 99 days)")
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"P00Y00M{days:02d}DT{hours:02d}H{minutes:02d}M{seconds:02d}S"
