"""The answer: each main arrangement's lawful variant set against today, a verdict per scenario, and a paragraph.

The rules are fixed and documented (docs/answer.md), so every word of the paragraph follows from the table:

- An arrangement's *lawful variant* switches on the reforms it presupposes (`presupposes_reforms:`); without
  them it is "not lawful today" and never enters the table or the paragraph.
- Verdict against today, per scenario, from the per-run response times and deadline shares (Welch 95% intervals
  of the differences): `slower` if the response time is longer or the deadline share lower at 95%; `faster` if
  the response time is shorter at 95% and the deadline share not lower; otherwise `no-difference`.
- A constraint *blocks* in a scenario when the authority engine refuses an order for it in the variant without
  reforms; it is *raised* when an order of the lawful variant draws it. Its remedy is a catalog reform that
  lifts it (and the study's measure behind it), one that eases it, or "a political decision the study does
  not specify".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from ..law import LawCatalog
from ..sim import METRICS, SimulationResult
from .results import Answer, AnswerRow, ConstraintOutcome, Stat

# The rules the report prints under the table (plain text, both languages; docs/answer.md says the same).
RULES_EN = (
    "An arrangement's lawful variant switches on the reforms it presupposes (presupposes_reforms in its file); without "
    "them it is \"not lawful today\" and never enters the table, the paragraph or the bottom line.",
    "Verdict against today, per scenario, from the per-run response times and deadline shares (Welch 95% intervals of "
    "the differences): \"slower\" if the response time is longer at 95% (criterion: time) or the share of responses "
    "within their deadline is lower at 95% (criterion: deadline share; the paragraph says \"meets fewer deadlines\"); "
    "otherwise \"faster\" if the response time is shorter at 95% (criterion: time); otherwise \"no difference\".",
    "A constraint blocks in a scenario when the authority engine refuses an order for it in the variant without the "
    "reforms; it is raised when an order of the lawful variant draws it. Its remedy is a catalog reform that lifts it "
    "(and the study's measure behind it), one that eases it, or a political decision the study does not specify.",
    "Runs: each case starts with the runs of the first look; a scenario stops there when every verdict in it is "
    "settled at 99.9% (each interval of a difference clear of zero, or the two samples identical), else it runs on "
    "to the next look and at most to the runs asked for (Haybittle-Peto); the table shows each case's runs.",
)
RULES_JA = (
    "体制の「適法な形」は、その体制が前提とする法整備（ファイルの presupposes_reforms）を有効にしたもの。法整備がなければ"
    "「現行法では違法」とし、表・文章・結論の一文には用いない。",
    "現行との判定はシナリオごとに、試行ごとの応答時間と期限内対処率から（差のWelch 95%区間）：応答時間が95%で長い"
    "（基準：時間）か、期限内に対処できる割合が95%で低い（基準：期限内対処率。文章では「期限内に対処できる割合が低い」）"
    "なら「遅い」。そうでなく応答時間が95%で短ければ「速い」（基準：時間）。それ以外は「差なし」。",
    "制約が「阻止」するのは、法整備のない形で法判定エンジンがその制約により命令を認めない場合。適法な形の命令が該当する"
    "場合は「該当」。解消策は、制約を解消するカタログ上の改革（と検討の方策）、緩和する改革、又は検討が具体化していない"
    "政治的判断。",
    "試行回数：各条件はまず最初の確認点の回数を試行する。あるシナリオのすべての判定が99.9%で確定（差の区間がすべて"
    "ゼロを含まないか、二つの標本が同一）すればそこで止め、そうでなければ次の確認点、最大で指定の回数まで続ける"
    "（Haybittle-Peto法）。表は条件ごとの試行回数を示す。",
)

ANSWER_METRICS = ("response_time", "deadline_met", "messages", "refused", "conflicts", "findings")


def per_run(result: SimulationResult, arch: str, metric: str) -> np.ndarray:
    """The whole-scenario value of `metric` in every run."""
    return result.data[arch][:, -1, METRICS.index(metric)]


def verdict(candidate: SimulationResult, cand_arch: str, today: SimulationResult, today_arch: str) -> tuple[str, Stat, Stat]:
    """faster / slower / no-difference against today, with the two differences it rests on."""
    diff = Stat.difference(per_run(candidate, cand_arch, "response_time"), per_run(today, today_arch, "response_time"))
    share = Stat.difference(per_run(candidate, cand_arch, "deadline_met"), per_run(today, today_arch, "deadline_met"))
    if diff.above_zero() or share.below_zero():
        return "slower", diff, share
    if diff.below_zero():
        return "faster", diff, share
    return "no-difference", diff, share


def constraint_outcomes(
    law: LawCatalog, lawful: SimulationResult, arch: str, unlawful: SimulationResult | None
) -> tuple[ConstraintOutcome, ...]:
    raised = {c for found in lawful.findings[arch].values() for c in found}
    blocks: Counter[str] = Counter()
    source = unlawful if unlawful is not None else lawful
    for found in source.blocked.get(arch, {}).values():
        blocks.update(found)
    out = []
    for cid in law.constraints:
        lifted = law.reforms_for(cid, "lifts")
        eased = law.reforms_for(cid, "eases")
        measures = tuple(dict.fromkeys(m for r in (*lifted, *eased) if (m := law.reforms[r].measure)))
        remedy = "reform" if lifted else "eased" if eased else "political-decision"
        if cid not in raised and not blocks[cid]:
            remedy = "none"
        out.append(ConstraintOutcome(cid, cid in raised, blocks[cid], lifted, measures, eased, remedy))
    return tuple(out)


def answer_rows(
    scenario: str,
    baseline: str,
    main: list[str],
    lawful: Mapping[str, SimulationResult],
    unlawful: Mapping[str, SimulationResult],
    hq_loss: Mapping[str, tuple[str, SimulationResult]],
    reforms: Mapping[str, tuple[str, ...]],
    law: LawCatalog,
) -> tuple[list[AnswerRow], list[AnswerRow]]:
    """The rows of one scenario: lawful variants of the main arrangements, then those not lawful today."""
    today = lawful[baseline]
    rows, not_lawful = [], []
    for arch in main:
        result = lawful[arch]
        rows.append(_row(scenario, arch, True, reforms[arch], result, arch != baseline and today, baseline,
                         hq_loss.get(arch), constraint_outcomes(law, result, arch, unlawful.get(arch))))
        if arch in unlawful:
            bad = unlawful[arch]
            not_lawful.append(_row(scenario, arch, False, (), bad, today, baseline, None,
                                   constraint_outcomes(law, bad, arch, bad)))
    return rows, not_lawful


def _row(scenario: str, arch: str, lawful: bool, reforms: tuple[str, ...], result: SimulationResult,
         today: SimulationResult | bool, baseline: str, lost: tuple[str, SimulationResult] | None,
         constraints: tuple[ConstraintOutcome, ...]) -> AnswerRow:
    metrics = {m: Stat.of(per_run(result, arch, m)) for m in ANSWER_METRICS}
    by_level = {k: v["mean"] for k, v in result.executed_by_level(arch).items()}
    penalty, lost_hq = None, None
    if lost is not None:
        lost_hq, lost_result = lost
        penalty = Stat.difference(per_run(lost_result, arch, "response_time"), per_run(result, arch, "response_time"))
    verdict_, diff, share = None, None, None
    if isinstance(today, SimulationResult):
        verdict_, diff, share = verdict(result, arch, today, baseline)
    return AnswerRow(scenario, arch, lawful, reforms, metrics, by_level, penalty, lost_hq, diff, share, verdict_,
                     constraints, criterion(verdict_, diff), int(result.runs), result.waits.get(arch, {}),
                     result.war_powers.get(arch, []), result.rules.get(arch, {}))


# --- the paragraph ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Names:
    """Names the paragraph uses, in both languages: scenarios (short), arrangements, reforms, constraints."""

    scenarios: Mapping[str, tuple[str, str]]
    arrangements: Mapping[str, tuple[str, str]]
    reforms: Mapping[str, tuple[str, str]]
    constraints: Mapping[str, tuple[str, str]]
    organizations: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    approvals: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    nations: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    rules: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # rules of the nations' laws and treaties
    otherwise: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # what lifts a rule no reform lifts

    def of(self, table: Mapping[str, tuple[str, str]], key: str, lang: str) -> str:
        found = table.get(key)
        return (found[1] if lang == "ja" else found[0]) if found else key


def _reason(r: AnswerRow) -> str:
    """Why a row's verdict is what it is: faster, slower, fewer-deadlines or no-difference."""
    if r.verdict == "slower" and r.difference is not None and not r.difference.above_zero():
        return "fewer-deadlines"
    return r.verdict or "no-difference"


def criterion(verdict_: str | None, difference: Stat | None) -> str | None:
    """The test a verdict rests on: `time` (the response-time interval) or `deadline-share` (the share of
    responses within their deadline lower at 95% while the time interval overlaps today's); None for today and
    for no difference (neither test shows one)."""
    if verdict_ is None or verdict_ == "no-difference":
        return None
    if verdict_ == "slower" and difference is not None and not difference.above_zero():
        return "deadline-share"
    return "time"


def paragraph(rows: list[AnswerRow], baseline: str, names: Names, study: list[str], lang: str) -> str:
    """Plain words from the table, by the rules in this module's docstring (and docs/answer.md): a block per
    arrangement and one for the study's own scenarios, separated by a blank line."""
    ja = lang == "ja"
    blocks: list[str] = []
    by_arch: dict[str, list[AnswerRow]] = {}
    for r in rows:
        if r.arch != baseline:
            by_arch.setdefault(r.arch, []).append(r)
    today_rows = {r.scenario: r for r in rows if r.arch == baseline}
    for arch, arch_rows in by_arch.items():
        out: list[str] = []
        name = names.of(names.arrangements, arch, lang)
        reforms = sorted({x for r in arch_rows for x in r.reforms})
        reform_names = [names.of(names.reforms, x, lang) for x in reforms]
        groups: dict[str, list[AnswerRow]] = {}
        for r in arch_rows:
            groups.setdefault(_reason(r), []).append(r)
        parts = []
        for key in ("faster", "slower", "fewer-deadlines", "no-difference"):
            if key not in groups:
                continue
            cases = ("、" if ja else ", ").join(_case(r, key, names, lang) + _because(r, today_rows.get(r.scenario), key,
                                                                                     names, lang)
                                               for r in groups[key])
            if ja:
                label = {"faster": "現行より速い", "slower": "現行より遅い", "fewer-deadlines": "期限内に対処できる割合が現行より低い",
                         "no-difference": "現行と有意な差がない"}[key]
                parts.append(f"{cases}で{label}")
            else:
                label = {"faster": "faster than today in", "slower": "slower in",
                         "fewer-deadlines": "meets fewer deadlines in", "no-difference": "no different at 95% in"}[key]
                parts.append(f"{label} {cases}")
        if ja:
            lawful = f"（適法な形：{'・'.join(reform_names)}あり）" if reforms else ""
            out.append(f"{name}{lawful}は、" + "。".join(parts) + "。")
        else:
            lawful = f" (lawful: with the {', '.join(reform_names)})" if reforms else ""
            out.append(f"{name}{lawful} is " + "; ".join(parts) + ".")
        out.extend(_until_transfer(arch_rows, names, lang))
        out.extend(_costs(arch_rows, today_rows, names, lang))
        out.extend(_law(arch_rows, names, lang))
        blocks.append(("" if ja else " ").join(out))
    blocks.append(_study_sentence(rows, names, study, lang))
    war = _war_powers(rows, names, lang)
    if war:
        blocks.append(war)
    return "\n\n".join(blocks)


def _war_powers(rows: list[AnswerRow], names: Names, lang: str) -> str:
    """Scenarios whose assumed length outlasts a nation's limit in time on its commitment (the War Powers
    Resolution's 60 days, +30 on the President's certification), for every arrangement whose orders start it."""
    over: dict[str, tuple[float, int, int, set[str]]] = {}
    for r in rows:
        for b in r.war_powers:
            if b.get("exceeds") and b.get("scenario_days") is not None:
                days, limit, extra, archs = over.get(r.scenario, (b["scenario_days"], b["days"], b["extension_days"], set()))
                archs.add(r.arch)
                over[r.scenario] = (days, limit, extra, archs)
    if not over:
        return ""
    ja = lang == "ja"
    cases = ("、" if ja else ", ").join(
        f"{names.of(names.scenarios, s, lang)}（想定{d:g}日）" if ja else f"{names.of(names.scenarios, s, lang)} (assumed {d:g} days)"
        for s, (d, _, _, _) in over.items())
    _, limit, extra, _ = next(iter(over.values()))
    if ja:
        return (f"戦争権限決議：{cases}では、米軍の関与が{limit}日（大統領の証明により+{extra}日）を超える。議会の授権がなければ米軍は"
                "それまでに撤収しなければならない。JJOCへの作戦統制の移転はこの期限を始めも止めもしない（すべての体制で同じ）。")
    return (f"War Powers: in {cases} the U.S. commitment outlasts the War Powers Resolution's {limit} days (+{extra} on "
            "the President's certification): without congressional authorization U.S. forces must withdraw first. OPCON "
            "to JJOC neither starts nor stops that clock (the same in every arrangement).")


def _case(r: AnswerRow, key: str, names: Names, lang: str) -> str:
    scen = names.of(names.scenarios, r.scenario, lang)
    if key == "fewer-deadlines" and r.deadline_difference is not None and r.deadline_difference.mean is not None:
        share = r.metrics["deadline_met"].mean or 0.0
        return f"{scen}（期限内対処率{share:.2f}、現行との差{r.deadline_difference.mean:+.2f}）" if lang == "ja" \
            else f"{scen} (share within deadline {share:.2f}, {r.deadline_difference.mean:+.2f} against today)"
    d = r.difference
    if key == "no-difference" or d is None or d.mean is None:
        return scen
    return f"{scen}（{_minutes(d.mean)}分）" if lang == "ja" else f"{scen} ({_minutes(d.mean)} min)"


def _because(r: AnswerRow, today: AnswerRow | None, key: str, names: Names, lang: str) -> str:
    """Which ally's steps make the difference: approvals its executed orders wait for that today's do not (slower),
    or that today's wait for and its do not (faster), by the nation whose authority gives each; and whether its
    units answered to their own chain until control passed."""
    if today is None or key == "no-difference":
        return ""
    mine, theirs = r.waits, today.waits
    slower = key in ("slower", "fewer-deadlines")
    source, other = (mine, theirs) if slower else (theirs, mine)
    extra = [(a, w) for a, w in source.items() if w["orders"] and a not in other]
    ja = lang == "ja"
    by_nation: dict[str, list[str]] = {}
    for approval, w in extra:
        by_nation.setdefault(w["nation"], []).append(names.of(names.approvals, approval, lang))
    if not by_nation:
        return ""
    groups = [(names.of(names.nations, n, lang), items) for n, items in by_nation.items()]
    if ja:
        listed = "、".join(f"{n}の{'・'.join(items)}" for n, items in groups)
        return f"（命令が{listed}を待つため）" if slower else f"（現行の命令が待つ{listed}を待たないため）"
    listed = "; ".join(f"{n}'s {', '.join(items)}" for n, items in groups)
    return f" because its orders wait for {listed}" if slower else f" because its orders skip today's {listed}"


def _until_transfer(rows: list[AnswerRow], names: Names, lang: str) -> list[str]:
    """Where units answered to their own chain until the other nation's commander received control."""
    found = [r for r in rows if any(w.get("until_transfer") for w in r.waits.values())]
    if not found:
        return []
    scen = ("、" if lang == "ja" else ", ").join(names.of(names.scenarios, r.scenario, lang) for r in found)
    if lang == "ja":
        return [f"{scen}では、米軍部隊は大統領が外国指揮官の作戦統制下に置く決定（米国の政策、PDD-25）をするまで自国の指揮系統で行動し、"
                "その間は統一指揮ではなく各国の指揮で対処する。"]
    return [f"In {scen} its U.S. units answer to their own chain until the President decides to place them under a "
            "foreign commander's OPCON (U.S. policy, PDD-25): until then they act under national command, not the "
            "combined commander's."]


def _minutes(value: float) -> str:
    """A signed difference in minutes: whole minutes, one decimal below ten so a real half minute never reads -0."""
    return f"{value:+.1f}" if abs(value) < 10 else f"{value:+.0f}"


def _costs(rows: list[AnswerRow], today: Mapping[str, AnswerRow], names: Names, lang: str) -> list[str]:
    extra = []
    for r in rows:
        mine = r.metrics["messages"].mean
        theirs = today[r.scenario].metrics["messages"].mean if r.scenario in today else None
        if mine is not None and theirs is not None:
            extra.append(mine - theirs)
    lost = [(r.hq_loss_penalty.mean, r) for r in rows if r.hq_loss_penalty and r.hq_loss_penalty.mean is not None]
    if not extra and not lost:
        return []
    text = []
    if extra:
        mean_extra = float(np.mean(extra))
        text.append(f"1試行あたりのメッセージは現行より平均{mean_extra:+.0f}件" if lang == "ja"
                    else f"{mean_extra:+.0f} messages per run against today on average")
    if lost:
        worst, row = max(lost, key=lambda x: x[0])
        scen = names.of(names.scenarios, row.scenario, lang)
        hq = names.of(names.organizations, row.lost_headquarters or "", lang)
        text.append(f"作戦司令部（{hq}）を失うと応答が最大{_minutes(worst)}分（{scen}）" if lang == "ja"
                    else f"losing its operational headquarters ({hq}) changes its response by up to "
                         f"{_minutes(worst)} min ({scen})")
    return [("代償：" + "、".join(text) + "。") if lang == "ja" else ("Its cost: " + "; ".join(text) + ".")]


def _law(rows: list[AnswerRow], names: Names, lang: str) -> list[str]:
    blocking: dict[str, set[str]] = {}
    measures: set[str] = set()
    open_: set[str] = set()
    for r in rows:
        for c in r.constraints:
            if c.blocks:
                blocking.setdefault(c.constraint, set()).update(c.lifted_by)
                measures.update(c.measures)
            if c.raised and c.remedy in ("political-decision", "eased"):
                open_.add(c.constraint)
    out = []

    def cname(c: str) -> str:
        short = c.split("-")[0]
        return f"{short}「{names.of(names.constraints, c, lang)}」" if lang == "ja" \
            else f"{short} ({names.of(names.constraints, c, lang)})"

    if blocking:
        needs = sorted({x for v in blocking.values() for x in v})
        needs_names = [names.of(names.reforms, x, lang) for x in needs]
        if lang == "ja":
            out.append(f"法的には{'・'.join(needs_names) or 'カタログにない法整備'}（{'・'.join(sorted(measures))}）を要する。"
                       f"それなしでは{'、'.join(cname(c) for c in sorted(blocking))}により命令が拒否される。")
        else:
            out.append(f"In law it needs the {', '.join(needs_names) or 'a reform the catalog does not have'} "
                       f"({', '.join(sorted(measures))}): without it, its orders are refused under "
                       f"{' and '.join(cname(c) for c in sorted(blocking))}.")
    by_rule: dict[str, dict[str, list[str]]] = {}
    for r in rows:
        for rule, met in r.rules.items():
            by_rule.setdefault(met["constraint"], {})[rule] = list(met.get("lifted_by") or ())
    ruled = sorted(cid for cid in open_ if cid in by_rule)
    open_ -= set(ruled)
    if open_:
        if lang == "ja":
            out.append(f"{'、'.join(cname(c) for c in sorted(open_))}はどの法整備でも残り、検討が具体化していない政治的判断を要する。")
        else:
            verb, pronoun = ("remain", "they need") if len(open_) > 1 else ("remains", "it needs")
            out.append(f"{' and '.join(cname(c) for c in sorted(open_))} {verb} with every reform: {pronoun} political "
                       "decisions the study does not specify.")
    for cid in ruled:
        parts = []
        for rule, lifted in by_rule[cid].items():
            fix = "・".join(names.of(names.reforms, x, lang) for x in lifted) if lang == "ja" else \
                ", ".join(names.of(names.reforms, x, lang) for x in lifted)
            otherwise = names.of(names.otherwise, rule, lang).rstrip(".") if rule in names.otherwise else ""
            if lang == "ja":
                parts.append(f"{names.of(names.rules, rule, lang)}（{f'{fix}で解消' if fix else otherwise or '解消する改革なし'}）")
            else:
                parts.append(f"{names.of(names.rules, rule, lang)} ({f'lifted by the {fix}' if fix else otherwise or 'no reform lifts it'})")
        if lang == "ja":
            out.append(f"{cname(cid)}は、命令が該当する米国法・条約の規定から生じる：{'、'.join(parts)}。")
        else:
            out.append(f"{cname(cid)} comes from the rules of U.S. law and the Security Treaty its orders meet: "
                       f"{'; '.join(parts)}.")
    return out


def _study_sentence(rows: list[AnswerRow], names: Names, study: list[str], lang: str) -> str:
    faster = [r for r in rows if r.scenario in study and r.verdict == "faster"]
    scen = ("、" if lang == "ja" else ", ").join(names.of(names.scenarios, s, lang) for s in study)
    if lang == "ja":
        found = "、".join(f"{names.of(names.arrangements, r.arch, lang)}（{names.of(names.scenarios, r.scenario, lang)}）"
                         for r in faster) or "ない"
        return f"検討が重視する事態（{scen}）で現行より速いのは：{found}。"
    found = ", ".join(f"{names.of(names.arrangements, r.arch, lang)} in {names.of(names.scenarios, r.scenario, lang)}"
                      for r in faster) or "no arrangement"
    return f"Where the study puts its weight ({scen}), faster than today: {found}."


# --- the bottom line ---------------------------------------------------------------------------------

BOTTOM_LINE_RULE = (
    "The sentence is computed from the verdicts above, nothing else. Per arrangement, count the scenarios where it is "
    "faster, slower (response time longer at 95%), or meets fewer deadlines (share within the deadline lower at 95% "
    "while the time interval overlaps today's). Answer \"yes\" when it is faster somewhere and never slower nor "
    "short of deadlines; \"no\" when it is never faster but slower or short somewhere; \"no difference\" when no "
    "verdict differs from today; otherwise \"not clearly\". Then the scenarios of each kind, those where its "
    "orders are refused and re-issued through the national chains (the runs then follow today's chains there), the "
    "reforms its lawful form presupposes (\"needs no new law\" when none), and how it stands against the other main arrangement: "
    "better when it is faster in more scenarios minus those where it is slower or short of deadlines. The proposal's "
    "sentence comes first, then the others'.",
    "この一文は上の判定だけから機械的に導く。体制ごとに、現行より速い（応答時間が95%で短い）、遅い（95%で長い）、"
    "期限内対処率が低い（応答時間の区間は現行と重なるが、期限内に対処できる割合が95%で低い）シナリオを数える。"
    "どこかで速く、遅い・期限内対処率が低いシナリオがなければ「はい」、速いシナリオがなく遅い又は期限内対処率が低い"
    "シナリオがあれば「いいえ」、現行と異なる判定がなければ「差はない」、それ以外は「明確ではない」とする。続けて"
    "各区分のシナリオ、命令が拒否され各国の指揮系統で出し直されるシナリオ（その場合は現行の系統で動く）、"
    "適法な形が前提とする法整備（なければ「新たな法律を要しない」）、もう一方の主要な体制との比較"
    "（速いシナリオの数から遅い・期限内対処率が低いシナリオの数を引いた値が大きいほうを優れているとする）を記す。"
    "提案の一文を先に、その他の体制の一文を後に示す。",
)


def _tally(rows: list[AnswerRow]) -> dict[str, list[AnswerRow]]:
    groups: dict[str, list[AnswerRow]] = {k: [] for k in ("faster", "slower", "fewer-deadlines", "no-difference")}
    for r in rows:
        groups[_reason(r)].append(r)
    return groups


def _score(groups: dict[str, list[AnswerRow]]) -> int:
    return len(groups["faster"]) - len(groups["slower"]) - len(groups["fewer-deadlines"])


def bottom_line(rows: list[AnswerRow], baseline: str, names: Names, lang: str, first: str | None = None) -> str:
    """The answer in one sentence per main arrangement (the proposal's first), by `BOTTOM_LINE_RULE`.

    Args:
        rows: the answer table (lawful variants, every scenario).
        baseline: today's arrangement id.
        names: names in both languages.
        lang: "en" or "ja".
        first: the arrangement whose sentence opens (default: the last main arrangement, the proposal).
    """
    by_arch: dict[str, list[AnswerRow]] = {}
    for r in rows:
        if r.arch != baseline:
            by_arch.setdefault(r.arch, []).append(r)
    if not by_arch:
        return ""
    order = list(by_arch)
    lead = first if first in by_arch else ("2024-proposal" if "2024-proposal" in by_arch else order[-1])
    order = [lead, *[a for a in order if a != lead]]
    tallies = {a: _tally(by_arch[a]) for a in order}
    sentences = [_sentence(a, by_arch[a], tallies, names, lang) for a in order]
    return ("" if lang == "ja" else " ").join(sentences)


def _sentence(arch: str, rows: list[AnswerRow], tallies: dict[str, dict[str, list[AnswerRow]]], names: Names,
              lang: str) -> str:
    ja = lang == "ja"
    groups = tallies[arch]
    n = len(rows)
    fast, slow, short = groups["faster"], groups["slower"], groups["fewer-deadlines"]
    if fast and not slow and not short:
        word = "はい" if ja else "Yes"
    elif not fast and (slow or short):
        word = "いいえ" if ja else "No"
    elif not fast:
        word = "現行と差はない" if ja else "No difference"
    else:
        word = "明確ではない" if ja else "Not clearly"
    name = names.of(names.arrangements, arch, lang)

    def scen(items: list[AnswerRow]) -> str:
        return ("、" if ja else ", ").join(names.of(names.scenarios, r.scenario, lang) for r in items)

    # (kind, the scenarios, English, Japanese): each kind of verdict that occurs, in this order.
    kinds = [(fast, f"faster in {len(fast)} of {n} scenarios ({scen(fast)})", f"{n}つのシナリオのうち{len(fast)}つ（{scen(fast)}）で速い"),
             (slow, f"slower in {scen(slow)}", f"{scen(slow)}で遅い"),
             (short, f"meets fewer deadlines in {scen(short)}", f"{scen(short)}で期限内対処率が低い")]
    parts = [ja_text if ja else en_text for found, en_text, ja_text in kinds if found]
    if not parts:
        parts.append(f"{n}つのシナリオのいずれでも現行と有意な差がない" if ja
                     else f"no different from today at 95% in any of {n} scenarios")
    refused = [r for r in rows if r.metrics["refused"].mean]  # "refused" is one of ANSWER_METRICS
    if refused:  # its orders as drawn are unlawful there: the runs carry them through the national chains instead
        parts.append(f"{scen(refused)}ではその命令が拒否され、各国の指揮系統で出し直される" if ja
                     else f"its orders are refused and re-issued through the national chains in {scen(refused)}")
    reforms = sorted({x for r in rows for x in r.reforms})
    law = ("・".join(names.of(names.reforms, x, lang) for x in reforms) + "を要する") if ja and reforms else \
        "新たな法律を要しない" if ja else \
        (f"needs the {', '.join(names.of(names.reforms, x, lang) for x in reforms)}" if reforms
         else "needs no new law")
    parts.append(law)
    mine = _score(groups)
    for other, theirs in tallies.items():
        if other == arch:
            continue
        other_name = names.of(names.arrangements, other, lang)
        score = _score(theirs)
        if ja:
            verdict_ = "のほうが結果が良い" if score > mine else "のほうが結果が悪い" if score < mine else "と同程度"
            parts.append(f"{other_name}{verdict_}")
        else:
            verdict_ = "does better" if score > mine else "does worse" if score < mine else "does as well"
            parts.append(f"{_lower_the(other_name)} {verdict_}")
    if ja:
        return f"{name}は現行より優れているか？{word}：" + "、".join(parts) + "。"
    return f"Is {_lower_the(name)} better than today? {word}: " + "; ".join(parts) + "."


def _lower_the(name: str) -> str:
    """"The proposal" inside a sentence reads "the proposal"."""
    return "the " + name[4:] if name.startswith("The ") else name


def build_answer(rows: list[AnswerRow], not_lawful: list[AnswerRow], baseline: str, main: list[str], names: Names,
                 study: list[str]) -> Answer:
    return Answer(baseline, main, rows, not_lawful,
                  paragraph(rows, baseline, names, study, "en"),
                  paragraph(rows, baseline, names, study, "ja"),
                  list(RULES_EN),
                  bottom_line(rows, baseline, names, "en"), bottom_line(rows, baseline, names, "ja"),
                  BOTTOM_LINE_RULE[0], BOTTOM_LINE_RULE[1], list(RULES_JA))
