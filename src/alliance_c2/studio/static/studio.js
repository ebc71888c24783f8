// Alliance C2 studio: forms over an arrangement, each edit sent to the server, which validates it as
// `alliance-c2 validate` does and recomputes the level, the law and the answer. No framework, no build step.
"use strict";

(function () {
  const boot = JSON.parse(document.getElementById("studio-data").textContent);
  const S = boot.strings;
  const ja = boot.lang === "ja";
  const sitName = Object.fromEntries(boot.situations);
  const reformName = Object.fromEntries(boot.reforms);
  const scenName = boot.scenarios;
  let draft = null;
  let view = null;
  let busy = false;

  const $ = (id) => document.getElementById(id);
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
  }
  function pick(obj, key) { return ja ? (obj[key + "_ja"] || obj[key + "_en"]) : obj[key + "_en"]; }
  function num(v, digits) { return v === null || v === undefined ? "—" : Number(v).toFixed(digits); }
  function verdictWord(v) { return v ? (S[v] || v) : "—"; }

  async function call(path, method, body) {
    const options = {method: method || "GET", headers: {}};
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const data = await response.json().catch(() => ({problems: [{message: response.statusText}]}));
    if (!response.ok) { const err = new Error("refused"); err.data = data; err.status = response.status; throw err; }
    return data;
  }

  function status(text) { $("status").textContent = text; }

  function showProblems(list, problems, prefix) {
    list.replaceChildren();
    document.querySelectorAll("#" + prefix + "-form .err").forEach((n) => { n.textContent = ""; });
    document.querySelectorAll("#" + prefix + "-form [aria-invalid]").forEach((n) => n.removeAttribute("aria-invalid"));
    for (const p of problems || []) {
      const key = p.key;
      const fieldErr = key ? document.getElementById(prefix === "org" ? "err-org-" + key : "err-" + key) : null;
      if (fieldErr) {
        fieldErr.textContent = p.message;
        const input = document.querySelector("#" + prefix + "-form [name='" + key + "']");
        if (input) input.setAttribute("aria-invalid", "true");
      } else {
        list.appendChild(el("li", p.text || p.message));
      }
    }
  }

  async function run(work, list, prefix) {
    if (busy) return;
    busy = true;
    const started = performance.now();
    status(S.computing);
    document.body.classList.add("busy");
    try {
      view = await work();
      draft = view.draft;
      if (list) showProblems(list, [], prefix);
      render();
      status(fill(S.computed, {seconds: ((performance.now() - started) / 1000).toFixed(1),
        runs: view.outcome.runs_total}));
    } catch (err) {
      status("");
      const problems = (err.data && err.data.problems) || [{message: String(err)}];
      if (list) showProblems(list, problems, prefix);
    } finally {
      busy = false;
      document.body.classList.remove("busy");
    }
  }

  // --- opening -----------------------------------------------------------------------------------
  $("open-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run(() => call("/studio/api/drafts", "POST", {bundled: $("open-bundled").value}), $("open-problems"), "open");
  });
  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) return;
    if (file.size > 2 * 1024 * 1024) {
      showProblems($("open-problems"), [{message: file.name + ":1: file too large (more than 2 MiB, the limit for uploads)"}], "open");
      return;
    }
    const text = await file.text();
    run(() => call("/studio/api/drafts", "POST", {yaml: text, name: file.name}), $("open-problems"), "open");
  });

  // --- editing -----------------------------------------------------------------------------------
  function edit(body, list, prefix) {
    return run(() => call("/studio/api/drafts/" + draft + "/edit", "POST", body), list, prefix);
  }

  function relationFromForm() {
    const form = $("relation-form");
    const always = $("rel-always").checked;
    const active = Array.from(form.querySelectorAll("input[name=active_in]:checked")).map((n) => n.value);
    return {
      from: $("rel-from").value, to: $("rel-to").value, kind: $("rel-kind").value,
      active_in: always ? null : active, assumption: $("rel-assumption").checked, source: $("rel-source").value,
    };
  }

  function resetRelationForm() {
    $("rel-index").value = "";
    $("rel-submit").textContent = S.add_relation;
    $("rel-cancel").hidden = true;
  }

  $("relation-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const index = $("rel-index").value;
    const body = index === "" ? {op: "add-relation", relation: relationFromForm()}
      : {op: "change-relation", index: Number(index), relation: relationFromForm()};
    edit(body, $("rel-problems"), "rel").then(() => { if (!$("rel-problems").children.length) resetRelationForm(); });
  });
  $("rel-cancel").addEventListener("click", resetRelationForm);
  $("rel-always").addEventListener("change", () => {
    if ($("rel-always").checked) document.querySelectorAll("input[name=active_in]").forEach((n) => { n.checked = false; });
  });
  document.querySelectorAll("input[name=active_in]").forEach((n) => n.addEventListener("change", () => {
    if (n.checked) $("rel-always").checked = false;
  }));

  $("org-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const get = (k) => $("org-" + k).value.trim();
    edit({op: "add-organization", organization: {id: get("id"), name_en: get("name_en"), name_ja: get("name_ja"),
      nation: get("nation"), kind: $("org-kind").value, assumption: $("org-assumption").checked, source: get("source")}},
    $("org-problems"), "org");
  });

  $("reforms").addEventListener("change", () => {
    const on = Array.from(document.querySelectorAll("input[name=reform]:checked")).map((n) => n.value);
    edit({op: "set-reforms", reforms: on}, $("reform-problems"), "reform");
  });

  $("undo").addEventListener("click", () => run(() => call("/studio/api/drafts/" + draft + "/undo", "POST")));
  $("redo").addEventListener("click", () => run(() => call("/studio/api/drafts/" + draft + "/redo", "POST")));
  document.addEventListener("keydown", (e) => {
    if (!draft || !(e.ctrlKey || e.metaKey)) return;
    const tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" && e.target.type === "text" || tag === "textarea") return;
    const key = e.key.toLowerCase();
    if (key === "z" && !e.shiftKey) { e.preventDefault(); $("undo").click(); }
    else if ((key === "z" && e.shiftKey) || key === "y") { e.preventDefault(); $("redo").click(); }
  });
  $("report").addEventListener("click", async () => {
    status(S.report_wait);
    try {
      const data = await call("/studio/api/drafts/" + draft + "/report" + (ja ? "?lang=ja" : ""), "POST");
      window.open(data.url, "_blank");
      status("");
    } catch (err) { status((err.data && err.data.problems && err.data.problems[0].message) || String(err)); }
  });
  $("diagram-situation").addEventListener("change", loadDiagram);

  async function loadDiagram() {
    if (!draft) return;
    const response = await fetch("/studio/api/drafts/" + draft + "/diagram.svg?situation=" +
      encodeURIComponent($("diagram-situation").value) + (ja ? "&lang=ja" : ""));
    $("diagram").innerHTML = response.ok ? await response.text() : "";
  }

  // --- rendering ---------------------------------------------------------------------------------
  function render() {
    $("workspace").hidden = false;
    document.body.dataset.updates = String(Number(document.body.dataset.updates || 0) + 1);
    document.body.dataset.position = String(view.position);
    const data = view.data;
    const out = view.outcome;
    $("editing-name").textContent = (ja ? out.short_ja : out.short_en) + " (" + data.id + ")";
    $("undo").disabled = !view.can_undo;
    $("redo").disabled = !view.can_redo;
    $("download").href = "/studio/api/drafts/" + draft + "/arrangement.yaml";
    $("download").setAttribute("download", data.id + ".yaml");
    renderOrganizations(data);
    renderRelations(data);
    for (const box of document.querySelectorAll("input[name=reform]")) box.checked = (data.presupposes_reforms || []).includes(box.value);
    const warnings = $("warnings");
    warnings.replaceChildren(...(view.warnings || []).slice(0, 8).map((w) => el("li", w.message)));
    $("bottom-line").textContent = pick(out, "bottom_line");
    $("bottom-line-rule").textContent = pick(out, "bottom_line_rule");
    const reissued = $("reissued");
    reissued.hidden = !(out.refused_and_reissued && out.reforms_that_would_lift.length);
    reissued.textContent = fill(S.reissued, {reforms: out.reforms_that_would_lift.map((r) => reformName[r] || r).join(", ")});
    renderChanges();
    renderLevels(out);
    renderScenarios(out);
    renderConstraints(out);
    loadDiagram();
  }

  function option(value, label, selected) {
    const o = el("option", label);
    o.value = value;
    if (selected) o.selected = true;
    return o;
  }

  function renderOrganizations(data) {
    const orgs = data.organizations || [];
    for (const id of ["rel-from", "rel-to"]) {
      const select = $(id);
      const keep = select.value;
      select.replaceChildren(...orgs.map((o) => option(o.id, o.id + " — " + (ja ? (o.name_ja || o.name_en) : o.name_en), o.id === keep)));
    }
    const body = $("organizations");
    body.replaceChildren();
    for (const o of orgs) {
      const tr = el("tr");
      tr.appendChild(el("td", o.id));
      tr.appendChild(el("td", o.nation || (o.nations || []).join("/")));
      tr.appendChild(el("td", o.kind));
      const cell = el("td");
      if (["headquarters", "component-command", "unit"].includes(o.kind)) {
        const box = el("input");
        box.type = "checkbox";
        box.checked = !!o.combined;
        box.setAttribute("aria-label", S.combined + ": " + o.id);
        box.addEventListener("change", () => edit({op: "set-combined", id: o.id, combined: box.checked}, $("org-problems"), "org"));
        cell.appendChild(box);
      }
      tr.appendChild(cell);
      const remove = el("button", S.remove);
      remove.type = "button";
      remove.setAttribute("aria-label", S.remove + ": " + o.id);
      remove.addEventListener("click", () => edit({op: "remove-organization", id: o.id}, $("org-problems"), "org"));
      const td = el("td");
      td.appendChild(remove);
      tr.appendChild(td);
      body.appendChild(tr);
    }
  }

  function renderRelations(data) {
    const body = $("relations");
    body.replaceChildren();
    (data.relations || []).forEach((r, i) => {
      const tr = el("tr");
      tr.dataset.index = String(i);
      tr.appendChild(el("td", r.from));
      tr.appendChild(el("td", r.to));
      tr.appendChild(el("td", r.kind));
      tr.appendChild(el("td", r.active_in ? r.active_in.map((s) => sitName[s] || s).join(", ") : S.always));
      const td = el("td");
      const change = el("button", S.edit);
      change.type = "button";
      change.setAttribute("aria-label", S.edit + ": " + r.kind + " " + r.from + " → " + r.to);
      change.addEventListener("click", () => {
        $("rel-index").value = String(i);
        $("rel-from").value = r.from;
        $("rel-to").value = r.to;
        $("rel-kind").value = r.kind;
        $("rel-always").checked = !r.active_in;
        document.querySelectorAll("input[name=active_in]").forEach((n) => { n.checked = !!(r.active_in && r.active_in.includes(n.value)); });
        $("rel-assumption").checked = !!r.assumption;
        $("rel-source").value = r.source || "";
        $("rel-submit").textContent = S.save_relation;
        $("rel-cancel").hidden = false;
        $("rel-from").focus();
      });
      const remove = el("button", S.remove);
      remove.type = "button";
      remove.setAttribute("aria-label", S.remove + ": " + r.kind + " " + r.from + " → " + r.to);
      remove.addEventListener("click", () => edit({op: "remove-relation", index: i}, $("rel-problems"), "rel"));
      td.appendChild(change);
      td.appendChild(remove);
      tr.appendChild(td);
      body.appendChild(tr);
    });
  }

  function changeItems(diff) {
    const items = [];
    for (const x of diff.levels) items.push(fill(S.level_in, {situation: sitName[x.situation] || x.situation, before: x.before, after: x.after}));
    for (const x of diff.verdicts) {
      const word = (v, c) => verdictWord(v) + (c ? " (" + S["criterion_" + c] + ")" : "");
      items.push(fill(S.verdict_in, {scenario: scenName[x.scenario] || x.scenario, before: word(x.before, x.before_criterion), after: word(x.after, x.after_criterion)}));
    }
    for (const x of diff.refused) items.push(fill(S.refused_in, {scenario: scenName[x.scenario] || x.scenario, before: num(x.before, 1), after: num(x.after, 1)}));
    for (const x of diff.bodies) items.push(fill(S.carried_by, {situation: sitName[x.situation] || x.situation, before: x.before || S.none, after: x.after || S.none}));
    return items.length ? items : [S.nothing_changed];
  }

  function renderChanges() {
    const ch = view.changes;
    $("absorbed").hidden = !ch.absorbed;
    $("changes-previous").replaceChildren(...changeItems(ch.previous).map((t) => el("li", t)));
    $("changes-today").replaceChildren(...changeItems(ch.today).map((t) => el("li", t)));
  }

  function renderLevels(out) {
    $("levels").replaceChildren(...out.levels.map((x) => {
      const tr = el("tr");
      tr.dataset.situation = x.situation;
      tr.appendChild(el("td", sitName[x.situation] || x.situation));
      const level = el("td", (ja ? x.name_ja : x.name_en) + " (" + x.level + ")", "lvl-" + x.level);
      level.dataset.level = x.level;
      tr.appendChild(level);
      tr.appendChild(el("td", ja ? x.definition_ja : x.definition_en, "small"));
      tr.appendChild(el("td", (ja ? x.evidence_ja : x.evidence_en).join("; "), "small"));
      return tr;
    }));
  }

  function renderScenarios(out) {
    $("scenarios").replaceChildren(...out.scenarios.map((x) => {
      const tr = el("tr");
      tr.dataset.scenario = x.id;
      tr.appendChild(el("td", ja ? x.name_ja : x.name_en));
      const v = el("td", verdictWord(x.verdict) + (x.criterion ? " (" + S["criterion_" + x.criterion] + ")" : ""), "verdict-" + x.verdict);
      v.dataset.verdict = x.verdict || "";
      tr.appendChild(v);
      const d = x.difference;
      tr.appendChild(el("td", d ? num(d.mean, 1) + " [" + num(d.low, 1) + ", " + num(d.high, 1) + "]" : "—", "num"));
      const s = x.deadline_difference;
      tr.appendChild(el("td", s ? num(s.mean, 2) + " [" + num(s.low, 2) + ", " + num(s.high, 2) + "]" : "—", "num"));
      tr.appendChild(el("td", num(x.refused, 1), "num"));
      tr.appendChild(el("td", String(x.runs), "num"));
      return tr;
    }));
  }

  function renderConstraints(out) {
    const names = (ids) => ids.length ? ids.map((s) => scenName[s] || s).join(", ") : S.none;
    const reforms = (ids) => ids.length ? ids.map((r) => reformName[r] || r).join(", ") : S.none;
    $("constraints").replaceChildren(...out.constraints.map((c) => {
      const tr = el("tr");
      tr.appendChild(el("td", c.id.split("-")[0] + " " + (ja ? c.name_ja : c.name_en)));
      tr.appendChild(el("td", names(c.blocks_in)));
      tr.appendChild(el("td", names(c.raised_in)));
      tr.appendChild(el("td", reforms(c.lifted_by)));
      tr.appendChild(el("td", reforms(c.eased_by)));
      return tr;
    }));
  }
})();
