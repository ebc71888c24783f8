"""Injects: control releases the scenario's injects (or writes its own), by hand or on the clock.

A scripted inject goes by default to the seated organizations of the nations whose sensors detect it;
when none of them is seated, control's release by hand falls back to the seated organizations of the
nations with forces in the arrangement (never a liaison officer's nation that has none), and the
clock waits. Only control sees the scenario's timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from ...model.scenario import Inject
from ..db import projection, queries
from ..db.rows import ExerciseRecord, MessageRecord
from . import catalog, clock
from .drafts import act_of, check_recipients, new_message, require_releasable
from .errors import conflict, invalid
from .exercises import CONTROL_ORG, Seated, require_control, store
from .messages import MAX_RECIPIENTS
from .releasability import Label, make_label


def release_inject(
    session: Session, who: Seated, inject_id: str | None, recipients: Sequence[str], subject: str | None, body: str,
    label: Label | None, scheduled: float | None = None,
) -> MessageRecord:
    """Control releases a scenario inject (by id) or writes one; defaults come from the scenario."""
    require_control(who)
    scripted = _scripted(who, inject_id) if inject_id else None
    if scripted is not None and scripted.id in queries.released_injects(session, who.exercise.id):
        raise conflict(f"inject {inject_id!r} has already been released")
    targets = check_recipients(who.arch, recipients or _default_recipients(session, who, scripted), MAX_RECIPIENTS)
    chosen = label or make_label("UNCLASSIFIED", sorted({who.arch.organizations[o].nation for o in targets}),
                                 who.arch.nations)
    require_releasable(who.arch, targets, chosen)
    title = subject or (scripted.name_en if scripted else "")
    if not title:
        raise invalid("subject: a written inject needs a subject")
    text = body or (_inject_text(scripted) if scripted else "")
    message = new_message(session, act_of(session, who, None, None), "inject", "delivered", CONTROL_ORG, targets,
                          chosen, title[:300], text, inject_id=inject_id)
    on_clock = {} if scheduled is None else {"scheduled_minute": scheduled, "by": "clock"}
    store(session, who, [projection.message_created("inject.released", message, inject=inject_id, **on_clock)])
    return message


def timeline(session: Session, who: Seated) -> list[dict[str, Any]]:
    """The scenario's injects in time order, each with whether (and as which message) it was released."""
    require_control(who)
    scenario = catalog.scenario_of(who.exercise.scenario)
    if scenario is None:
        return []
    released = queries.released_injects(session, who.exercise.id)
    return [
        {"id": i.id, "minute": i.time, "name_en": i.name_en, "name_ja": i.name_ja, "domain": i.domain,
         "place": i.place, "situation": i.situation, "nations": sorted({n for n, _ in i.detected_by}),
         "released_as": released.get(i.id)}
        for i in scenario.injects
    ]


def due(session: Session, exercise: ExerciseRecord) -> list[Inject]:
    """Scenario injects whose minute the running clock has reached and that nobody has released yet."""
    scenario = catalog.scenario_of(exercise.scenario)
    if scenario is None or exercise.clock_state != "running":
        return []
    now = clock.game_seconds(exercise)
    ready = [i for i in scenario.injects if i.time * 60.0 <= now]
    if not ready:
        return []
    released = queries.released_injects(session, exercise.id)
    return [i for i in ready if i.id not in released]


def waiting(session: Session, exercise: ExerciseRecord) -> list[Inject]:
    """`due` injects that someone of a detecting nation is seated to receive (what the clock releases)."""
    ready = due(session, exercise)
    if not ready:
        return []
    nations = {s.nation for s, _ in queries.seats(session, exercise.id) if not s.is_control}
    return [i for i in ready if nations & {n for n, _ in i.detected_by}]


def release_due(session: Session, who: Seated) -> list[MessageRecord]:
    """Release, as the clock, each due inject to the seated organizations of the nations that detect it
    (one that nobody of those nations is seated to receive waits)."""
    return [release_inject(session, who, inject.id, _default_recipients(session, who, inject, fall_back=False), None,
                           "", None, scheduled=inject.time)
            for inject in waiting(session, who.exercise)]


def _scripted(who: Seated, inject_id: str) -> Inject:
    scenario = who.scenario
    if scenario is None:
        raise invalid("this exercise has no scenario; write the inject instead")
    found = catalog.injects_by_id(scenario.id).get(inject_id)
    if found is None:
        raise invalid(f"inject {inject_id!r} not in scenario {scenario.id}; choose from: "
                      f"{', '.join(i.id for i in scenario.injects)}")
    return found


def _default_recipients(session: Session, who: Seated, scripted: Inject | None, fall_back: bool = True) -> list[str]:
    """Seated organizations of the nations whose sensors detect the inject. When none of them is seated
    (or control writes the inject) and `fall_back`: the seated organizations of the nations with forces
    in the arrangement (never a liaison officer's nation that has none, e.g. TWN or UN)."""
    seated = [s for s, _ in queries.seats(session, who.exercise.id) if not s.is_control]
    detecting = {n for n, _ in scripted.detected_by} if scripted else set()
    orgs = [s.organization for s in seated if s.nation in detecting]
    if not orgs and fall_back:
        forces = {o.nation for o in who.arch.military()}
        orgs = [s.organization for s in seated if s.nation in forces]
    if not orgs:
        raise invalid("recipients: nobody of the nations that detect this inject is seated; name the recipients")
    return list(dict.fromkeys(orgs))


def _inject_text(inject: Inject) -> str:
    responses = "; ".join(f"{r.nation} {r.component}: {r.action} within {r.deadline:g} min" for r in inject.responses)
    return f"{inject.name_en} ({inject.place}, {inject.domain}). Expected responses: {responses}."
