// gwf web app: talks to the JSON API (docs/api.md); no libraries.
"use strict";
const $ = (id) => document.getElementById(id);

async function api(method, url, body) {
  const opts = { method, headers: {} };
  if (body !== undefined) {
    opts.headers["Content-Type"] = "application/json";
    opts.body = JSON.stringify(body);
  }
  const resp = await fetch(url, opts);
  if (resp.status === 204) return null;
  const data = await resp.json();
  if (!resp.ok) {
    const lines = [data.error || resp.statusText];
    for (const e of data.errors || []) lines.push(e.message);
    throw new Error(lines.join("\n"));
  }
  return data;
}

function showError(err) { $("errors").textContent = err ? err.message : ""; }

function keys() { return Array.from(document.querySelectorAll(".key")); }

function keyInput(k) { return k.querySelector("input[type=number], input[type=date]"); }

function markChanged() {
  for (const k of keys()) k.classList.toggle("changed", keyInput(k).value !== k.dataset.initial);
}

function setKeys(sc) {
  const byPath = {};
  for (const kn of sc.key_numbers || []) byPath[kn.path] = kn;
  for (const k of keys()) {
    let v;
    if (k.dataset.date) v = sc.target_by;
    else if (byPath[k.dataset.path]) v = String(+byPath[k.dataset.path].value.toFixed(6));
    else continue;
    k.dataset.initial = v;
    keyInput(k).value = v;
    const slider = k.querySelector("input[type=range]");
    if (slider) slider.value = v;
  }
  markChanged();
}

function overrides() {
  const out = {};
  for (const k of keys()) {
    const v = keyInput(k).value.trim();
    if (v === "" || v === k.dataset.initial) continue;
    out[k.dataset.path] = k.dataset.date ? v : v + " " + k.dataset.unit;
  }
  for (const line of $("more").value.split("\n")) {
    const i = line.indexOf(":");
    if (line.trim() === "") continue;
    if (i < 0) throw new Error('more changes: want "field.path: value", got "' + line + '"');
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function fmtDate(d) { return d || "never"; }

function showRun(run) {
  $("gw-date").textContent = fmtDate(run.gw_per_week_date);
  $("tengw-date").textContent = fmtDate(run.ten_gw_online_date);
  $("final-gw").textContent = (run.final_mw / 1000).toFixed(1) + " GW";
  $("run-label").textContent = "#" + run.id + " " + run.name;
  $("report").src = "/runs/" + run.id + "/report";
}

function runRow(run) {
  const tr = document.createElement("tr");
  tr.dataset.id = run.id;
  const cells = [null, "#" + run.id, run.name, fmtDate(run.gw_per_week_date), fmtDate(run.ten_gw_online_date), null];
  cells.forEach((text, i) => {
    const td = document.createElement("td");
    if (i === 0) {
      const cb = document.createElement("input");
      cb.type = "checkbox"; cb.className = "pick"; cb.value = run.id;
      td.appendChild(cb);
    } else if (i === 5) {
      for (const [label, fn] of [["view", viewRun], ["rename", renameRun], ["delete", deleteRun]]) {
        const b = document.createElement("button");
        b.type = "button"; b.textContent = label; b.className = label;
        b.onclick = () => fn(run.id).catch(showError);
        td.appendChild(b);
      }
    } else {
      td.textContent = text;
      if (i === 2) td.className = "name";
    }
    tr.appendChild(td);
  });
  return tr;
}

async function refreshRuns() {
  const data = await api("GET", "/api/runs");
  const body = $("runs").querySelector("tbody");
  body.replaceChildren(...data.runs.map(runRow));
}

async function viewRun(id) { showRun(await api("GET", "/api/runs/" + id)); }

async function renameRun(id) {
  const name = prompt("New name for run #" + id);
  if (!name) return;
  await api("PATCH", "/api/runs/" + id, { name });
  await refreshRuns();
}

async function deleteRun(id) {
  if (!confirm("Delete run #" + id + "?")) return;
  await api("DELETE", "/api/runs/" + id);
  await refreshRuns();
}

async function run(ev) {
  ev.preventDefault();
  showError(null);
  $("run-button").disabled = true;
  try {
    const body = { scenario_id: +$("scenario").value, overrides: overrides() };
    if ($("run-name").value.trim()) body.name = $("run-name").value.trim();
    const r = await api("POST", "/api/runs", body);
    showRun(r);
    await refreshRuns();
  } catch (err) {
    showError(err);
  } finally {
    $("run-button").disabled = false;
  }
}

async function compare() {
  showError(null);
  const ids = Array.from(document.querySelectorAll(".pick:checked")).map((c) => +c.value).sort((x, y) => x - y);
  if (ids.length !== 2) { showError(new Error("tick exactly two runs to compare")); return; }
  const c = await api("GET", "/api/compare?a=" + ids[0] + "&b=" + ids[1]);
  const t = document.createElement("table");
  t.id = "compare-table";
  const row = (cells, cls, tag = "td") => {
    const tr = document.createElement("tr");
    if (cls) tr.className = cls;
    for (const x of cells) { const td = document.createElement(tag); td.textContent = x; tr.appendChild(td); }
    t.appendChild(tr);
  };
  row(["", "#" + c.a.id + " " + c.a.name, "#" + c.b.id + " " + c.b.name], "", "th");
  for (const [label, f] of [["1 GW/week sustained", "gw_per_week_date"], ["10 GW online", "ten_gw_online_date"]]) {
    const a = fmtDate(c.a[f]), b = fmtDate(c.b[f]);
    row([label, a, b], a !== b ? "changed" : "");
  }
  row(["Online at end", (c.a.final_mw / 1000).toFixed(1) + " GW", (c.b.final_mw / 1000).toFixed(1) + " GW"]);
  row(["Inputs that differ (" + c.differences.length + ")", "", ""], "", "th");
  for (const d of c.differences) row([d.path, d.a || "(unset)", d.b || "(unset)"], "diff");
  $("compare").replaceChildren(t);
}

async function upload() {
  showError(null);
  const sc = await api("POST", "/api/scenarios", { source: $("upload-source").value });
  const opt = document.createElement("option");
  opt.value = sc.id; opt.textContent = sc.name + " (#" + sc.id + ")";
  $("scenario").appendChild(opt);
  $("scenario").value = sc.id;
  setKeys(sc);
}

let mcJob = null;

function showJob(j) {
  $("mc-progress").max = j.runs;
  $("mc-progress").value = j.done;
  $("mc-status").textContent = "#" + j.id + " " + j.status + ": " + j.done + " of " + j.runs + " runs, " + (j.elapsed_ms / 1000).toFixed(1) + " s";
  $("mc-cancel").disabled = j.status !== "running";
  if (!j.result) return;
  const t = document.createElement("table");
  t.id = "mc-table";
  const row = (cells, tag = "td") => {
    const tr = document.createElement("tr");
    for (const x of cells) { const td = document.createElement(tag); td.textContent = x; tr.appendChild(td); }
    t.appendChild(tr);
  };
  row(["Milestone", "Runs reaching it", "P10", "P50", "P90"], "th");
  for (const m of j.result.milestones) {
    row([m.label, m.reached + " (" + Math.round(100 * m.share) + "%)", m.p10 || "never", m.p50 || "never", m.p90 || "never"]);
  }
  $("mc-result").replaceChildren(t);
}

async function startMC() {
  showError(null);
  const body = { scenario_id: +$("scenario").value, overrides: overrides(), runs: +$("mc-runs").value };
  mcJob = await api("POST", "/api/mc", body);
  $("mc-result").replaceChildren();
  showJob(mcJob);
  $("mc-button").disabled = true;
  while (mcJob.status === "running") {
    await new Promise((r) => setTimeout(r, 250));
    mcJob = await api("GET", "/api/mc/" + mcJob.id);
    showJob(mcJob);
  }
  $("mc-button").disabled = false;
}

function init() {
  for (const k of keys()) {
    const slider = k.querySelector("input[type=range]");
    const box = keyInput(k);
    if (slider) slider.addEventListener("input", () => { box.value = slider.value; markChanged(); });
    box.addEventListener("input", () => { if (slider) slider.value = box.value; markChanged(); });
  }
  $("run-form").addEventListener("submit", run);
  $("mc-button").addEventListener("click", () => startMC().catch((err) => { $("mc-button").disabled = false; showError(err); }));
  $("mc-cancel").addEventListener("click", () => { if (mcJob) api("DELETE", "/api/mc/" + mcJob.id).catch(showError); });
  $("compare-button").addEventListener("click", () => compare().catch(showError));
  $("upload-button").addEventListener("click", () => upload().catch(showError));
  $("upload-file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (f) $("upload-source").value = await f.text();
  });
  $("scenario").addEventListener("change", async () => {
    try { setKeys(await api("GET", "/api/scenarios/" + $("scenario").value)); } catch (err) { showError(err); }
  });
  refreshRuns().catch(showError);
}

init();
