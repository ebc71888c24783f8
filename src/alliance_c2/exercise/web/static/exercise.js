// Alliance C2 exercise pages: JSON API calls with the session's CSRF token, the seat's live
// event stream, the order preview, the control dashboard. No framework, no build step.
"use strict";

(function () {
  const csrf = document.body.dataset.csrf || "";
  const liveNode = document.getElementById("live-data");
  const live = liveNode ? JSON.parse(liveNode.textContent) : null;
  const S = live ? live.strings : {};
  const N = Object.assign({org: {}, inject: {}, action: {}, situation: {}, approval: {}, constraint: {}},
    live ? live.names : {});
  const base = live ? "/api/exercises/" + live.exercise : "";

  async function api(path, method, body, headers) {
    const options = {method: method || "GET", headers: Object.assign({"X-CSRF-Token": csrf}, headers || {}),
      credentials: "same-origin"};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.detail || response.statusText);
    return data;
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function fill(template, values) { // mirrors i18n.fill: "{name}" fields
    return String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }

  function say(form, text, bad) {
    const out = form.querySelector(".result");
    if (out) { out.textContent = text; out.classList.toggle("error", !!bad); }
  }

  function fields(form) {
    const data = {};
    for (const element of form.elements) {
      if (!element.name || element.type === "hidden" || element.tagName === "BUTTON") continue;
      if (element.type === "checkbox") {
        (data[element.name] = data[element.name] || []);
        if (element.checked) data[element.name].push(element.value);
      } else if (element.multiple) {
        data[element.name] = Array.from(element.selectedOptions).map((o) => o.value);
      } else {
        data[element.name] = element.value;
      }
    }
    return data;
  }

  // --- messages --------------------------------------------------------------------------------

  function placeOf(m) { // as pages.place_of: whether an approval waits for this seat is the server's to say
    if (m.pending_for_you) return "approvals";
    if (m.kind === "inject") return "injects";
    return m.sender === live.organization ? "outbox" : "inbox";
  }

  function subjectOf(m) { // mirrors the `subject` macro in templates/_macros.html
    if (m.kind === "approval" && m.approval) {
      return fill(S.approval_subject, {
        approval: N.approval[m.approval] || m.approval, order: m.parent_id,
        action: N.action[m.action] || m.action, unit: N.org[m.unit] || m.unit,
      });
    }
    if (m.kind === "inject" && live.lang === "ja" && m.subject_ja) return m.subject_ja;
    return m.subject;
  }

  // The law engine names organizations by id; pages show their names (mirrors i18n.name_ids).
  const orgIds = Object.keys(N.org || {}).sort((a, b) => b.length - a.length);
  // (no lookbehind, which older browsers lack: the character before an id is captured and put back)
  const idPattern = orgIds.length
    ? new RegExp("(^|[^A-Za-z0-9_-])(" + orgIds.map((i) => i.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|") + ")(?![A-Za-z0-9_-])", "g")
    : null;
  function nameIds(text) {
    return idPattern && text ? String(text).replace(idPattern, (_, before, id) => before + N.org[id]) : text;
  }

  function reasonsOf(found) { // refusal reasons in the page's language (`reasons_ja` runs beside `reasons`)
    if (!found) return [];
    if (live.lang === "ja" && found.reasons_ja && found.reasons_ja.length) return found.reasons_ja.map(nameIds);
    return (found.reasons || []).map(nameIds);
  }

  function messageItem(m, decide) {
    const li = el("li", "message kind-" + m.kind + " status-" + m.status);
    li.dataset.id = m.id;
    li.append(el("span", "marking", m.marking), " ", el("strong", "kind", S["kind_" + m.kind] || m.kind), " #" + m.id + " ");
    li.append(el("span", "route", (N.org[m.sender] || m.sender) + " → " + m.recipients.map((r) => N.org[r] || r).join(", ")), " ");
    li.append(el("span", "subject", subjectOf(m)), " ");
    if (m.kind !== "approval") {
      if (m.action) li.append(el("span", "what", (N.action[m.action] || m.action) + " · " + (N.org[m.unit] || m.unit)), " ");
      if (m.approval) li.append(el("span", "what", N.approval[m.approval] || m.approval), " ");
    }
    li.append(el("em", "status", S["status_" + m.status] || m.status));
    const reasons = reasonsOf(m.verdict);
    if (reasons.length) {
      const ul = el("ul", "reasons");
      reasons.forEach((r) => ul.append(el("li", null, r)));
      li.append(ul);
    }
    if (decide && live.control && live.seated && !m.recipients.some((r) => live.seated.includes(r))) {
      li.append(" ", el("span", "note", S.unseated));
    }
    if (decide && m.pending_for_you) {
      const box = el("span", "decide");
      for (const choice of ["grant", "deny"]) {
        const button = el("button", null, S[choice]);
        button.type = "button";
        button.dataset.decide = choice;
        button.dataset.task = m.id;
        box.append(button, " ");
      }
      li.append(" ", box);
    }
    return li;
  }

  // A new or changed message: a list that already shows it gets the new version in the same place;
  // a list it newly belongs in gets it on top (traffic, inbox, outbox: newest first) or at the end.
  // A message's status only moves on (waiting, then decided): a late answer carrying an older status must
  // not undo a newer one the stream already brought.
  const FINAL = new Set(["granted", "denied", "delivered", "refused"]);
  const settled = new Set();

  function upsert(m) {
    if (settled.has(m.id) && !FINAL.has(m.status)) return;
    if (FINAL.has(m.status)) settled.add(m.id);
    const traffic = document.getElementById("list-traffic");
    const place = placeOf(m);
    const lists = ["traffic", "approvals", "injects", "inbox", "outbox"];
    for (const name of lists) {
      const list = document.getElementById("list-" + name);
      if (!list) continue;
      // the control page shows everything under traffic and only pending approvals besides
      const belongs = name === "traffic" || (name === place && (!traffic || place === "approvals"));
      const old = list.querySelector(':scope > li.message[data-id="' + m.id + '"]');
      if (!belongs) {
        if (old) old.remove();
        continue;
      }
      const item = messageItem(m, name === "approvals");
      item.classList.add("fresh");
      if (old) old.replaceWith(item);
      else insertById(list, item, m.id, name === "approvals" || name === "injects");
    }
    if (m.kind === "inject" && m.inject_id) markReleased(m.inject_id, m.id);
    cueApprovals();
  }

  // The tab's title counts the approvals waiting for this seat, so a player busy elsewhere sees one arrive.
  const baseTitle = document.title;
  function cueApprovals() {
    const list = document.getElementById("list-approvals");
    if (!list) return;
    const waiting = list.querySelectorAll(":scope > li.message").length;
    document.title = (waiting ? "(" + waiting + ") " : "") + baseTitle;
  }

  // A new item goes where its id puts it (oldest first or newest first), whichever of the stream and
  // the answer to the sender's own request brings it first.
  function insertById(list, item, id, oldestFirst) {
    for (const other of list.querySelectorAll(":scope > li.message")) {
      const otherId = Number(other.dataset.id);
      if (oldestFirst ? otherId > id : otherId < id) {
        other.before(item);
        return;
      }
    }
    list.append(item);
  }

  function markReleased(injectId, messageId) { // the control page's timeline row of a released inject
    const row = document.querySelector('#timeline tr[data-inject="' + CSS.escape(injectId) + '"] td.released');
    if (row) row.textContent = "#" + messageId;
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button[data-decide]");
    if (!button) return;
    button.disabled = true;
    try {
      upsert(await api(base + "/approvals/" + button.dataset.task, "POST", {decision: button.dataset.decide, note: ""}));
    } catch (error) {
      button.disabled = false;
      alert(error.message);
    }
  });

  // --- clock and situation -----------------------------------------------------------------------

  let clock = live ? Object.assign({receivedAt: Date.now()}, live.clock) : null;

  function showExercise(state) {
    for (const [field, id] of [["auto_injects", "auto-injects"], ["auto_approvals", "auto-approvals"]]) {
      const box = document.getElementById(id);
      if (box && state[field] !== undefined && !box.disabled) box.checked = !!state[field];
    }
    if (state.situation) {
      const node = document.getElementById("situation");
      if (node) node.textContent = N.situation[state.situation] || state.situation;
      refreshDiagram(state.situation);
    }
    if (state.clock) {
      clock = Object.assign({receivedAt: Date.now()}, state.clock);
      const stateNode = document.getElementById("clock-state");
      if (stateNode) stateNode.textContent = S["state_" + clock.state] || clock.state;
      const speedNode = document.getElementById("clock-speed");
      if (speedNode) speedNode.textContent = clock.speed;
    }
    if (state.c2sim_state) {
      const node = document.getElementById("c2sim-state");
      if (node) node.textContent = state.c2sim_state;
    }
    if (live && live.control) refreshLogStatus();
  }

  // The common operational picture: redrawn by the server when a report arrives (a C2SIM position
  // report moves a unit) or the session's state changes (a shared initialization places units).
  let mapPending = false;
  async function refreshMap() {
    const box = document.getElementById("cop-map");
    if (!box || mapPending) return;
    mapPending = true;
    try {
      const response = await fetch(base.replace("/api", "") + "/map.svg?lang=" + live.lang, {credentials: "same-origin"});
      if (response.ok) box.innerHTML = await response.text();
    } catch (error) {
      // the next update tries again
    } finally {
      mapPending = false;
    }
  }

  // The seat page's diagram shows the arrangement in one situation (links inactive in peacetime are
  // faded): redrawn by the server when the situation changes.
  async function refreshDiagram(situation) {
    const box = document.getElementById("diagram");
    if (!box || box.dataset.situation === situation) return;
    box.dataset.situation = situation;
    try {
      const response = await fetch(base.replace("/api", "") + "/diagram.svg?lang=" + live.lang, {credentials: "same-origin"});
      if (response.ok && box.dataset.situation === situation) box.innerHTML = await response.text();
    } catch (error) {
      box.dataset.situation = "";  // try again with the next update
    }
  }

  function tick() {
    if (!clock) return;
    const node = document.getElementById("game-time");
    if (!node) return;
    let seconds = clock.game_seconds;
    if (clock.state === "running") seconds += (Date.now() - clock.receivedAt) / 1000 * clock.speed;
    const whole = Math.floor(seconds);
    const pad = (n) => String(n).padStart(2, "0");
    node.textContent = pad(Math.floor(whole / 3600)) + ":" + pad(Math.floor(whole / 60) % 60) + ":" + pad(whole % 60);
  }

  // --- the event stream --------------------------------------------------------------------------

  function connect() {
    const source = new EventSource(base + "/events?since=" + encodeURIComponent(live.cursor));
    const badge = document.getElementById("live");
    const mark = (on) => {
      if (!badge) return;
      badge.textContent = on ? S.live : S.offline;
      badge.className = on ? "online" : "offline";
    };
    source.onopen = () => mark(true);
    source.onerror = () => mark(false);
    source.addEventListener("message", (event) => {
      const m = JSON.parse(event.data);
      upsert(m);
      if (m.kind === "report") refreshMap();
    });
    source.addEventListener("exercise", (event) => {
      mark(true);
      const state = JSON.parse(event.data);
      showExercise(state);
      if (state.c2sim_state) refreshMap();
    });
    source.addEventListener("end", (event) => {
      if (JSON.parse(event.data).reason.startsWith("login")) { source.close(); mark(false); }
    });
  }

  // --- the order form and its legal preview ------------------------------------------------------

  function renderPreview(box, plan) {
    box.replaceChildren();
    box.append(el("p", plan.allowed ? "verdict allowed" : "verdict refused", plan.allowed ? S.allowed : S.not_allowed));
    const reasons = reasonsOf(plan);
    if (reasons.length) {
      box.append(el("h4", null, S.reasons));
      const ul = el("ul", "reasons");
      reasons.forEach((r) => ul.append(el("li", null, r)));
      box.append(ul);
    }
    if (plan.approvals.length) {
      box.append(el("h4", null, S.approvals_in_order));
      const ol = el("ol", "approvals");
      plan.approvals.forEach((a) => {
        const holders = a.holders.length ? a.holders.map((h) => N.org[h] || h).join(", ") : S.control_plays;
        const item = el("li", "phase-" + a.phase + (a.standing ? " standing" : ""),
          (N.approval[a.approval] || a.approval) + " — " + S.held_by + ": " + holders + " (" + (a.phase === "after" ? S.after : S.before) + ")");
        if (a.standing) item.append(" ", el("span", "standing-note", "(" + S.standing + ")"));
        ol.append(item);
      });
      box.append(ol);
    }
    const findings = (plan.verdict && plan.verdict.findings) || [];
    if (findings.length) {
      box.append(el("h4", null, S.findings));
      const ul = el("ul", "findings");
      findings.forEach((f) => {
        const text = live.lang === "ja" && f.message_ja ? f.message_ja : f.message;
        ul.append(el("li", "severity-" + f.severity, f.constraint + " [" + f.severity + "] " + nameIds(text)));
      });
      box.append(ul);
    }
    if (plan.deliver_to.length) box.append(el("p", "deliver", S.delivered_to + ": " + plan.deliver_to.map((o) => N.org[o] || o).join(" → ")));
  }

  // REL TO follows the order: the seat's nation and the nations of the unit and of every organization
  // the order passes through, until the player changes it by hand (a new unit starts over).
  function preselectRelTo(form, plan, unit) {
    const wanted = new Set([live.nation]);
    [...plan.deliver_to, unit].forEach((o) => { if (live.nations && live.nations[o]) wanted.add(live.nations[o]); });
    form.querySelectorAll('input[name="rel_to"]').forEach((box) => { box.checked = wanted.has(box.value); });
  }

  // A post that makes a message carries an Idempotency-Key, kept until a definite answer comes, so that
  // sending again after a lost answer stores the order once (crypto.getRandomValues works without HTTPS).
  function retryKey() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  async function postOnce(form, path, body) {
    const sent = JSON.stringify(body);
    if (!form.retry || form.retry.body !== sent) form.retry = {key: retryKey(), body: sent};
    try {
      const answer = await api(path, "POST", body, {"Idempotency-Key": form.retry.key});
      form.retry = null;
      return answer;
    } catch (error) {
      if (!(error instanceof TypeError)) form.retry = null; // refused: a new attempt is a new request
      throw error;
    }
  }

  function orderForm(form) {
    const box = document.getElementById("preview");
    let asked = 0;
    let relToByHand = false;
    const preview = async () => {
      const data = fields(form);
      if (!data.action || !data.unit) return;
      const mine = ++asked;
      try {
        const plan = await api(base + "/orders/preview", "POST", orderBody(data));
        if (mine !== asked) return;
        renderPreview(box, plan);
        if (!relToByHand) preselectRelTo(form, plan, data.unit);
      } catch (error) {
        if (mine === asked) box.replaceChildren(el("p", "error", error.message));
      }
    };
    form.action.addEventListener("change", preview);
    form.unit.addEventListener("change", () => { relToByHand = false; preview(); });
    form.querySelectorAll('input[name="rel_to"]').forEach((check) => {
      check.addEventListener("change", () => { relToByHand = true; });
    });
    preview(); // the browser may have kept the choices of an earlier visit
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = fields(form);
      try {
        const order = await postOnce(form, base + "/orders", orderBody(data));
        upsert(order);
        say(form, S.order_result + " #" + order.id + ": " + (S["status_" + order.status] || order.status));
      } catch (error) {
        say(form, error.message, true);
      }
    });
  }

  function orderBody(data) { // what the order form sends, to /orders and (for its verdict) /orders/preview
    return {action: data.action, unit: data.unit, subject: data.subject || null, body: data.body,
      classification: data.classification, rel_to: data.rel_to};
  }

  // --- plain JSON forms --------------------------------------------------------------------------

  function jsonForm(id, send) {
    const form = document.getElementById(id);
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        say(form, await send(fields(form), form));
      } catch (error) {
        say(form, error.message, true);
      }
    });
  }

  jsonForm("create-exercise", async (data) => {
    const created = await api("/api/exercises", "POST", {
      name: data.name, arrangement: data.arrangement, scenario: data.scenario || null,
      situation: data.situation || null, reforms: data.reforms || [],
      auto_injects: (data.auto_injects || []).length > 0,
      auto_approvals: (data.auto_approvals || []).length > 0,
    });
    window.location.href = "/exercises/" + created.id + "/control";
    return "#" + created.id;
  });

  jsonForm("message-form", async (data, form) => {
    const m = await postOnce(form, base + "/messages", data);
    upsert(m);
    return S["kind_" + m.kind] + " #" + m.id + ": " + S.sent;
  });

  jsonForm("situation-form", async (data) => {
    const state = await api(base + "/situation", "POST", data);
    showExercise(state);
    return N.situation[state.situation] || state.situation;
  });

  jsonForm("seat-form", async (data) => {
    const seat = await api(base + "/seats", "POST", data);
    const row = el("tr");
    [seat.user, N.org[seat.organization] || seat.organization, seat.nation, S["role_" + seat.role], seat.clearance]
      .forEach((v) => row.append(el("td", null, v)));
    document.querySelector("#seats tbody").append(row);
    if (live.seated) live.seated.push(seat.organization);
    return seat.user + " → " + seat.organization;
  });

  // --- control dashboard -------------------------------------------------------------------------

  // Checking the record reads the whole log: on a click, and at most every 15 s as the exercise moves on.
  let lastCheck = 0;
  let checkLater = null;
  function refreshLogStatus(byHand) {
    const wait = lastCheck + 15000 - Date.now();
    if (byHand === true || wait <= 0) return checkLog();
    if (!checkLater) checkLater = setTimeout(() => { checkLater = null; checkLog(); }, wait);
  }

  async function checkLog() {
    const node = document.getElementById("log-status");
    if (!node) return;
    lastCheck = Date.now();
    try {
      const v = await api(base + "/log/verify");
      node.textContent = (v.ok ? S.log_ok : S.log_bad) + " · " + v.entries + " " + S.entries;
      node.className = v.ok ? "ok" : "bad";
      const list = document.getElementById("log-problems");
      const all = v.problems.concat(v.database_problems.map((p) => S.database_problem + ": " + p));
      if (list) list.replaceChildren(...all.map((p) => el("li", null, p)));
      const frozen = document.getElementById("frozen");
      if (frozen) {
        frozen.hidden = !v.frozen;
        frozen.textContent = v.frozen ? S.frozen + " (" + v.frozen_since + "): " + v.reason : "";
      }
    } catch (error) {
      node.textContent = error.message;
    }
  }

  function controlDashboard() {
    const buttons = document.getElementById("clock-buttons");
    if (!buttons) return;
    buttons.addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-clock]");
      if (!button) return;
      const out = document.getElementById("clock-result");
      const body = {action: button.dataset.clock};
      if (body.action === "speed") body.speed = Number(document.getElementById("speed").value);
      try {
        const state = await api(base + "/clock", "POST", body);
        showExercise({clock: state});
        out.textContent = S["state_" + state.state];
        out.classList.remove("error");
      } catch (error) {
        out.textContent = error.message;
        out.classList.add("error");
      }
    });
    document.getElementById("timeline").addEventListener("click", async (event) => {
      const button = event.target.closest("button[data-release]");
      if (!button) return;
      button.disabled = true;
      try {
        const m = await api(base + "/injects", "POST", {inject_id: button.dataset.release});
        upsert(m); // marks the timeline row released
      } catch (error) {
        button.disabled = false;
        alert(error.message);
      }
    });
    document.getElementById("verify-log").addEventListener("click", () => refreshLogStatus(true));
    grantUnseated();
    autoSwitch("auto-injects", "/injects/auto", "auto_injects");
    autoSwitch("auto-approvals", "/approvals/auto", "auto_approvals");
  }

  function grantUnseated() { // control decides every pending approval whose holders nobody sits in
    const button = document.getElementById("grant-unseated");
    if (!button) return;
    const out = document.getElementById("grant-unseated-result");
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        const granted = await api(base + "/approvals/grant-unseated", "POST", {note: ""});
        granted.forEach(upsert);
        out.textContent = fill(S.granted_count, {n: granted.length});
        out.classList.remove("error");
      } catch (error) {
        out.textContent = error.message;
        out.classList.add("error");
      } finally {
        button.disabled = false;
      }
    });
  }

  // A control switch for what the clock does by itself: injects released, unseated approvals granted.
  function autoSwitch(id, path, field) {
    const box = document.getElementById(id);
    if (!box) return;
    const out = document.getElementById(id + "-result");
    box.addEventListener("change", async () => {
      const wanted = box.checked;
      box.disabled = true;
      try {
        const state = await api(base + path, "POST", {enabled: wanted});
        box.checked = !!state[field];
        out.textContent = box.checked ? S[field + "_on"] : S[field + "_off"];
        out.classList.remove("error");
      } catch (error) {
        box.checked = !wanted;
        out.textContent = error.message;
        out.classList.add("error");
      } finally {
        box.disabled = false;
      }
    });
  }

  if (live) {
    cueApprovals();
    const form = document.getElementById("order-form");
    if (form) orderForm(form);
    controlDashboard();
    connect();
    tick();
    setInterval(tick, 1000);
  }
})();
