"""The compiled model: plain, frozen routes and approvals the event loop plays, with no law left to ask.

`compiler.compile_model` builds these once per (arrangement, scenario, parameters, faults, reforms, date);
`process.run_once` replays them with one random stream per run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model.scenario import Inject

Hop = tuple[int, int, float, float]  # (from org, to org, delay median, processing median at `to`)


@dataclass(frozen=True, slots=True)
class FaultEvent:
    """An organization lost (`target` an org id) or a link degraded (`target` "A~B") at `time`."""

    target: str
    time: float
    effect: str = "lost"  # "lost" | "degraded" | "link"
    factor: float = 1.0


@dataclass(frozen=True, slots=True)
class Step:
    """One approval an order waits for.

    `shared` steps are decided once per (decision chain, situation) and every order that needs them waits for the
    same decision (a situation's recognition, the defense operation order, the President's OPCON decision); the
    others are per order. A decision chain is the legal order that asks for the step (a nation's law, a treaty).
    """

    approval: str
    nation: str  # whose authority gives it
    holder: int  # -1: outside the arrangement (e.g. a governor's request): a pure delay
    median: float
    shared: bool
    route: tuple[Hop, ...]  # from the previous position to the holder
    chain: str = ""


@dataclass(frozen=True, slots=True)
class CompiledResponse:
    """One order of an inject: who issues it, the approvals it waits for, and the level it lawfully runs under."""

    index: int
    order_id: str
    action: str
    nation: str
    unit: int  # -1: no unit of that nation and component in the arrangement
    issuer: int  # the organization that gives the order (the unit itself when a standing order applies)
    detection: float
    report: tuple[Hop, ...]
    steps: tuple[Step, ...]
    order: tuple[Hop, ...]
    refused: int  # orders the law refused on the way (0, 1 or 2)
    refusals: tuple[str, ...]  # the law engine's reasons, for the trace
    executed: bool
    level: str  # the interoperability level of the chain the order lawfully ran through
    findings: frozenset[str]
    standing: bool = False  # the scenario's standing orders cover the action (engagements planned in advance)
    blocked: tuple[str, ...] = ()  # the study's constraints that blocked this order on the way (C4, C2, ...)
    # The same order through the unit's own chain, given while control has not yet passed (the decision `transfer`,
    # (chain, approval), not taken when the inject begins).
    until_transfer: CompiledResponse | None = None
    transfer: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class CompiledInject:
    inject: Inject
    situation: str
    level: str  # the level the nations synchronize at: the lowest among its executed orders
    sync_org: int  # the body that synchronizes at that level; -1 for none
    responses: tuple[CompiledResponse, ...]
    findings: frozenset[str]
    # Target nomination before the strike orders: (nominating organization, median minutes); the
    # organization is -1 when each nation nominates at its own issuing headquarters.
    targeting: tuple[int, float] | None
    # Who synchronizes if `sync_org` is lost before it does: the level and body of the arrangement without it.
    fallback: tuple[str, int]
    # The level and body that synchronize when an order ran through its own chain before control passed.
    national_sync: tuple[str, int] = ("", -1)


@dataclass(frozen=True, slots=True)
class CompiledRecognition:
    """A situation's recognition by one nation: its shared steps in order, started at `time` if given."""

    situation: str
    nation: str
    time: float | None  # None: when the first order needing it asks
    steps: tuple[tuple[str, int, float], ...]  # (approval, holder, median)
    chain: str = ""  # the legal order whose decisions these are (signals are keyed by it)


@dataclass
class CompiledModel:
    arch_id: str
    scenario_id: str
    law_as_of: str
    orgs: list[str]
    kinds: list[str]
    capacities: list[int]
    injects: list[CompiledInject]
    recognitions: list[CompiledRecognition]
    faults: list[tuple[float, int, str, float, int]]  # (time, org or link a, effect, factor, link b)
    successor: list[int]
    params: dict[str, float]
    levels: dict[str, str] = field(default_factory=dict)
    synchronization: dict[str, str] = field(default_factory=dict)  # level -> mechanism (sim-parameters.yaml)
    unsynchronized: str = ""  # the level whose conflict risk applies when nothing synchronizes (the lowest)

    def order_paths(self) -> dict[str, float]:
        """What an executed order carries on its way, averaged over the scenario's executed orders: approvals,
        approvals held by the other nation, and hops (report, detours to approval holders, order).

        This is the mechanism behind most differences in speed between arrangements: an arrangement whose
        orders carry more approvals or hops is slower whatever its level of integration.
        """
        done = [r for ci in self.injects for r in ci.responses if r.executed]
        if not done:
            return {"orders": 0, "approvals_per_order": 0.0, "foreign_approvals_per_order": 0.0,
                    "hops_per_order": 0.0}
        n = len(done)
        return {
            "orders": n,
            "approvals_per_order": round(sum(len(r.steps) for r in done) / n, 3),
            "foreign_approvals_per_order": round(
                sum(1 for r in done for st in r.steps if st.nation != r.nation) / n, 3),
            "hops_per_order": round(
                sum(len(r.report) + len(r.order) + sum(len(st.route) for st in r.steps) for r in done) / n, 3),
        }
