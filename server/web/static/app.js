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

function fmtUSD(x) {
  if (!x) return "—";
  if (x >= 1e12) return "$" + (x / 1e12).toFixed(2) + " trillion";
  if (x >= 1e9) return "$" + (x / 1e9).toFixed(1) + " billion";
  return "$" + (x / 1e6).toFixed(0) + " million";
}

function fmtRate(mw) { return (mw / 1000).toFixed(2) + " GW/week"; }

let shownRun = null;

// answerOf says in one sentence what a run answers.
function answerOf(run) {
  const h = run.headline;
  if (h && h.answer) return h.answer; // summary.Headline's sentence, as gwf run prints it
  if (!h) return "Run #" + run.id + ": target rate sustained " + fmtDate(run.gw_per_week_date) + ".";
  let s;
  if (h.sustained_date) s = "Reaches " + h.target_rate + " and holds it from " + h.sustained_date;
  else if (h.first_quarter) s = "Reaches " + h.target_rate + " in " + h.first_quarter + " but does not hold it to " + h.horizon_end;
  else s = "Never reaches " + h.target_rate + " by " + h.horizon_end + ": the best is " + fmtRate(h.best_rate_mw);
  if (h.binds_now) s += "; " + h.binds_now + " binds at the end" + (h.binds_next ? ", then " + h.binds_next : "");
  return s + ". Capex " + fmtUSD(h.capex_usd) + (h.peak_funding_usd ? ", peak funding need " + fmtUSD(h.peak_funding_usd) : "") + ".";
}

// downloadLinks lists a stored result's tables (GET base/export) as links
// to the CSV and Parquet files and the Excel workbook gwf writes with
// --parquet and --xlsx.
function downloadLinks(base) {
  const p = document.createElement("p");
  p.className = "downloads";
  const link = (href, text, label) => {
    const a = document.createElement("a");
    a.href = href; a.textContent = text; a.setAttribute("download", "");
    if (label) a.setAttribute("aria-label", label);
    return a;
  };
  api("GET", base + "/export").then((d) => {
    p.append("Download: ", link(d.xlsx, "Excel workbook"));
    for (const t of d.tables) {
      p.append(" · " + t.name + " ", link(t.csv, "CSV", t.name + " as CSV"), " ", link(t.parquet, "Parquet", t.name + " as Parquet"));
    }
  }).catch(() => { p.textContent = ""; });
  return p;
}

function showRun(run) {
  shownRun = run.id;
  const h = run.headline || {};
  $("answer").textContent = answerOf(run);
  $("gw-label").textContent = (h.target_rate || "Target rate") + " sustained";
  $("gw-date").textContent = fmtDate(run.gw_per_week_date);
  $("quarter-date").textContent = h.first_quarter || (run.headline ? "never" : "—");
  $("best-rate").textContent = h.best_rate_mw ? fmtRate(h.best_rate_mw) + (h.best_rate_date ? " (" + h.best_rate_date + ")" : "") : "—";
  $("binds-now").textContent = run.headline ? (h.binds_now || "nothing") : "—";
  $("capex").textContent = fmtUSD(h.capex_usd);
  $("tengw-date").textContent = fmtDate(run.ten_gw_online_date);
  $("final-gw").textContent = (run.final_mw / 1000).toFixed(1) + " GW";
  $("run-label").textContent = "#" + run.id + " " + run.name;
  const a = document.createElement("a");
  a.href = "/runs/" + run.id + "/report"; a.target = "_blank"; a.rel = "noopener";
  a.textContent = "Full report of run #" + run.id + " (one HTML file, with the scenario's sources)";
  $("report-link").replaceChildren(a);
  drawCharts(run.id).catch(showError);
  $("run-downloads").replaceChildren(downloadLinks("/api/runs/" + run.id));
  history.replaceState(null, "", "#run=" + run.id);
}

let drawSeq = 0;

// drawCharts draws a run's charts in the page from their JSON (GET
// /api/runs/{id}/charts) with the chart library the page loaded once
// (window.gwfReport, the report's own script). When they have drawn,
// #charts gets data-drawn="ID" and data-drawn-at (performance.now()) once
// the charts on screen have drawn, data-all-drawn(-at) once all have.
async function drawCharts(id) {
  const seq = ++drawSeq;
  const box = $("charts");
  box.dataset.drawn = "";
  box.dataset.allDrawn = "";
  const c = await api("GET", "/api/runs/" + id + "/charts");
  if (seq !== drawSeq) return;
  box.dataset.fetchedAt = String(performance.now());
  if (!window.gwfReport) throw new Error("the chart library did not load: open the full report instead");
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  const parts = c.sections.map((sec) => {
    const s = el("section", "chart-section");
    s.append(el("h3", "", sec.title), el("p", "hint", sec.caption));
    const grid = el("div", "charts" + (sec.wide ? " wide" : ""));
    for (const b of sec.boxes) {
      const f = el("figure");
      if (b.title) f.append(el("figcaption", "chart-title", b.title));
      const d = el("div", "chart");
      d.id = b.id;
      d.style.height = b.height + "px";
      f.append(d);
      if (b.caption) f.append(el("p", "hint", b.caption));
      grid.append(f);
    }
    s.append(grid);
    for (const n of sec.notes || []) s.append(el("p", "hint", n));
    return s;
  });
  box.replaceChildren(...parts);
  box.dataset.laidOutAt = String(performance.now());
  window.gwfReport.draw(c, () => {
    if (seq !== drawSeq) return;
    box.dataset.allDrawnAt = String(performance.now());
    box.dataset.allDrawn = String(id);
  }, () => {
    if (seq !== drawSeq) return;
    box.dataset.drawnAt = String(performance.now());
    box.dataset.drawn = String(id);
  });
}

function clearRun() {
  shownRun = null;
  $("answer").textContent = "No run shown: press Run, or view one of the runs below.";
  for (const id of ["gw-date", "quarter-date", "best-rate", "binds-now", "capex", "tengw-date", "final-gw"]) $(id).textContent = "—";
  $("gw-label").textContent = "Target rate sustained";
  $("run-label").textContent = "none";
  drawSeq++;
  $("charts").replaceChildren();
  $("charts").dataset.drawn = "";
  $("report-link").replaceChildren();
  $("run-downloads").replaceChildren();
  history.replaceState(null, "", location.pathname);
}

function announce(text) { $("announce").textContent = text; }

function runRow(run) {
  const tr = document.createElement("tr");
  tr.dataset.id = run.id;
  const cells = [null, "#" + run.id, run.name, fmtDate(run.gw_per_week_date), fmtDate(run.ten_gw_online_date), null];
  cells.forEach((text, i) => {
    const td = document.createElement("td");
    if (i === 0) {
      const cb = document.createElement("input");
      cb.type = "checkbox"; cb.className = "pick"; cb.value = run.id;
      cb.setAttribute("aria-label", "Pick run #" + run.id + " to compare");
      td.appendChild(cb);
    } else if (i === 5) {
      for (const [label, fn] of [["view", viewRun], ["rename", renameRun], ["delete", deleteRun]]) {
        const b = document.createElement("button");
        b.type = "button"; b.textContent = label; b.className = label;
        b.setAttribute("aria-label", label + " run #" + run.id);
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

// olderThan is the next page's before= (GET /api/runs lists 100 runs a
// page, newest first), or null when every run is listed.
let olderThan = null;

function setOlder(data) {
  olderThan = data.next_before || null;
  $("runs-more").hidden = olderThan === null;
}

async function refreshRuns() {
  const data = await api("GET", "/api/runs");
  const body = $("runs").querySelector("tbody");
  body.replaceChildren(...data.runs.map(runRow));
  setOlder(data);
  return data.runs;
}

async function moreRuns() {
  if (olderThan === null) return;
  const data = await api("GET", "/api/runs?before=" + olderThan);
  $("runs").querySelector("tbody").append(...data.runs.map(runRow));
  setOlder(data);
}

// showFirst shows, on load, the run named in the address (#run=ID), else
// the newest stored run, else the reference scenario's (GET /api/runs/0),
// so the page answers at once.
async function showFirst(runs) {
  const m = /^#run=(\d+)$/.exec(location.hash);
  if (m) {
    try { showRun(await api("GET", "/api/runs/" + m[1])); return; } catch (err) { /* deleted since: fall back */ }
  }
  // Nothing stored yet: the built-in reference's run (id 0, not stored).
  showRun(runs.length > 0 ? runs[0] : await api("GET", "/api/runs/0"));
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
  if (shownRun === id) clearRun();
  announce("Run #" + id + " deleted.");
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
    $("charts").dataset.createdAt = String(performance.now());
    showRun(r);
    announce("Run #" + r.id + " finished. " + answerOf(r));
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

// fanChart draws GW online over time, P10–P90 shaded around the P50 line,
// as an SVG (no library). weekly is the study's weekly bands in MW (the
// JSON of gwf mc --json); every fourth week is drawn.
function fanChart(weekly) {
  const ns = "http://www.w3.org/2000/svg";
  const W = 600, H = 260, L = 48, B = 24, T = 10, R = 10;
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.setAttribute("role", "img");
  svg.id = "mc-fan-chart";
  const fan = (weekly || []).filter((_, i) => i % 4 === 0).map((w) => ({
    date: w.date, p10: w.online_mw.p10 / 1000, p50: w.online_mw.p50 / 1000, p90: w.online_mw.p90 / 1000,
  }));
  if (fan.length < 2) return svg;
  const top = Math.max(...fan.map((p) => p.p90)) || 1;
  const x = (i) => L + (W - L - R) * i / (fan.length - 1);
  const y = (v) => H - B - (H - B - T) * v / top;
  const band = fan.map((p, i) => x(i) + "," + y(p.p90)).concat(fan.slice().reverse().map((p, j) => x(fan.length - 1 - j) + "," + y(p.p10)));
  const poly = document.createElementNS(ns, "polygon");
  poly.setAttribute("points", band.join(" "));
  poly.setAttribute("fill", "#fca31155");
  svg.appendChild(poly);
  const line = document.createElementNS(ns, "polyline");
  line.setAttribute("points", fan.map((p, i) => x(i) + "," + y(p.p50)).join(" "));
  line.setAttribute("fill", "none"); line.setAttribute("stroke", "#14213d"); line.setAttribute("stroke-width", "2");
  svg.appendChild(line);
  const text = (tx, ty, s, anchor) => {
    const t = document.createElementNS(ns, "text");
    t.setAttribute("x", tx); t.setAttribute("y", ty); t.setAttribute("font-size", "12");
    if (anchor) t.setAttribute("text-anchor", anchor);
    t.textContent = s; svg.appendChild(t);
  };
  text(L - 4, y(top) + 10, top.toFixed(0) + " GW", "end");
  text(L - 4, y(0), "0", "end");
  text(L, H - 6, fan[0].date.slice(0, 4));
  text(W - R, H - 6, fan[fan.length - 1].date.slice(0, 4), "end");
  const title = document.createElementNS(ns, "title");
  const last = fan[fan.length - 1];
  title.textContent = "GW online over time: at the end P10 " + last.p10.toFixed(0) + ", P50 " + last.p50.toFixed(0) + ", P90 " + last.p90.toFixed(0) + " GW";
  svg.prepend(title);
  return svg;
}

// studyMilestones lists a study's milestones in the order gwf mc prints
// them: the rate milestones, then GW online.
function studyMilestones(ms) {
  const gw = Object.keys(ms.online_gw || {}).sort((a, b) => a - b).map((k) => ms.online_gw[k]);
  return [ms.gw_per_week, ms.first_quarter_at_target_rate, ms.four_quarters_at_target_rate].concat(gw);
}

function showJob(j) {
  $("mc-progress").max = j.runs;
  $("mc-progress").value = j.done;
  $("mc-status").textContent = "#" + j.id + " " + j.status + ": " + j.done + " of " + j.runs + " runs, " + (j.elapsed_ms / 1000).toFixed(1) + " s" + (j.error ? " (" + j.error + ")" : "");
  $("mc-cancel").disabled = j.status !== "running";
  $("mc-resume").hidden = j.status !== "interrupted" && j.status !== "cancelled";
  $("mc-downloads").replaceChildren();
  const res = j.result;
  if (!res) return;
  if (!res.milestones || !res.milestones.gw_per_week) {
    $("mc-odds").textContent = "This job's result was stored by an older gwf; run the study again to see it.";
    return;
  }
  const sus = res.milestones.gw_per_week;
  const day = (m) => (m ? m.date : "never");
  const by = res.by_target;
  const pct = Math.round(100 * (by ? by.share : 0));
  let odds = pct + "% of " + res.completed + " runs sustain " + sus.label + (by ? " by " + by.date : "");
  odds += sus.p50 ? "; half do by " + sus.p50.date + " (P10 " + day(sus.p10) + ", P90 " + day(sus.p90) + ")." : "; most never do within the horizon.";
  odds += " Drawn over " + res.uncertain_inputs + " uncertain inputs and " + res.events + " events";
  const ov = Object.entries(j.overrides || {}).map(([k, v]) => k + " = " + v);
  odds += ov.length ? ", with " + ov.join(", ") + "." : ".";
  if (res.partial) odds = "Partial (" + j.status + " after " + res.completed + " of " + res.runs + " runs): " + odds;
  $("mc-odds").textContent = odds;
  $("mc-odds").classList.toggle("partial", !!res.partial);
  $("mc-fan").replaceChildren(fanChart(res.weekly));
  const t = document.createElement("table");
  t.id = "mc-table";
  const row = (cells, tag = "td") => {
    const tr = document.createElement("tr");
    for (const x of cells) { const td = document.createElement(tag); td.textContent = x; tr.appendChild(td); }
    t.appendChild(tr);
  };
  row(["Milestone", "Runs reaching it", "P10", "P50", "P90"], "th");
  for (const m of studyMilestones(res.milestones)) {
    row([m.label, m.reached + " (" + Math.round(100 * m.share) + "%)", day(m.p10), day(m.p50), day(m.p90)]);
  }
  const wrap = document.createElement("div");
  wrap.className = "scroll";
  wrap.appendChild(t);
  $("mc-result").replaceChildren(wrap);
  $("mc-downloads").replaceChildren(downloadLinks("/api/mc/" + j.id));
}

async function followJob() {
  $("mc-button").disabled = true;
  try {
    while (mcJob.status === "running") {
      await new Promise((r) => setTimeout(r, 250));
      mcJob = await api("GET", "/api/mc/" + mcJob.id);
      showJob(mcJob);
    }
    announce("Monte Carlo job #" + mcJob.id + " " + mcJob.status + ". " + $("mc-odds").textContent);
  } finally {
    $("mc-button").disabled = false;
  }
}

// resumeMC runs a stopped job again with its inputs and seed (POST
// /api/mc/{id}/resume), under the same id.
async function resumeMC() {
  showError(null);
  mcJob = await api("POST", "/api/mc/" + mcJob.id + "/resume");
  $("mc-result").replaceChildren();
  $("mc-fan").replaceChildren();
  $("mc-odds").textContent = "";
  showJob(mcJob);
  await followJob();
}

async function startMC() {
  showError(null);
  const body = { scenario_id: +$("scenario").value, overrides: overrides(), runs: +$("mc-runs").value };
  mcJob = await api("POST", "/api/mc", body);
  $("mc-result").replaceChildren();
  $("mc-fan").replaceChildren();
  $("mc-odds").textContent = "";
  showJob(mcJob);
  await followJob();
}

// showLastJob shows the newest Monte Carlo job on load, following it if it
// is still running.
async function showLastJob() {
  const data = await api("GET", "/api/mc");
  if (!data.jobs.length) return;
  mcJob = await api("GET", "/api/mc/" + data.jobs[0].id);
  showJob(mcJob);
  if (mcJob.status === "running") await followJob();
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
  $("mc-resume").addEventListener("click", () => { if (mcJob) resumeMC().catch(showError); });
  $("mc-cancel").addEventListener("click", () => { if (mcJob) api("DELETE", "/api/mc/" + mcJob.id).catch(showError); });
  $("compare-button").addEventListener("click", () => compare().catch(showError));
  $("runs-more").addEventListener("click", () => moreRuns().catch(showError));
  $("upload-button").addEventListener("click", () => upload().catch(showError));
  $("upload-file").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    if (f) $("upload-source").value = await f.text();
  });
  $("scenario").addEventListener("change", async () => {
    try { setKeys(await api("GET", "/api/scenarios/" + $("scenario").value)); } catch (err) { showError(err); }
  });
  refreshRuns().then(showFirst).catch(showError);
  showLastJob().catch(showError);
}

init();
