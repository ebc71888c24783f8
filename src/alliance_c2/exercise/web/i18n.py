"""Page strings in English and Japanese, and the choice between them (`?lang=` or a cookie).

Every string a page shows comes from `STRINGS` (a few carry `{name}` fields, filled by `fill` here
and by its twin in static/exercise.js); catalog names (organizations, actions, situations,
approvals, the scenario's injects) come from the catalog's own `name_en`/`name_ja`. Stored text
written in English (an approval task's subject) is not shown as such: pages compose it from the
message's fields. The strings the page script needs are handed to it as JSON (`script_strings`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from starlette.requests import Request

from ...law import default_catalog
from ...model import Architecture
from ...model.scenario import Scenario
from ..service.exercises import CONTROL_ORG

LANGS = ("en", "ja")
LANG_COOKIE = "ac2_lang"

STRINGS: dict[str, tuple[str, str]] = {
    "app": ("Alliance C2 exercise", "同盟指揮統制演習"),
    "logout": ("Log out", "ログアウト"),
    "login": ("Log in", "ログイン"),
    "login_hint": ("Accounts are created on the server by whoever runs it: alliance-c2 users add NAME",
                   "アカウントはサーバーの管理者が作成します：alliance-c2 users add 名前"),
    "no_accounts": ("No account exists yet. On the server, create the first control account: "
                    "alliance-c2 users add NAME --control",
                    "アカウントがまだありません。サーバーで最初の統制アカウントを作成してください："
                    "alliance-c2 users add 名前 --control"),
    "not_control": ("Exercises are created by control accounts; ask your exercise controller to seat you.",
                    "演習は統制アカウントが作成します。演習統制官に席の割り当てを依頼してください。"),
    "situation_default": ("the scenario's (or none recognized)", "シナリオの事態（なければ事態の認定なし）"),
    "reforms": ("Reforms (laws assumed enacted)", "制度改革（成立を仮定する法律）"),
    "reforms_in_force": ("Reforms", "制度改革"),
    "name": ("Name", "名前"),
    "password": ("Password", "パスワード"),
    "form_expired": ("The form expired; please try again.", "フォームの有効期限が切れました。もう一度お試しください。"),
    "error": ("Error", "エラー"),
    "back": ("Back", "戻る"),
    "your_exercises": ("Your exercises", "参加中の演習"),
    "exercise": ("Exercise", "演習"),
    "arrangement": ("Arrangement", "体制"),
    "scenario": ("Scenario", "シナリオ"),
    "seat": ("Seat", "席"),
    "no_seat": ("You hold no seat yet.", "まだ席がありません。"),
    "control": ("Control", "統制"),
    "aar": ("After-action report", "事後検討報告"),
    "new_exercise": ("New exercise (you hold its control seat)", "新しい演習（作成者が統制席）"),
    "create": ("Create", "作成"),
    "none": ("none", "なし"),
    "situation": ("Situation", "事態"),
    "clock": ("Clock", "時計"),
    "game_time": ("Game time", "演習時刻"),
    "speed": ("Speed", "速度"),
    "state_ready": ("ready", "開始前"),
    "state_running": ("running", "進行中"),
    "state_paused": ("paused", "一時停止"),
    "role_control": ("control", "統制"),
    "role_player": ("player", "プレイヤー"),
    "role_observer": ("observer", "オブザーバー"),
    "live": ("live", "接続中"),
    "offline": ("reconnecting…", "再接続中…"),
    "diagram": ("Arrangement diagram (your organization is outlined in red)", "体制図（自組織を赤枠で表示）"),
    "cop_map": ("Common operational picture (what your seat may see)", "共通作戦状況図（自席が見られるもの）"),
    "c2sim_session": ("C2SIM session", "C2SIMセッション"),
    "c2sim_state": ("state", "状態"),
    "approvals_for_you": ("Approvals waiting for you", "あなたの承認待ち"),
    "no_approvals": ("Nothing waiting.", "承認待ちはありません。"),
    "grant": ("Grant", "承認"),
    "deny": ("Deny", "不承認"),
    "inbox": ("Inbox", "受信"),
    "outbox": ("Outbox (your orders, their approvals and status)", "送信（自組織の命令・承認・状況）"),
    "injects": ("Injects received", "受領した状況付与"),
    "no_messages": ("No messages yet.", "まだありません。"),
    "order": ("Order", "命令"),
    "action": ("Action", "行動"),
    "unit": ("Unit", "部隊"),
    "subject": ("Subject", "件名"),
    "text": ("Text", "本文"),
    "classification": ("Classification", "区分"),
    "rel_to": ("Releasable to (REL TO)", "開示先（REL TO）"),
    "recipients": ("Recipients", "宛先"),
    "send": ("Send", "送信"),
    "send_order": ("Send order", "命令送信"),
    "preview": ("Legal check before sending", "送信前の法的確認"),
    "preview_hint": ("Choose an action and a unit to see the law engine's verdict.",
                     "行動と部隊を選ぶと法的判断が表示されます。"),
    "allowed": ("Allowed", "可"),
    "not_allowed": ("Not allowed", "不可"),
    "approvals_in_order": ("Approvals, in order", "必要な承認（順序どおり）"),
    "before": ("before acting", "行動前"),
    "after": ("after the action", "行動後"),
    "held_by": ("held by", "権限者"),
    "control_plays": ("control plays it", "統制が代行"),
    "findings": ("Findings (C1–C6)", "制約の指摘（C1〜C6）"),
    "reasons": ("Reasons", "理由"),
    "delivered_to": ("Delivered to", "伝達先"),
    "chain": ("Chain of command", "指揮系統"),
    "request_report": ("Request or report", "要請・報告"),
    "kind": ("Kind", "種別"),
    "kind_order": ("order", "命令"),
    "kind_request": ("request", "要請"),
    "kind_report": ("report", "報告"),
    "kind_inject": ("inject", "状況付与"),
    "kind_approval": ("approval", "承認"),
    "status_refused": ("refused", "拒否"),
    "status_awaiting-approval": ("awaiting approval", "承認待ち"),
    "status_delivered": ("delivered", "伝達済み"),
    "status_denied": ("denied", "不承認"),
    "status_pending": ("pending", "未決"),
    "status_granted": ("granted", "承認済み"),
    "observer_note": ("Observers read but never send.", "オブザーバーは閲覧のみです。"),
    "minute": ("Minute", "分"),
    "clock_controls": ("Clock", "時計の操作"),
    "start": ("Start", "開始"),
    "pause": ("Pause", "一時停止"),
    "resume": ("Resume", "再開"),
    "set_speed": ("Set speed (game s per s)", "速度を設定（秒/秒）"),
    "change_situation": ("Change the legal situation", "事態の変更"),
    "basis": ("Basis", "根拠"),
    "basis_cabinet-decision": ("Cabinet decision", "閣議決定"),
    "basis_diet-approval": ("Diet approval", "国会承認"),
    "note": ("Note", "備考"),
    "apply": ("Apply", "適用"),
    "inject_timeline": ("Inject timeline", "状況付与の予定"),
    "nations": ("Nations", "国"),
    "released": ("Released", "付与済み"),
    "release": ("Release", "付与"),
    "no_scenario": ("No scenario.", "シナリオなし。"),
    "pending_approvals": ("Pending approvals", "未決の承認"),
    "unseated": ("nobody sits here: control decides", "席なし：統制が判断"),
    "seats": ("Seats", "席"),
    "add_seat": ("Seat a user", "席の追加"),
    "user": ("User", "利用者"),
    "organization": ("Organization", "組織"),
    "nation": ("Nation", "国"),
    "role": ("Role", "役割"),
    "clearance": ("Clearance", "資格"),
    "add": ("Add", "追加"),
    "audit_log": ("Audit log", "監査ログ"),
    "log_ok": ("intact", "改ざんなし"),
    "log_bad": ("BROKEN", "改ざんあり"),
    "frozen": ("Frozen read-only: the record failed its check, players are refused until it holds again",
               "読み取り専用で凍結：記録の検証に失敗したため、記録が回復するまでプレイヤーには表示しません"),
    "database_problem": ("database", "データベース"),
    "entries": ("entries", "件"),
    "verify": ("Verify now", "今すぐ検証"),
    "all_messages": ("All traffic", "全通信"),
    "order_result": ("Order", "命令"),
    "sent": ("sent", "送信済み"),
    "language": ("日本語", "English"),
    "seat_page": ("seat page", "席の画面"),
    "approval_subject": ("{approval} — order #{order}: {action} by {unit}",
                         "命令 #{order}（{unit}の{action}）に対する{approval}"),
    "standing": ("standing order — counted as given", "事前の命令により付与済みとみなす"),
    "grant_unseated": ("Grant all approvals held by unseated organizations", "空席組織の承認をすべて付与"),
    "granted_count": ("{n} approval(s) granted", "{n}件の承認を付与しました"),
    "auto_injects": ("Release scenario injects when the clock reaches them",
                     "時計に合わせてシナリオの状況付与を自動配布"),
    "auto_injects_on": ("Injects are released automatically", "状況付与を自動配布します"),
    "auto_injects_off": ("Injects are released by hand", "状況付与は手動で配布します"),
    "auto_approvals": ("Control grants approvals nobody sits for once their typical duration has passed",
                       "空席の権限者の承認を標準所要時間の経過後に統制が自動付与"),
    "auto_approvals_on": ("Unseated holders decide on the clock", "空席の権限者は時計に合わせて自動承認します"),
    "auto_approvals_off": ("Control decides for unseated holders by hand", "空席の権限者の承認は統制が手動で行います"),
    "control_org": ("Exercise control", "演習統制"),
    # audit-log acts (the after-action report's timeline)
    "act_exercise.created": ("exercise created", "演習作成"),
    "act_seat.added": ("seat added", "席の追加"),
    "act_clock.start": ("clock started", "時計開始"),
    "act_clock.pause": ("clock paused", "時計一時停止"),
    "act_clock.resume": ("clock resumed", "時計再開"),
    "act_clock.speed": ("clock speed set", "時計速度変更"),
    "act_situation.changed": ("situation changed", "事態の変更"),
    "act_order.issued": ("order issued", "命令発出"),
    "act_order.delivered": ("order delivered", "命令伝達"),
    "act_order.denied": ("order denied", "命令不承認"),
    "act_approval.routed": ("approval requested", "承認依頼"),
    "act_approval.granted": ("approval granted", "承認"),
    "act_approval.denied": ("approval denied", "不承認"),
    "act_message.sent": ("message sent", "通報送信"),
    "act_inject.released": ("inject released", "状況付与"),
    "act_injects.auto": ("injects on the clock switched", "状況付与の自動配布切替"),
}


def pick_lang(request: Request) -> str:
    """`?lang=` first, then the cookie, then English."""
    asked = request.query_params.get("lang")
    if asked in LANGS:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    return cookie if cookie in LANGS else "en"


def translator(lang: str) -> Callable[[str], str]:
    """`t(key)` for `lang`; an unknown key raises, so a missing string fails the page tests."""
    index = LANGS.index(lang)

    def t(key: str) -> str:
        return STRINGS[key][index]

    return t


def script_strings(lang: str) -> dict[str, str]:
    """The strings the page script needs, by key."""
    t = translator(lang)
    return {key: t(key) for key in STRINGS}


def fill(template: str, **values: Any) -> str:
    """A string from `STRINGS` with its `{name}` fields filled (static/exercise.js has the same `fill`)."""
    return template.format(**values)


def catalog_names(lang: str, arch: Architecture | None = None,
                  scenario: Scenario | None = None) -> dict[str, dict[str, str]]:
    """Names of the arrangement's organizations, the law catalog's actions, situations, approvals,
    constraints and reforms, and the scenario's injects (by inject id: give `scenario` only to
    control, whose timeline they are; a seat learns an inject's name when it receives it)."""
    catalog = default_catalog()
    injects = scenario.injects if scenario is not None else ()
    return {
        "org": {CONTROL_ORG: translator(lang)("control_org"),
                **({o: org.name(lang) for o, org in arch.organizations.items()} if arch is not None else {})},
        "inject": {i.id: (i.name_ja if lang == "ja" and i.name_ja else i.name_en) for i in injects},
        "action": {a: catalog.actions[a].name(lang) for a in catalog.actions},
        "situation": {s: catalog.situations[s].name(lang) for s in catalog.situations},
        "approval": {a: catalog.approvals[a].name(lang) for a in catalog.approvals},
        "constraint": {c: catalog.constraints[c].name(lang) for c in catalog.constraints},
        "reform": {r: catalog.reforms[r].name(lang) for r in catalog.reforms},
    }


def name_ids(text: str, names: dict[str, str]) -> str:
    """`text` with every organization id in `names` replaced by its name (the law engine's reasons and
    findings name organizations by id). static/exercise.js has the same `nameIds`."""
    if not names or not text:
        return text
    return _id_pattern(tuple(sorted(names, key=len, reverse=True))).sub(lambda m: names[m.group(0)], text)


@lru_cache(maxsize=16)
def _id_pattern(ids: tuple[str, ...]) -> re.Pattern[str]:
    # ASCII boundaries: Japanese text runs straight on from an id ("usa-7th-fleetのOPCON")
    return re.compile(r"(?<![A-Za-z0-9_-])(?:" + "|".join(re.escape(i) for i in ids) + r")(?![A-Za-z0-9_-])")
