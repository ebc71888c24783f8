"""The report's one-screen answer, computed from the figures, in English or Japanese."""

from __future__ import annotations

from html import escape
from typing import Any

CURRENT = "2015-guidelines"
PROPOSAL = "2024-proposal"


def _t(lang: str, en: str, ja: str) -> str:
    return ja if lang == "ja" else en


def _stat(results: dict[str, Any], scen: str, variant: str, arch: str, metric: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = results["simulation"]["cases"].get(scen, {}).get(variant, {}).get(arch, {}).get(metric)
    return found


def _separated(a: dict[str, float], b: dict[str, float]) -> bool:
    """Whether two 95% confidence intervals do not overlap."""
    return a["ci95_high"] < b["ci95_low"] or b["ci95_high"] < a["ci95_low"]


LEVEL_JA = {"deconflict": "競合防止", "coordinated": "調整", "integrated": "一体化", "unified": "統一"}


def _level(level: str, lang: str) -> str:
    return LEVEL_JA.get(level, level) if lang == "ja" else level


def _scen(results: dict[str, Any], scen: str, lang: str) -> str:
    names = results["simulation"]["names"].get(scen)
    return names[1] if lang == "ja" and names else scen


def findings(results: dict[str, Any], lang: str) -> list[str]:
    """Bullets answering the study's question with numbers (HTML-escaped text)."""
    out: list[str] = []
    archs = results["meta"]["arrangements"]
    rows = {r["id"]: r for r in results["structure"]["rows"]}
    if CURRENT in rows and PROPOSAL in rows:
        cur, prop = rows[CURRENT], rows[PROPOSAL]
        out.append(escape(_t(
            lang,
            f"Structure: in an armed attack the proposal is {prop['levels']['armed-attack']} (today: "
            f"{cur['levels']['armed-attack']}); a task shared by a Japanese and a U.S. unit crosses "
            f"{prop['coordination_hops_mean']} relations on average instead of {cur['coordination_hops_mean']}. "
            f"Outside armed attack and survival-threatening situations it stays {prop['levels']['peacetime']}: "
            "OPCON of U.S. units passes only in defense operations.",
            f"構造：武力攻撃事態では提案は「{_level(prop['levels']['armed-attack'], lang)}」（現行は「{_level(cur['levels']['armed-attack'], lang)}」）。"
            f"日米の部隊が共同で行う任務の経路は平均{prop['coordination_hops_mean']}関係（現行{cur['coordination_hops_mean']}）。"
            f"武力攻撃事態・存立危機事態以外では「{_level(prop['levels']['peacetime'], lang)}」のまま（米軍部隊の作戦統制は防衛出動時のみ）。",
        )))
    if CURRENT in archs and PROPOSAL in archs:
        out.extend(_speed_points(results, lang))
        out.extend(_reform_points(results, lang))
        out.extend(_risk_points(results, lang))
    out.extend(_law_points(results, lang))
    sens = results.get("sensitivity")
    if sens:
        flips = sens["flipping"]
        shown = ", ".join(flips[:6])
        more_en = f" and {len(flips) - 6} more (all in the sensitivity section)" if len(flips) > 6 else ""
        more_ja = f"ほか{len(flips) - 6}個（全て感度分析の節に記載）" if len(flips) > 6 else ""
        out.append(escape(_t(
            lang,
            f"Robustness: in {sens['scenario']} ({sens['metric']}), {len(flips)} of {len(sens['rows'])} assumed "
            f"parameters change which arrangement is best when moved across their range"
            + (f": {shown}{more_en}." if flips else "."),
            f"頑健性：{sens['scenario']}（{sens['metric']}）では、仮定パラメータ{len(sens['rows'])}個のうち"
            f"{len(flips)}個が想定範囲内の変化で最良の体制を入れ替える"
            + (f"（{shown}{more_ja}）。" if flips else "。"),
        )))
    return out


def _speed_points(results: dict[str, Any], lang: str) -> list[str]:
    better, worse, same = [], [], []
    for scen in results["simulation"]["scenarios"]:
        a = _stat(results, scen, "baseline", CURRENT, "response_time")
        b = _stat(results, scen, "baseline", PROPOSAL, "response_time")
        if not a or not b or a["mean"] is None or b["mean"] is None:
            continue
        entry = f"{_scen(results, scen, lang)} {a['mean']:.0f}→{b['mean']:.0f}"
        if not _separated(a, b):
            same.append(entry)
        elif b["mean"] < a["mean"]:
            better.append(entry)
        else:
            worse.append(entry)
    points = [escape(_t(
        lang,
        "Speed (mean response time, minutes, today → proposal; 95% intervals not overlapping): faster in "
        f"{'; '.join(better) or 'no scenario'}; slower in {'; '.join(worse) or 'no scenario'}; "
        f"no clear difference in {'; '.join(same) or 'no scenario'}.",
        "速さ（平均応答時間・分、現行→提案、95%信頼区間が重ならないもの）：速くなる "
        f"{'；'.join(better) or 'なし'}、遅くなる {'；'.join(worse) or 'なし'}、明確な差なし {'；'.join(same) or 'なし'}。",
    ))]
    cost = []
    for scen in results["simulation"]["scenarios"]:
        a = _stat(results, scen, "baseline", CURRENT, "messages")
        b = _stat(results, scen, "baseline", PROPOSAL, "messages")
        r = _stat(results, scen, "baseline", PROPOSAL, "refused")
        if a and b and r:
            cost.append((_scen(results, scen, lang), a["mean"], b["mean"], r["mean"]))
    if cost:
        refused = [f"{s} {r:.1f}" for s, _, _, r in cost if r > 0]
        points.append(escape(_t(
            lang,
            "Cost: messages per run today → proposal: "
            + "; ".join(f"{s} {a:.0f}→{b:.0f}" for s, a, b, _ in cost)
            + ". Orders the law engine refuses under the proposal (re-issued through national chains): "
            + ("; ".join(refused) or "none") + ".",
            "コスト：1試行あたりのメッセージ数（現行→提案）："
            + "；".join(f"{s} {a:.0f}→{b:.0f}" for s, a, b, _ in cost)
            + "。提案下で法判定により拒否され各国系統で再発出される命令：" + ("；".join(refused) or "なし") + "。",
        )))
    bmd: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    for arch in results["meta"]["arrangements"]:
        met = _stat(results, "bmd-salvo", "baseline", arch, "deadline_met")
        conflicts = _stat(results, "bmd-salvo", "baseline", arch, "conflicts")
        if met and conflicts:
            bmd.append((arch, met, conflicts))
    if bmd:
        points.append(escape(_t(
            lang,
            "Missile salvo (10-minute window, standing order under SDF Act 82-3(3)): share of missiles engaged in time / "
            "conflicts per run: " + "; ".join(f"{a} {d['mean']:.2f} / {c['mean']:.2f}" for a, d, c in bmd)
            + ". Where the nations synchronize their engagements the window is missed; where they act apart it is met more often, at the price of conflicts.",
            "弾道ミサイル連続発射（10分の猶予、自衛隊法82条の3第3項の事前命令）：期限内に対処できた割合／1試行あたりの競合："
            + "；".join(f"{a} {d['mean']:.2f}／{c['mean']:.2f}" for a, d, c in bmd)
            + "。日米が対処を同期させる体制では猶予時間を逃し、各国が別々に行動する体制では間に合う割合が高いが競合が生じる。",
        )))
    return points


def _reform_points(results: dict[str, Any], lang: str) -> list[str]:
    changes = []
    for scen in results["simulation"]["scenarios"]:
        base = _stat(results, scen, "baseline", PROPOSAL, "response_time")
        with_law = _stat(results, scen, "reforms", PROPOSAL, "response_time")
        if base and with_law and base["mean"] is not None and with_law["mean"] is not None and _separated(base, with_law):
            changes.append(f"{_scen(results, scen, lang)} {base['mean']:.0f}→{with_law['mean']:.0f}")
    if not changes:
        return []
    return [escape(_t(
        lang,
        "The reforms cut both ways: with an OPCON transfer act, JJOC's orders to U.S. units become lawful, but they then "
        "carry Japan's own approval chain (Prime Minister's order, Diet approval) on top of U.S. national authority. "
        "Proposal's response time without → with the reforms: " + "; ".join(changes) + " minutes.",
        "法整備は両刃である：作戦統制権移管法によりJJOCから米軍部隊への命令は適法となるが、米国の国家指揮権限に加えて"
        "日本の承認手続（内閣総理大臣の命令、国会承認）を伴うことになる。提案の応答時間（法整備なし→あり）："
        + "；".join(changes) + "分。",
    ))]


def _risk_points(results: dict[str, Any], lang: str) -> list[str]:
    deltas = []
    for arch in (CURRENT, PROPOSAL):
        values = []
        for scen in results["simulation"]["scenarios"]:
            base = _stat(results, scen, "baseline", arch, "response_time")
            lost = _stat(results, scen, "hq-loss", arch, "response_time")
            if base and lost and base["mean"] is not None and lost["mean"] is not None:
                values.append(lost["mean"] - base["mean"])
        if values:
            deltas.append((arch, sum(values) / len(values)))
    if not deltas:
        return []
    return [escape(_t(
        lang,
        "Risk: losing JJOC a few minutes into a scenario adds on average "
        + "; ".join(f"{a} {d:+.1f} min" for a, d in deltas)
        + " to the response time (no alternate headquarters is defined in any bundled arrangement).",
        "リスク：シナリオ開始直後にJJOCを失うと、応答時間は平均で "
        + "；".join(f"{a} {d:+.1f}分" for a, d in deltas)
        + " 変化する（収録体制のいずれにも代替司令部は定義されていない）。",
    ))]


def _law_points(results: dict[str, Any], lang: str) -> list[str]:
    legal = results["legal"]
    if PROPOSAL not in legal["matrix"]:
        return []
    base = {c: n for c, n in legal["matrix"][PROPOSAL].items() if n}
    after = {c: n for c, n in legal["with_reform"][PROPOSAL]["all"].items() if n}
    cleared = sorted(set(base) - set(after))
    remaining = sorted(after)
    return [escape(_t(
        lang,
        f"Law: the proposal raises {', '.join(sorted(base)) or 'no constraint'}. The catalog's reforms "
        f"({', '.join(legal['reforms'])}) clear {', '.join(cleared) or 'none of them'}; "
        f"{', '.join(remaining) or 'nothing'} remains, and needs political decisions or law the study does not specify.",
        f"法：提案は制約 {', '.join(sorted(base)) or 'なし'} を生じる。法整備（{', '.join(legal['reforms'])}）で "
        f"{', '.join(cleared) or 'いずれも'}解消{'' if cleared else 'されない'}。{', '.join(remaining) or 'なし'} は残り、"
        "検討が特定していない政治判断または法整備を要する。",
    ))]
