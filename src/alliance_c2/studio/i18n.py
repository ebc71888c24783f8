"""The studio's page strings in English and Japanese (catalog names come from the catalog)."""

from __future__ import annotations

from collections.abc import Callable

STRINGS: dict[str, tuple[str, str]] = {
    "title": ("Alliance C2 studio", "同盟指揮統制スタジオ"),
    "lead": ("Edit an arrangement and watch its level, its law and the answer against today change.",
             "体制を編集し、相互運用性レベル・法的判断・現行との比較がどう変わるかを見る。"),
    "open": ("Open", "開く"),
    "bundled": ("Bundled arrangement", "同梱の体制"),
    "upload": ("Or upload a YAML file (at most 2 MiB)", "又はYAMLファイルを読み込む（2 MiBまで）"),
    "upload_button": ("Upload", "読み込む"),
    "undo": ("Undo", "元に戻す"),
    "redo": ("Redo", "やり直す"),
    "download": ("Download YAML", "YAMLをダウンロード"),
    "report": ("Open the full report", "完全な報告書を開く"),
    "report_wait": ("Writing the report (every scenario, sensitivity)…", "報告書を作成中（全シナリオ・感度分析）…"),
    "computing": ("Recomputing…", "再計算中…"),
    "computed": ("Recomputed in {seconds} s ({runs} runs)", "{seconds}秒で再計算（{runs}回の試行）"),
    "bottom_line": ("The answer in one sentence", "一文で言えば"),
    "rule": ("How this sentence is computed", "この一文の導き方"),
    "changed": ("What changed", "何が変わったか"),
    "vs_previous": ("Against the previous state", "直前の状態と比べて"),
    "vs_today": ("Against today (2015 Guidelines)", "現行（2015年ガイドライン）と比べて"),
    "nothing_changed": ("nothing in levels, verdicts or refusals", "レベル・判定・拒否に変化なし"),
    "absorbed": ("The edit was absorbed: no level and no verdict changed, because another body now carries the "
                 "coordination.", "編集は吸収された：レベルも判定も変わらない。別の機関が調整を担うため。"),
    "carried_by": ("in {situation}, synchronization is now carried by {after} (was {before})",
                   "{situation}では同期を{after}が担う（以前は{before}）"),
    "level_in": ("level in {situation}: {before} → {after}", "{situation}のレベル：{before} → {after}"),
    "verdict_in": ("{scenario}: {before} → {after}", "{scenario}：{before} → {after}"),
    "refused_in": ("{scenario}: orders refused per run {before} → {after}",
                   "{scenario}：1試行あたりの拒否 {before} → {after}"),
    "reissued": ("Without the {reforms} its orders are refused and re-issued through the national chains: "
                 "it runs as today where that happens. Switch the reform on below to see the lawful variant.",
                 "{reforms}がなければ命令は認められず各国の指揮系統で再発令される：その場合は現行と同じに動く。"
                 "適法な形を見るには下で改革を有効にする。"),
    "levels": ("Level by situation", "事態ごとの相互運用性レベル"),
    "situation": ("Situation", "事態"),
    "level": ("Level", "レベル"),
    "definition": ("The study's definition", "検討の定義"),
    "evidence": ("Why (this project's rule)", "根拠（本プロジェクトの判定基準）"),
    "answer": ("The answer against today, by scenario", "シナリオ別の現行との比較"),
    "scenario": ("Scenario", "シナリオ"),
    "verdict": ("Verdict (criterion)", "判定（基準）"),
    "difference": ("Response time − today, min [95%]", "応答時間の差（分）[95%]"),
    "share_difference": ("Share within deadline − today", "期限内対処率の差"),
    "runs": ("Runs", "試行"),
    "refused": ("Orders refused per run", "拒否された命令/試行"),
    "law": ("The law: the study's constraints and what lifts each", "法：検討の制約と解消策"),
    "constraint": ("Constraint", "制約"),
    "blocks_in": ("Blocks orders in", "命令を阻む"),
    "raised_in": ("Raised in", "該当"),
    "lifted_by": ("Lifted by", "解消する改革"),
    "eased_by": ("Eased by", "緩和する改革"),
    "none": ("none", "なし"),
    "diagram": ("Diagram (APP-6 symbols)", "体制図（APP-6記号）"),
    "diagram_situation": ("Draw in situation", "描く事態"),
    "relations": ("Relations", "関係"),
    "from": ("From", "から"),
    "to": ("To", "へ"),
    "kind": ("Kind", "種別"),
    "active_in": ("Active in", "有効な事態"),
    "always": ("always (every situation)", "常時（全事態）"),
    "assumption": ("Assumption (no source)", "仮定（出典なし）"),
    "source": ("Source", "出典"),
    "add_relation": ("Add relation", "関係を追加"),
    "save_relation": ("Save the relation", "関係を保存"),
    "cancel": ("Cancel", "取消"),
    "edit": ("Edit", "編集"),
    "remove": ("Remove", "削除"),
    "organizations": ("Organizations", "組織"),
    "id": ("Id", "ID"),
    "name_en": ("Name (English)", "名称（英語）"),
    "name_ja": ("Name (Japanese)", "名称（日本語）"),
    "nation": ("Nation", "国"),
    "org_kind": ("Kind", "種類"),
    "combined": ("Combined HQ", "連合司令部"),
    "add_organization": ("Add organization", "組織を追加"),
    "reforms": ("Reforms (the arrangement presupposes)", "改革（体制が前提とする法整備）"),
    "faster": ("faster", "速い"),
    "slower": ("slower", "遅い"),
    "no-difference": ("no difference", "差なし"),
    "criterion_time": ("by time", "時間"),
    "criterion_deadline-share": ("by deadline share", "期限内対処率"),
    "warnings": ("Warnings (kept)", "警告（変更は保持）"),
    "keys": ("Keys: Ctrl+Z undo, Ctrl+Shift+Z or Ctrl+Y redo.", "キー操作：Ctrl+Z 元に戻す、Ctrl+Shift+Z 又は Ctrl+Y やり直す。"),
    "editing": ("Editing", "編集中"),
    "language": ("日本語", "English"),
}


def translator(lang: str) -> Callable[[str], str]:
    """`t(key)`: the string in `lang` (the key itself when unknown)."""
    index = 1 if lang == "ja" else 0
    return lambda key: STRINGS[key][index] if key in STRINGS else key


def script_strings(lang: str) -> dict[str, str]:
    """Every string, for the page script."""
    index = 1 if lang == "ja" else 0
    return {k: v[index] for k, v in STRINGS.items()}
