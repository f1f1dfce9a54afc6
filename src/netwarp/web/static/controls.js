// The page's controls: the run settings (built by settings.js from the server's schema), settings
// sent as messages (the server checks them), pointer interactions on the views.

import { readHash, writeHash, setUrlKeys, download } from "./net.js";
import { buildSettings, syncSettings, fitLayers } from "./settings.js";
import { nearest } from "./draw.js";
import { hitDiagram } from "./diagram.js";
import { layerName, layerLabel } from "./layers.js";

const $ = (id) => document.getElementById(id);
let S, net, redraw, status, cfg, view = {};

export function setupControls(state, connection, requestDraw, showStatus) {
  [S, net, redraw, status] = [state, connection, requestDraw, showStatus];
  const h = S.hello;
  setUrlKeys(h.settings);
  buildSettings(h.settings, (s) => cfg[s.group][s.key], changeSetting);
  const L = h.limits;
  $("limits").textContent = `up to ${L.max_hidden_layers} hidden layers of ${L.max_units} units, ${L.max_points} points`;
  const parsed = readHash(h.defaults, h.replay ? [] : h.datasets);
  cfg = parsed.cfg;
  view = parsed.view;
  // a replay takes only its speed (with the run's own settings, which it shows)
  net.send({ type: "config", ...(h.replay ? { ...h.defaults, play: cfg.play } : cfg) });
  if (!h.replay) {
    if (Object.keys(view).length) net.send({ type: "view", ...view });
  } else {
    document.querySelectorAll("aside input, aside select, aside button, #reset, #step").forEach((e) => (e.disabled = true));
    document.querySelector("aside").inert = true; // shows the run's own settings; they cannot change
    status("replaying a saved run: play and scrub the timeline, morph, edit weights", "info");
    // a replay plays its saved snapshots, not optimiser steps: its speed counts those
    const speed = $("speed-row");
    if (speed && speed.firstChild && speed.firstChild.nodeType === Node.TEXT_NODE)
      speed.firstChild.textContent = speed.firstChild.textContent.replace("steps/s", "snapshots/s");
  }
  wireSettings();
  wireViews();
  wireExports();
}

function changeSetting(s, v) {
  if (s.name === "dataset") {
    // a new dataset starts from its own n and noise (the server fills them in)
    // and drops the old one's own options; the data seed stays
    const keep = S.hello.settings.filter((r) => r.group === "data" && r.default !== null && !r.datasets.length);
    cfg.data = Object.fromEntries(keep.map((r) => [r.key, cfg.data[r.key]]).filter(([, x]) => x !== undefined));
    // a dataset with its own network (digits: 64-32-16-10) gets it; leaving one goes back to the default
    const ds = (name) => S.hello.datasets.find((d) => d.name === name) || {};
    const own = ds(v).hidden, had = ds(S.frame && S.frame.config.data.dataset).hidden;
    if (own) cfg.net.hidden = [...own];
    else if (had) cfg.net.hidden = [...S.hello.defaults.net.hidden];
  }
  cfg[s.group][s.key] = v;
  sendConfig();
}

// A whole new set-up (a lesson step): shown, kept in the URL, sent to the server.
export function applyRun(newCfg) {
  cfg = newCfg;
  sendConfig();
}

function sendConfig() {
  fitLayers(S.hello.settings, cfg); // a layer added or removed: its per-layer choices follow
  writeHash(cfg, view);
  net.send({ type: "config", data: cfg.data, net: cfg.net, play: cfg.play });
}

function wireSettings() {
  $("reset").onclick = () => net.send({ type: "reset" });
  $("play").onclick = () => net.send({ type: S.frame && S.frame.playing ? "pause" : "play" });
  $("step").onclick = () => net.send({ type: "step", n: 1 });
  $("clear-points").onclick = () => net.send({ type: "clear_points" });
  $("csv").addEventListener("change", async () => {
    const f = $("csv").files[0];
    if (!f) return;
    if (f.size > S.hello.limits.max_csv) return status(`${f.name} is ${f.size} bytes; at most ${S.hello.limits.max_csv}`, "error");
    net.send({ type: "csv", text: await f.text() });
    $("csv").value = "";
  });
}

export function setView(v) {
  Object.assign(view, v);
  if (v.layer !== undefined || v.resolution !== undefined) writeHash(cfg, view);
  net.send({ type: "view", ...v });
}

function wireViews() {
  $("timeline").addEventListener("input", () => {
    const v = Number($("timeline").value), max = Number($("timeline").max);
    setView({ snapshot: v === max && S.frame.playing ? -1 : v });
  });
  $("live").onclick = () => setView({ snapshot: -1 });
  $("morph-t").addEventListener("input", () => setView({ t: Number($("morph-t").value) }));
  $("res").addEventListener("change", () => setView({ resolution: Number($("res").value) }));
  $("proj").addEventListener("change", () => setView({ projection: $("proj").value }));
  const field = $("c-field");
  field.addEventListener("click", (ev) => {
    if (S.addClass === null || !S.fieldMap) return;
    const r = field.getBoundingClientRect();
    const [x, y] = S.fieldMap.inv((ev.clientX - r.left) * (field.width / r.width), (ev.clientY - r.top) * (field.height / r.height));
    net.send({ type: "add_point", x, y, label: S.addClass });
  });
  for (const [id, key] of [["c-field", "field"], ["c-hidden", "hidden"], ["c-morph", "morph"]]) {
    const c = $(id);
    let drag = null;
    c.addEventListener("pointerdown", (ev) => {
      if (key !== "field" && S.frame && S.frame[key] && S.frame[key].dims === 3) {
        drag = { x: ev.clientX, y: ev.clientY };
        c.setPointerCapture(ev.pointerId);
      }
    });
    c.addEventListener("pointerup", () => (drag = null));
    c.addEventListener("pointermove", (ev) => {
      if (drag) {
        // turning the 3D view is drawing only: the server already sent the 3D coordinates
        const cam = S.cams[key];
        cam.yaw += (ev.clientX - drag.x) * 0.01;
        cam.pitch = Math.max(-1.5, Math.min(1.5, cam.pitch + (ev.clientY - drag.y) * 0.01));
        drag = { x: ev.clientX, y: ev.clientY };
        redraw();
        return;
      }
      const scr = S.scr[key];
      if (!scr) return;
      const r = c.getBoundingClientRect();
      const i = nearest(scr, (ev.clientX - r.left) * (c.width / r.width), (ev.clientY - r.top) * (c.height / r.height), 8 * (c.width / r.width));
      hover(i);
    });
    c.addEventListener("pointerleave", () => hover(-1));
  }
  $("c-diagram").addEventListener("click", (ev) => {
    const c = $("c-diagram"), r = c.getBoundingClientRect(), k = c.width / r.width;
    const hit = hitDiagram(S.hit, (ev.clientX - r.left) * k, (ev.clientY - r.top) * k, k);
    S.sel = hit;
    S.selBase = hit ? currentValue(hit) : null;
    redraw();
  });
  $("c-probes").addEventListener("click", (ev) => {
    const r = $("c-probes").getBoundingClientRect(), x = ev.clientX - r.left;
    const bar = (S.probeBars || []).find(([a, b]) => x >= a && x <= b);
    if (bar) setView({ layer: bar[2], t: bar[2] });
  });
  $("edit-slider").addEventListener("input", () => {
    const v = Number($("edit-slider").value);
    S.seq += 1;
    S.pending.set(S.seq, performance.now());
    $("edit-value").value = v.toFixed(3);
    net.send({ type: "edit", ...S.sel, value: v, seq: S.seq });
  });
  $("edit-close").onclick = closeEdit;
  // the dialog grows as its answers arrive (flips, robustness): keep all of it in the window
  new ResizeObserver(() => {
    const box = $("edit");
    if (!box.hidden && box.getBoundingClientRect().bottom > window.innerHeight) box.scrollIntoView({ block: "nearest" });
  }).observe($("edit"));
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && S.sel) closeEdit();
  });
  // a click outside the dialog closes it (a click on the diagram picks another weight instead)
  document.addEventListener("pointerdown", (ev) => {
    if (S.sel && !ev.target.closest("#edit, #c-diagram")) closeEdit();
  });
  $("edit-restore").onclick = () => net.send({ type: "restore", ...S.sel });
  $("edit-restore-all").onclick = () => net.send({ type: "restore", all: true });
}

// Close the edit dialog; the edit itself stays (the readout says "edited") until restored.
export function closeEdit() {
  S.sel = null;
  redraw();
}

let hovered = -1;
function hover(i) {
  if (i === hovered) return;
  hovered = i;
  net.send({ type: "hover", index: i });
}

function wireExports() {
  document.querySelectorAll("button.png").forEach((b) =>
    b.addEventListener("click", () => download($(b.dataset.canvas).toDataURL("image/png"), `netwarp-${b.dataset.canvas.slice(2)}.png`)),
  );
  $("export-trace").href = `/api/trace/${S.hello.sid}`;
  const sel = $("export-anim");
  if (!S.hello.exports.length) {
    sel.disabled = true;
    sel.title = "GIF/MP4 export needs the render package's animation writer";
  }
  for (const fmt of S.hello.exports) for (const kind of ["training", "morph", "rotate"]) sel.add(new Option(`${kind} .${fmt}`, `${kind}:${fmt}`));
  sel.addEventListener("change", () => {
    const [kind, fmt] = sel.value.split(":");
    sel.value = "";
    if (kind) fetchDownload(`/api/animation/${S.hello.sid}?kind=${kind}&format=${fmt}&layer=${S.frame.view.layer}`, `netwarp-${kind}.${fmt}`);
  });
}

// Fetch first so a refusal (e.g. "rotate needs a 3-wide layer") shows as a message, not a saved file.
async function fetchDownload(url, name) {
  status(`rendering ${name}…`, "sticky");
  const r = await fetch(url);
  if (!r.ok) {
    const body = await r.json().catch(() => ({ error: r.statusText }));
    return status(body.error, "error");
  }
  const href = URL.createObjectURL(await r.blob());
  download(href, name);
  setTimeout(() => URL.revokeObjectURL(href), 10000);
  status(`saved ${name}`);
}

// The weight or bias value as the diagram last received it.
function currentValue(sel) {
  const d = S.frame.diagram, sizes = d.sizes;
  if (sel.kind === "b") {
    const k = sizes.slice(0, sel.layer + 1).reduce((a, b) => a + b, 0) + sel.j;
    return new Float32Array(Uint8Array.from(atob(d.biases), (c) => c.charCodeAt(0)).buffer)[k];
  }
  let e = 0;
  for (let l = 0; l < sel.layer; l++) e += sizes[l] * sizes[l + 1];
  e += sel.i * sizes[sel.layer + 1] + sel.j;
  return new Float32Array(Uint8Array.from(atob(d.weights), (c) => c.charCodeAt(0)).buffer)[e];
}

export function showEdit(state) {
  const box = $("edit"), sel = state.sel, fr = state.frame, opening = box.hidden && !!sel;
  box.hidden = !sel;
  if (!sel) return;
  if (opening) box.scrollIntoView({ block: "nearest" }); // in view, under the diagram (never over it)
  // one naming convention (layers.js): a weight joins unit i of one layer to unit j of the next
  const L = fr.arch.sizes.length - 1;
  const name = sel.kind === "w"
    ? `weight ${layerName(sel.layer, L, true)}[${sel.i}] → ${layerName(sel.layer + 1, L, true)}[${sel.j}]`
    : `bias of ${layerName(sel.layer + 1, L, true)}[${sel.j}]`;
  const ch = fr.edit && fr.edit.changed.find((c) => c.kind === sel.kind && c.layer === sel.layer && c.i === sel.i && c.j === sel.j);
  const base = ch ? ch.base : currentValue(sel), value = ch ? ch.value : base;
  $("edit-name").textContent = `${name} (trained ${base.toFixed(3)})`;
  const slider = $("edit-slider"), span = Math.max(4, 3 * Math.abs(base));
  if (document.activeElement !== slider) {
    slider.min = (base - span).toFixed(3);
    slider.max = (base + span).toFixed(3);
    slider.value = value;
    $("edit-value").value = value.toFixed(3);
  }
  const m = fr.metrics, acc = m.train_acc === null ? "" : `; accuracy now ${(100 * m.train_acc).toFixed(1)}% train / ${(100 * m.test_acc).toFixed(1)}% test`;
  $("edit-flips").textContent = fr.edit ? `${fr.edit.flipped} of ${fr.edit.total} predictions flipped${fr.edit.total ? acc : ""}` : "";
}

export function syncControls(state) {
  const fr = state.frame, c = fr.config, focus = document.activeElement;
  // write to the DOM only what changed: while training this runs 30+ times a
  // second, and every write costs the page a style and layout pass
  const set = (id, v) => {
    const el = $(id), s = String(v ?? 0);
    if (el !== focus && el.value !== s) el.value = s;
  };
  const text = (id, v) => {
    const el = $(id);
    if (el.textContent !== v) el.textContent = v;
  };
  cfg = structuredClone(c);
  syncSettings(S.hello.settings, c); // a replay too: the run's own settings
  if (!S.hello.replay) {
    text("added", fr.added ? `${fr.added} added` : "");
  }
  const play = $("play");
  if (play.classList.contains("playing") !== fr.playing || !play.textContent) {
    play.innerHTML = fr.playing ? "&#x275A;&#x275A;" : "&#x25B6;";
    play.classList.toggle("playing", fr.playing);
  }
  const m = fr.metrics, f = (v, d) => (v === null ? "–" : v.toFixed(d));
  text("stepcount", fr.timeline.step.toLocaleString());
  text("loss", `${f(m.train_loss, 3)} / ${f(m.test_loss, 3)}`);
  text("acc", `${f(m.train_acc, 3)} / ${f(m.test_acc, 3)}` + (m.edited ? " (edited)" : ""));
  $("acc").classList.toggle("edited", !!m.edited);
  const tl = $("timeline"), tlMax = String(Math.max(fr.timeline.count - 1, 0));
  if (tl.max !== tlMax) tl.max = tlMax;
  set("timeline", fr.timeline.index);
  $("live").classList.toggle("on", fr.timeline.live);
  text("timeline-label", `snapshot ${fr.timeline.index + 1} of ${fr.timeline.count} · step ${m.step}`);
  set("res", fr.view.resolution);
  const mt = $("morph-t"), mtMax = String(fr.view.layer);
  if (mt.max !== mtMax) mt.max = mtMax;
  set("morph-t", fr.view.t);
  layerChips(fr);
  classChips(fr);
  dataSource(fr);
  const proj = $("proj"), wide = !!fr.hidden && fr.hidden.width > 3 && fr.arch.task === "classification";
  if (proj.hidden === wide) proj.hidden = !wide;
  if (fr.hidden && !fr.hidden.separation && !fr.hidden.note && fr.hidden.width > 3) set("proj", "pca");
  else if (wide) set("proj", "separating");
  if (fr.status) status(fr.status, "sticky");
}

function layerChips(fr) {
  const box = $("layer-pick"), L = fr.arch.sizes.length - 1, sig = `${L}:${fr.view.layer}`;
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.innerHTML = "";
  for (let l = 0; l <= L; l++) {
    const b = document.createElement("button");
    b.textContent = layerLabel(l, L, true, fr.arch.layer_names);
    b.className = l === fr.view.layer ? "on" : "";
    b.onclick = () => setView({ layer: l, t: l });
    box.appendChild(b);
  }
}

// The menu says where the data came from; the link says what it cannot carry.
function dataSource(fr) {
  const sel = $("dataset");
  if (sel) {
    let opt = sel.querySelector("option[value='__csv']");
    if (fr.source === "csv" && !opt) {
      opt = new Option("uploaded CSV", "__csv");
      opt.disabled = true;
      sel.add(opt, 0);
    } else if (fr.source !== "csv" && opt) opt.remove();
    if (fr.source === "csv" && sel.value !== "__csv") sel.value = "__csv";
  }
  const lost = [fr.source === "csv" ? "the uploaded CSV" : "", fr.added ? `${fr.added} clicked point${fr.added > 1 ? "s" : ""}` : ""].filter(Boolean);
  const note = lost.length ? `A shared link (the page address) does not carry ${lost.join(" or ")}: it rebuilds the settings only.` : "";
  const el = $("link-note");
  if (el.textContent !== note) {
    el.textContent = note;
    el.hidden = !note;
  }
}

function classChips(fr) {
  // clicking adds points only to 2D classification data (not digits, not regression)
  const can = fr.arch.task === "classification" && fr.arch.sizes[0] === 2 && !S.hello.replay;
  if ($("add-row").hidden === can) {
    $("add-row").hidden = !can;
    $("add-none").hidden = can;
  }
  if (!can) S.addClass = null;
  const box = $("add-classes"), k = fr.arch.classes, sig = `${k}:${S.addClass}`;
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.innerHTML = "";
  for (let c = -1; c < Math.min(k, 10); c++) {
    const b = document.createElement("button");
    b.innerHTML = c < 0 ? "off" : `<span class="chip-dot" style="background:${S.hello.palette.classes[c]}"></span>${c}`;
    b.className = (c < 0 ? S.addClass === null : S.addClass === c) ? "on" : "";
    b.dataset.cls = c;
    b.onclick = () => {
      S.addClass = c < 0 ? null : c;
      classChips(fr);
    };
    box.appendChild(b);
  }
}
