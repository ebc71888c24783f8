"""The evaluation's results as typed values: what `evaluate` computes and the report reads.

`results.json` is the serialization of `Evaluation` (`Evaluation.to_dict()`); the HTML report and the
terminal summary read these values, not loose dictionaries.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

VERDICTS = ("faster", "slower", "no-difference")


@dataclass(frozen=True, slots=True)
class Stat:
    """A mean with its 95% confidence interval (None when nothing was observed)."""

    mean: float | None
    ci95_low: float | None
    ci95_high: float | None
    n: int = 0

    @classmethod
    def of(cls, values: np.ndarray) -> Stat:
        finite = values[np.isfinite(values)]
        n = int(finite.size)
        if n == 0:
            return cls(None, None, None, 0)
        mean = float(finite.mean())
        half = 1.96 * float(finite.std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
        return cls(round(mean, 4), round(mean - half, 4), round(mean + half, 4), n)

    @classmethod
    def difference(cls, a: np.ndarray, b: np.ndarray) -> Stat:
        """mean(a) − mean(b) with a Welch 95% interval (the runs of a and b are independent samples)."""
        fa, fb = a[np.isfinite(a)], b[np.isfinite(b)]
        if fa.size < 2 or fb.size < 2:
            return cls(None, None, None, 0)
        diff = float(fa.mean() - fb.mean())
        half = 1.96 * math.sqrt(float(fa.var(ddof=1)) / fa.size + float(fb.var(ddof=1)) / fb.size)
        return cls(round(diff, 4), round(diff - half, 4), round(diff + half, 4), int(min(fa.size, fb.size)))

    def below_zero(self) -> bool:
        return self.ci95_high is not None and self.ci95_high < 0

    def above_zero(self) -> bool:
        return self.ci95_low is not None and self.ci95_low > 0


@dataclass(frozen=True, slots=True)
class ConstraintOutcome:
    """What one of the study's constraints does in a scenario for an arrangement, and what lifts it."""

    constraint: str
    raised: bool  # some order of the lawful variant raises it
    blocks: int  # orders it blocks without the reforms the arrangement presupposes
    lifted_by: tuple[str, ...]  # catalog reforms that lift it
    measures: tuple[str, ...]  # the study's measures behind those reforms (M1-M3)
    eased_by: tuple[str, ...] = ()
    remedy: str = "none"  # "reform" | "eased" | "political-decision" | "none"


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One main arrangement (its lawful variant) in one scenario, set against today."""

    scenario: str
    arch: str
    lawful: bool
    reforms: tuple[str, ...]
    metrics: dict[str, Stat]  # response_time, deadline_met, messages, refused, conflicts, findings
    executed_by_level: dict[str, float]
    hq_loss_penalty: Stat | None  # response time with the operational HQ lost minus without
    lost_headquarters: str | None
    difference: Stat | None  # response time minus today's (None for today itself)
    deadline_difference: Stat | None
    verdict: str | None  # faster | slower | no-difference (None for today itself)
    constraints: tuple[ConstraintOutcome, ...]


@dataclass(frozen=True, slots=True)
class ValidationRow:
    """A published timeline against the model's figure for the comparable quantity."""

    anchor: str
    name_en: str
    name_ja: str
    source: str
    published: str
    published_ja: str
    low: float | None
    high: float | None
    model: float | None
    model_label: str
    within: bool | None  # None: the model has no comparable quantity (said in the explanation)
    explanation_en: str
    explanation_ja: str


@dataclass(frozen=True, slots=True)
class SensitivityRow:
    """One switch or parameter moved to the ends of its range in one scenario, and what it does to the verdicts."""

    item: str
    kind: str  # "parameter" | "reform" | "switch"
    name_en: str
    name_ja: str
    low: float | str
    high: float | str
    diff_low: dict[str, float | None]  # arch -> response time minus today's, at the low end
    diff_high: dict[str, float | None]
    verdict_low: dict[str, str | None]
    verdict_high: dict[str, str | None]
    changes_verdict: bool
    relevant: bool = True  # False: the model never reads it in this scenario


@dataclass(frozen=True, slots=True)
class ScenarioSensitivity:
    scenario: str
    runs: int
    compared: tuple[str, ...]  # arrangements set against `baseline`
    baseline: str
    verdicts: dict[str, str | None]  # at the sensitivity's own run count
    diffs: dict[str, float | None]
    rows: tuple[SensitivityRow, ...]

    @property
    def changing(self) -> list[str]:
        return [r.item for r in self.rows if r.changes_verdict]


@dataclass
class Answer:
    """The answer table (lawful variants), the variants not lawful today, and the paragraph generated from them."""

    baseline: str
    main: list[str]
    rows: list[AnswerRow]
    not_lawful_today: list[AnswerRow]
    paragraph_en: str
    paragraph_ja: str
    rules: list[str] = field(default_factory=list)

    def paragraph(self, lang: str) -> str:
        return self.paragraph_ja if lang == "ja" else self.paragraph_en


def to_jsonable(value: Any) -> Any:
    """Dataclasses, tuples and numbers to plain JSON values (NaN to None)."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, np.floating | np.integer):
        return to_jsonable(value.item())
    return value
