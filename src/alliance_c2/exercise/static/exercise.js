// Alliance C2 exercise pages: JSON API calls with the session's CSRF token, the seat's live
// event stream, the order preview, the control dashboard. No framework, no build step.
"use strict";

(function () {
  const csrf = document.body.dataset.csrf || "";
  const liveNode = document.getElementById("live-data");
  const live = liveNode ? JSON.parse(liveNode.textContent) : null;
  const S = live ? live.strings : {};
  const N = live ? live.names : {org: {}, action: {}, situation: {}, approval: {}, constraint: {}};
  const base = live ? "/api/exercises/" + live.exercise : "";

  async function api(path, method, body) {
    const options = {method: method || "GET", headers: {"X-CSRF-Token": csrf}, credentials: "same-origin"};
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

  function placeOf(m) { // mirrors pages.place_of
    if (m.kind === "approval" && m.status === "pending" && (live.control || m.recipients.includes(live.organization))) return "approvals";
    if (m.kind === "inject") return "injects";
    return m.sender === live.organization ? "outbox" : "inbox";
  }

  function messageItem(m, decide) {
    const li = el("li", "message kind-" + m.kind + " status-" + m.status);
    li.dataset.id = m.id;
    li.append(el("span", "marking", m.marking), " ", el("strong", "kind", S["kind_" + m.kind] || m.kind), " #" + m.id + " ");
    li.append(el("span", "route", (N.org[m.sender] || m.sender) + " → " + m.recipients.map((r) => N.org[r] || r).join(", ")), " ");
    li.append(el("span", "subject", m.subject), " ");
    if (m.action) li.append(el("span", "what", (N.action[m.action] || m.action) + " · " + (N.org[m.unit] || m.unit)), " ");
    if (m.approval) li.append(el("span", "what", N.approval[m.approval] || m.approval), " ");
    li.append(el("em", "status", S["status_" + m.status] || m.status));
    const reasons = m.verdict && m.verdict.reasons;
    if (reasons && reasons.length) {
      const ul = el("ul", "reasons");
      reasons.forEach((r) => ul.append(el("li", null, r)));
      li.append(ul);
    }
    if (decide && live.control && live.seated && !m.recipients.some((r) => live.seated.includes(r))) {
      li.append(" ", el("span", "note", S.unseated));
    }
    if (decide) {
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

  function upsert(m) {
    document.querySelectorAll('li.message[data-id="' + m.id + '"]').forEach((node) => node.remove());
    const traffic = document.getElementById("list-traffic");
    if (traffic) traffic.prepend(messageItem(m, false));
    const place = placeOf(m);
    const list = document.getElementById("list-" + place);
    if (!list || (traffic && place !== "approvals")) return;
    const item = messageItem(m, place === "approvals");
    item.classList.add("fresh");
    if (place === "inbox" || place === "outbox") list.prepend(item); else list.append(item);
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
    if (state.situation) {
      const node = document.getElementById("situation");
      if (node) node.textContent = N.situation[state.situation] || state.situation;
    }
    if (state.clock) {
      clock = Object.assign({receivedAt: Date.now()}, state.clock);
      const stateNode = document.getElementById("clock-state");
      if (stateNode) stateNode.textContent = S["state_" + clock.state] || clock.state;
      const speedNode = document.getElementById("clock-speed");
      if (speedNode) speedNode.textContent = clock.speed;
    }
    if (live && live.control) refreshLogStatus();
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
    source.addEventListener("message", (event) => upsert(JSON.parse(event.data)));
    source.addEventListener("exercise", (event) => { mark(true); showExercise(JSON.parse(event.data)); });
    source.addEventListener("end", (event) => {
      if (JSON.parse(event.data).reason.startsWith("login")) { source.close(); mark(false); }
    });
  }

  // --- the order form and its legal preview ------------------------------------------------------

  function renderPreview(box, plan) {
    box.replaceChildren();
    box.append(el("p", plan.allowed ? "verdict allowed" : "verdict refused", plan.allowed ? S.allowed : S.not_allowed));
    if (plan.reasons.length) {
      box.append(el("h4", null, S.reasons));
      const ul = el("ul", "reasons");
      plan.reasons.forEach((r) => ul.append(el("li", null, r)));
      box.append(ul);
    }
    if (plan.approvals.length) {
      box.append(el("h4", null, S.approvals_in_order));
      const ol = el("ol", "approvals");
      plan.approvals.forEach((a) => {
        const holders = a.holders.length ? a.holders.map((h) => N.org[h] || h).join(", ") : S.control_plays;
        ol.append(el("li", "phase-" + a.phase, (N.approval[a.approval] || a.approval) + " — " + S.held_by + ": " + holders + " (" + (a.phase === "after" ? S.after : S.before) + ")"));
      });
      box.append(ol);
    }
    const findings = (plan.verdict && plan.verdict.findings) || [];
    if (findings.length) {
      box.append(el("h4", null, S.findings));
      const ul = el("ul", "findings");
      findings.forEach((f) => {
        const text = live.lang === "ja" && f.message_ja ? f.message_ja : f.message;
        ul.append(el("li", "severity-" + f.severity, f.constraint + " [" + f.severity + "] " + text));
      });
      box.append(ul);
    }
    if (plan.deliver_to.length) box.append(el("p", "deliver", S.delivered_to + ": " + plan.deliver_to.map((o) => N.org[o] || o).join(" → ")));
  }

  function orderForm(form) {
    const box = document.getElementById("preview");
    let asked = 0;
    const preview = async () => {
      const data = fields(form);
      if (!data.action || !data.unit) return;
      const mine = ++asked;
      try {
        const plan = await api(base + "/orders/preview", "POST", {action: data.action, unit: data.unit});
        if (mine === asked) renderPreview(box, plan);
      } catch (error) {
        if (mine === asked) box.replaceChildren(el("p", "error", error.message));
      }
    };
    form.action.addEventListener("change", preview);
    form.unit.addEventListener("change", preview);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = fields(form);
      try {
        const order = await api(base + "/orders", "POST", {
          action: data.action, unit: data.unit, subject: data.subject, body: data.body,
          classification: data.classification, rel_to: data.rel_to,
        });
        upsert(order);
        say(form, S.order_result + " #" + order.id + ": " + (S["status_" + order.status] || order.status));
      } catch (error) {
        say(form, error.message, true);
      }
    });
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
    const created = await api("/api/exercises", "POST", {name: data.name, arrangement: data.arrangement, scenario: data.scenario || null});
    window.location.href = "/exercises/" + created.id + "/control";
    return "#" + created.id;
  });

  jsonForm("message-form", async (data) => {
    const m = await api(base + "/messages", "POST", data);
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

  async function refreshLogStatus() {
    const node = document.getElementById("log-status");
    if (!node) return;
    try {
      const v = await api(base + "/log/verify");
      node.textContent = (v.ok ? S.log_ok : S.log_bad) + " · " + v.entries + " " + S.entries + (v.ok ? "" : " · " + v.reason);
      node.className = v.ok ? "ok" : "bad";
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
        button.parentElement.textContent = "#" + m.id;
        upsert(m);
      } catch (error) {
        button.disabled = false;
        alert(error.message);
      }
    });
    document.getElementById("verify-log").addEventListener("click", refreshLogStatus);
  }

  if (live) {
    const form = document.getElementById("order-form");
    if (form) orderForm(form);
    controlDashboard();
    connect();
    tick();
    setInterval(tick, 1000);
  }
})();
