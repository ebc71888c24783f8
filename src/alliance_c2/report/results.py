"""The evaluation's results as typed values: what `evaluate` computes and the report reads.

`results.json` is the serialization of `Evaluation` (`Evaluation.to_dict()`); the HTML report and the
terminal summary read these values, not loose dictionaries.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..analysis import OverviewRow
from ..labels import pick
from ..sim.metrics import Summary

if TYPE_CHECKING:
    import pandas as pd

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
    criterion: str | None = None  # what the verdict rests on: time | deadline-share (None for today itself)
    runs: int = 0  # the runs the case made (a scenario whose verdicts settle early stops early)
    # approval -> {nation, law, orders, until_transfer}: the steps its executed orders wait for (SimulationResult.waits)
    waits: dict[str, dict[str, Any]] = field(default_factory=dict)
    war_powers: list[dict[str, Any]] = field(default_factory=list)  # the law's limits in time, against the scenario
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # rules behind C6 its executed orders meet


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
    # The answer in one sentence per main arrangement (the proposal's first) and the rule it follows.
    bottom_line_en: str = ""
    bottom_line_ja: str = ""
    bottom_line_rule_en: str = ""
    bottom_line_rule_ja: str = ""
    rules_ja: list[str] = field(default_factory=list)

    def paragraph(self, lang: str) -> str:
        """The paragraph in `lang`."""
        return pick(lang, self.paragraph_en, self.paragraph_ja)

    def bottom_line(self, lang: str) -> str:
        """The one-sentence answer in `lang`."""
        return pick(lang, self.bottom_line_en, self.bottom_line_ja)

    def bottom_line_rule(self, lang: str) -> str:
        """The rule the one-sentence answer follows, in `lang`."""
        return pick(lang, self.bottom_line_rule_en, self.bottom_line_rule_ja)

    def rules_in(self, lang: str) -> list[str]:
        """The rules of the verdict and the words, in `lang`."""
        return self.rules_ja if lang == "ja" and self.rules_ja else self.rules


@dataclass(frozen=True)
class Meta:
    """What was evaluated, how, and in which language the report is written."""

    version: str
    runs: int
    seed: int
    lang: str
    arrangements: list[str]
    scenarios: list[str]
    baseline: str
    main: list[str]  # set against the baseline in the answer
    context: list[str]  # shown for context beside them
    study_scenarios: list[str]
    sensitivity_runs: int
    law_as_of: dict[str, str | None]  # arrangement -> the date whose law applies
    seconds: float = 0.0
    looks: list[int] = field(default_factory=list)  # the run counts at which a scenario may stop
    executor: str = "local"  # where the runs ran
    workers: int = 1


@dataclass(frozen=True)
class LegalAudit:
    """The legal audit of every arrangement: findings per constraint, with each reform and with all of them."""

    constraints: list[str]
    reforms: list[str]
    matrix: dict[str, dict[str, int]]  # arch -> constraint -> findings
    with_reform: dict[str, dict[str, dict[str, int]]]  # arch -> reform (or "all") -> constraint -> findings
    cleared_by: dict[str, dict[str, list[str]]]  # arch -> constraint -> reforms that clear it
    # arch -> the rules behind C6 its lawful variant meets (AuditReport.c6): rule, law, kind, orders, what lifts it
    c6: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseResult:
    """One arrangement in one scenario and variant: every metric's summary and how its orders ran."""

    metrics: dict[str, Summary]  # metric -> n, mean, p50, p90, ci95_low, ci95_high
    levels: dict[str, str]  # inject -> level
    executed_by_level: dict[str, Any]
    order_paths: dict[str, float]  # approvals, the other nation's approvals and hops per executed order
    reforms: list[str]
    law_as_of: str | None
    lost: str | None = None  # the headquarters lost (hq-loss variant only)

    def mean(self, metric: str) -> float | None:
        """The metric's mean (None when nothing was observed)."""
        value = self.metrics[metric]["mean"]
        return None if value is None else float(value)

    def to_dict(self) -> dict[str, Any]:
        """As results.json keeps it: the metrics' summaries at the top level beside the rest."""
        data: dict[str, Any] = {**self.metrics, "levels": self.levels, "executed_by_level": self.executed_by_level,
                                "order_paths": self.order_paths, "reforms": self.reforms, "law_as_of": self.law_as_of}
        if self.lost is not None:
            data["lost"] = self.lost
        return data


@dataclass(frozen=True)
class SimulationSuite:
    """Every scenario × variant × arrangement the report shows."""

    scenarios: list[str]
    names: dict[str, tuple[str, str]]  # scenario -> (English, Japanese) name
    fault_minutes: float
    cases: dict[str, dict[str, dict[str, CaseResult]]]  # scenario -> variant -> arch -> result
    reforms_presupposed: dict[str, list[str]]

    def to_dict(self) -> dict[str, Any]:
        """As results.json keeps it."""
        return {"scenarios": self.scenarios, "names": self.names, "fault_minutes": self.fault_minutes,
                "cases": {s: {v: {a: c.to_dict() for a, c in archs.items()} for v, archs in variants.items()}
                          for s, variants in self.cases.items()},
                "reforms_presupposed": self.reforms_presupposed}


@dataclass(frozen=True)
class Surprise:
    """A result a reader would not expect, with the model's mechanism behind it."""

    en: str
    ja: str

    def text(self, lang: str) -> str:
        """The text in `lang`."""
        return pick(lang, self.en, self.ja)


@dataclass(frozen=True)
class Assumption:
    """An assumption the evaluation rests on (an arrangement's element or a parameter), as the report lists it."""

    subject: str
    en: str
    ja: str


@dataclass
class Evaluation:
    """Everything `evaluate` found. `to_dict()` is results.json; `figures` every number the report prints, by key."""

    out_dir: Path
    meta: Meta
    structure: list[OverviewRow]
    legal: LegalAudit
    simulation: SimulationSuite
    answer: Answer
    validation: list[ValidationRow]
    sensitivity: list[ScenarioSensitivity]
    surprises: list[Surprise]
    guidelines: dict[str, Any]  # the Guidelines diff the report shows (model.guidelines.diff_guidelines)
    assumptions: list[Assumption]
    sources: list[str]
    figures: dict[str, Any] = field(default_factory=dict)
    write_pdf: bool = True  # print report.pdf beside report.html (headless Chromium)
    pdf_problem: str | None = None  # why report.pdf was not written, if it was not

    @property
    def lang(self) -> str:
        """The report's language."""
        return self.meta.lang

    @property
    def report_path(self) -> Path:
        return self.out_dir / "report.html"

    @property
    def pdf_path(self) -> Path:
        return self.out_dir / "report.pdf"

    def to_dict(self) -> dict[str, Any]:
        """results.json."""
        return {
            "meta": to_jsonable(self.meta),
            "structure": {"rows": [r.to_dict() for r in self.structure]},
            "legal": to_jsonable(self.legal),
            "simulation": to_jsonable(self.simulation.to_dict()),
            "answer": answer_dict(self.answer),
            "validation": [to_jsonable(v) for v in self.validation],
            "sensitivity": [{**to_jsonable(s), "changing": s.changing} for s in self.sensitivity],
            "surprises": [to_jsonable(x) for x in self.surprises],
            "guidelines": self.guidelines,
            "assumptions": [to_jsonable(a) for a in self.assumptions],
            "sources": self.sources,
            "figures": self.figures,
        }

    def _repr_html_(self) -> str:
        """The evaluation as a table in Jupyter: the one-sentence answer, then each verdict with its interval."""
        # Imported on use: only a notebook displays results as HTML.
        from ..model.display import html_table

        rows = []
        for r in self.answer.rows:
            if r.verdict is None:
                continue
            d = r.difference
            interval = "—" if d is None or d.mean is None else f"{d.mean:+.1f} [{d.ci95_low:+.1f}, {d.ci95_high:+.1f}]"
            rows.append((r.scenario, r.arch, r.verdict, r.criterion or "", interval, r.runs))
        return (f"<p><b>{_esc(self.answer.bottom_line(self.lang))}</b></p>"
                + html_table(f"Verdicts against {self.answer.baseline}",
                             ("scenario", "arrangement", "verdict", "criterion", "response time − today, min", "runs"),
                             rows))

    def to_frame(self) -> pd.DataFrame:
        """Every figure the report prints, one row each: the same `key, value` rows as results.csv."""
        # Imported on use: pandas takes longer to import than the report takes to write.
        import pandas as pd

        return pd.DataFrame({"key": list(self.figures), "value": list(self.figures.values())})


def _esc(text: str) -> str:
    from html import escape

    return escape(text)


def answer_dict(answer: Answer) -> dict[str, Any]:
    """The `answer` key of results.json (each metric as mean, [low, high] and n)."""

    def row(r: AnswerRow) -> dict[str, Any]:
        d: dict[str, Any] = to_jsonable(r)
        d["metrics"] = {k: {"mean": v.mean, "ci95": [v.ci95_low, v.ci95_high], "n": v.n} for k, v in r.metrics.items()}
        return d

    return {
        "baseline": answer.baseline,
        "main": answer.main,
        "rows": [row(r) for r in answer.rows],
        "not_lawful_today": [row(r) for r in answer.not_lawful_today],
        "bottom_line_en": answer.bottom_line_en,
        "bottom_line_ja": answer.bottom_line_ja,
        "bottom_line_rule_en": answer.bottom_line_rule_en,
        "bottom_line_rule_ja": answer.bottom_line_rule_ja,
        "paragraph_en": answer.paragraph_en,
        "paragraph_ja": answer.paragraph_ja,
        "rules": answer.rules,
        "rules_ja": answer.rules_ja,
    }


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
