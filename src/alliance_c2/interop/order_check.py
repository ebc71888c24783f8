"""A partner's C2SIM order checked against the law before it is executed.

Each task's performing entity is matched to an organization of the arrangement (by its kept
`c2sim_uuid` or the stable UUID of our exports, else by the name the order gives it) and its verb
to a catalog action (catalog/c2sim-tasks.yaml); the law engine then gives each mapped task its
verdict. A task that cannot be mapped is reported with the reason and counts as not allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..law import LawCatalog, Verdict, check
from ..model import Architecture, ordinary_situation
from .c2sim import organization_uuid
from .order_read import C2simOrder, C2simTask
from .task_verbs import TaskVerbs, task_verbs


@dataclass(frozen=True)
class TaskCheck:
    """One task: what it was mapped to and the verdict, or why it could not be checked."""

    task: C2simTask
    unit: str | None
    action: str | None
    verdict: Verdict | None
    problem_en: str | None = None
    problem_ja: str | None = None

    @property
    def status(self) -> str:
        """`allowed`, `not-allowed`, or `unmapped` (no verdict: unit or verb not mapped)."""
        if self.verdict is None:
            return "unmapped"
        return "allowed" if self.verdict.allowed else "not-allowed"

    def problem(self, lang: str = "en") -> str | None:
        return self.problem_ja if lang == "ja" else self.problem_en

    def to_dict(self) -> dict[str, Any]:
        return {
            "line": self.task.line,
            "task_uuid": self.task.uuid,
            "task_name": self.task.name,
            "verb": self.task.verb,
            "performing_entity": self.task.performer,
            "unit": self.unit,
            "action": self.action,
            "status": self.status,
            "problem_en": self.problem_en,
            "problem_ja": self.problem_ja,
            "verdict": self.verdict.to_dict() if self.verdict else None,
        }


@dataclass(frozen=True)
class OrderCheck:
    """Every task of one order, checked in one arrangement and situation."""

    order: C2simOrder
    architecture: str
    situation: str
    ordered_by: str | None
    reforms: tuple[str, ...]
    tasks: tuple[TaskCheck, ...]

    @property
    def all_allowed(self) -> bool:
        """True when every task mapped and the law allows it (the CLI's exit code 0)."""
        return all(t.status == "allowed" for t in self.tasks)

    def to_dict(self) -> dict[str, Any]:
        counts = {s: sum(1 for t in self.tasks if t.status == s) for s in ("allowed", "not-allowed", "unmapped")}
        return {
            "file": self.order.path,
            "edition": self.order.edition,
            "order_id": self.order.order_id,
            "architecture": self.architecture,
            "situation": self.situation,
            "sender": self.order.sender,
            "ordered_by": self.ordered_by,
            "reforms": list(self.reforms),
            "all_allowed": self.all_allowed,
            "counts": counts,
            "tasks": [t.to_dict() for t in self.tasks],
        }


_INDEXES: dict[str, tuple[Architecture, _Index]] = {}


def check_order(
    arch: Architecture,
    order: C2simOrder,
    situation: str | None = None,
    reforms: Iterable[str] = (),
    *,
    catalog: LawCatalog | None = None,
    verbs: TaskVerbs | None = None,
) -> OrderCheck:
    """Map every task of `order` onto `arch` and ask the law engine about each.

    `situation` defaults to the catalog's ordinary situation (none recognized: `ordinary:` in situations.yaml).
    The order's sender, when it is an organization of the arrangement, is the one who orders;
    otherwise each unit's own national chain gives the order. Unknown situation or reform ids
    raise UnknownIdError (as `law.check` does).
    """
    situation = situation or ordinary_situation()
    table = verbs or task_verbs()
    index = _Index(arch)
    sender = index.find(order.sender, None)
    active = tuple(reforms)
    checked = tuple(_task(arch, index, table, t, situation, sender, active, catalog) for t in order.tasks)
    return OrderCheck(order, arch.id, situation, sender, active, checked)


def organization_for(arch: Architecture, reference: str) -> str | None:
    """The organization of `arch` a partner's reference names: its id, its C2SIM UUID (kept from an import or
    the stable one this tool exports) or its name (English or Japanese); None when none does."""
    if reference in arch.organizations:
        return reference
    return _index(arch).find(reference.strip().lower(), reference)


def _index(arch: Architecture) -> _Index:
    found = _INDEXES.get(arch.id)
    if found is None or found[0] is not arch:
        found = _INDEXES[arch.id] = (arch, _Index(arch))
    return found[1]


class _Index:
    """Organization ids by UUID (kept or stable) and by name (English, Japanese or id)."""

    def __init__(self, arch: Architecture) -> None:
        self.by_uuid: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for org in arch.organizations.values():
            self.by_uuid[organization_uuid(arch.id, org.id)] = org.id
            for name in (org.name_en, org.name_ja, org.id):
                if name:
                    self.by_name.setdefault(name.casefold(), org.id)
        # A kept UUID wins over a stable one that happens to be equal.
        self.by_uuid.update({o.c2sim_uuid: o.id for o in arch.organizations.values() if o.c2sim_uuid})

    def find(self, uuid: str, name: str | None) -> str | None:
        found = self.by_uuid.get(uuid)
        if found is None and name:
            found = self.by_name.get(name.casefold())
        return found


@dataclass(frozen=True)
class MappedTask:
    """A task read onto an arrangement: its unit and action, or (None) why it cannot be (in both languages)."""

    task: C2simTask
    unit: str | None
    action: str | None
    problem_en: str | None = None
    problem_ja: str | None = None


def map_task(arch: Architecture, task: C2simTask, verbs: TaskVerbs | None = None) -> MappedTask:
    """The organization that performs `task` and the catalog action its verb stands for, as `order check`
    reads them; a problem when the performer is unknown or not a military unit or the verb has no action."""
    return _mapped(arch, _index(arch), verbs or task_verbs(), task)


def _mapped(arch: Architecture, index: _Index, table: TaskVerbs, task: C2simTask) -> MappedTask:
    unit = index.find(task.performer, task.performer_name)
    action = table.action_for(task.verb)
    if unit is None:
        shown = f"{task.performer} ({task.performer_name})" if task.performer_name else task.performer
        return MappedTask(task, None, action, f"performing entity {shown} is not an organization of {arch.id}",
                          f"実行主体 {shown} は{arch.id}の組織にない")
    org = arch.organizations[unit]
    if not org.is_military:
        return MappedTask(task, unit, action, f"{unit} ({org.kind}) is not a military unit and cannot perform a task",
                          f"{unit}（{org.kind}）は部隊ではなく、任務を実行できない")
    if action is None:
        return MappedTask(
            task, unit, None,
            f"task verb {task.verb or '(none)'} has no action in catalog/c2sim-tasks.yaml: not checked",
            f"任務コード {task.verb or '（なし）'} に対応する行動が catalog/c2sim-tasks.yaml にない：未審査",
        )
    return MappedTask(task, unit, action)


def _task(
    arch: Architecture,
    index: _Index,
    table: TaskVerbs,
    task: C2simTask,
    situation: str,
    sender: str | None,
    reforms: tuple[str, ...],
    catalog: LawCatalog | None,
) -> TaskCheck:
    mapped = _mapped(arch, index, table, task)
    if mapped.unit is None or mapped.action is None or mapped.problem_en:
        return TaskCheck(task, mapped.unit, mapped.action, None, mapped.problem_en, mapped.problem_ja)
    ordered_by = sender if sender != mapped.unit else None
    verdict = check(arch, situation, mapped.action, mapped.unit, ordered_by, reforms, catalog=catalog)
    return TaskCheck(task, mapped.unit, mapped.action, verdict)
