// The network itself: its shapes, algebra and code side by side (hover a block, a symbol or a
// code token and it lights up in all three), the gradients over training with the step shown,
// and the diagnostics, each pointing at its unit on the diagram. Python computes all of it
// (the "anatomy" reply, sent when the page asks); this file only draws.

import { download } from "./net.js";

const $ = (id) => document.getElementById(id);
const SYMBOL_COLORS = ["#0877bd", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];
const TOKEN = /\b([lWb])(\d+)\b/g;

// what the panels show, and when they last asked for it; exposed for tests as window.netwarp.anatomy
export const A = { data: null, lang: "numpy", key: null, asked: 0, timer: 0, ring: null };

export function setupAnatomy(S, net, requestDraw) {
  A.net = net;
  A.requestDraw = requestDraw;
  document.querySelectorAll("#code-lang button").forEach((b) =>
    b.addEventListener("click", () => {
      A.lang = b.dataset.lang;
      document.querySelectorAll("#code-lang button").forEach((o) => o.classList.toggle("on", o === b));
      renderCode();
    }),
  );
  $("code-copy").addEventListener("click", () => {
    const done = () => ($("code-note").textContent = "copied");
    if (navigator.clipboard) navigator.clipboard.writeText(codeText()).then(done, () => ($("code-note").textContent = "copy refused by the browser: use .py"));
  });
  $("code-download").addEventListener("click", () => {
    const href = URL.createObjectURL(new Blob([codeText()], { type: "text/x-python" }));
    download(href, `netwarp_forward_${A.lang}.py`);
    setTimeout(() => URL.revokeObjectURL(href), 10000);
  });
  for (const id of ["lego", "algebra", "code"]) {
    $(id).addEventListener("mouseover", (ev) => {
      const t = ev.target.closest("[data-sym]");
      highlight(t ? t.dataset.sym : null);
    });
    $(id).addEventListener("mouseleave", () => highlight(null));
  }
  $("findings").addEventListener("click", (ev) => {
    const li = ev.target.closest("li[data-layer]");
    if (!li) return;
    const ring = { layer: +li.dataset.layer, unit: +li.dataset.unit };
    A.ring = A.ring && A.ring.layer === ring.layer && A.ring.unit === ring.unit ? null : ring;
    document.querySelectorAll("#findings li").forEach((o) => o.classList.toggle("on", o === li && !!A.ring));
    requestDraw();
  });
}

// Ask for the anatomy of what is shown when that changes: at once when paused or scrubbing,
// every 2 s while training plays (the gradients of every snapshot are not free).
export function wantAnatomy(fr) {
  if (fr.arch.recorded) return; // no weights: no code, diagnostics or gradients (the panels are hidden)
  // the panels show the recorded snapshot (a hand edit is not in the code or the diagnostics), so edits ask nothing
  const key = [fr.arch.sizes.join("-"), fr.arch.activation, fr.metrics.step, fr.timeline.index, fr.timeline.count].join("|");
  if (key === A.key) return;
  const wait = (fr.playing ? 2000 : 250) - (performance.now() - A.asked);
  clearTimeout(A.timer);
  if (wait > 0) {
    A.timer = setTimeout(() => wantAnatomy(fr), wait);
    return;
  }
  A.key = key;
  A.asked = performance.now();
  A.net.send({ type: "anatomy" });
}

export function showAnatomy(a) {
  if (a.error) {
    $("findings").innerHTML = "";
    $("code").textContent = `the anatomy could not be computed: ${a.error}`;
    return;
  }
  A.data = a;
  renderLego(a.blocks);
  $("algebra").replaceChildren(...a.algebra.map((line) => tokenLine(line, "div")));
  renderCode();
  renderFindings(a.findings);
  $("settled-cap").textContent = a.dynamics.sentence;
  A.requestDraw();
}

function symbolColor(sym) {
  return sym[0] === "l" ? "#222" : SYMBOL_COLORS[+sym.slice(1) % SYMBOL_COLORS.length];
}

// a line of text with every l_k, W_k, b_k in a span that names its symbol
function tokenLine(text, tag) {
  const el = document.createElement(tag);
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > at) el.append(text.slice(at, m.index));
    const s = document.createElement("span");
    s.textContent = m[0];
    s.dataset.sym = m[0];
    s.style.color = symbolColor(m[0]);
    el.append(s);
    at = m.index + m[0].length;
  }
  if (at < text.length) el.append(text.slice(at));
  if (!text) el.append(" "); // an empty line keeps its height
  return el;
}

function renderLego(blocks) {
  const out = blocks.map((b) => {
    const el = document.createElement("div");
    el.className = `blk ${b.kind}`;
    el.dataset.sym = b.id;
    const [rows, cols] = b.kind === "bias" ? [1, b.shape[0]] : b.shape;
    const grid = document.createElement("div");
    grid.className = "cells";
    const size = Math.max(3, Math.min(12, Math.floor(150 / Math.max(cols, rows))));
    grid.style.gridTemplateColumns = `repeat(${cols}, ${size}px)`;
    grid.style.setProperty("--c", symbolColor(b.id));
    for (let q = 0; q < rows * cols; q++) grid.append(document.createElement("i"));
    const label = document.createElement("span");
    label.className = "lbl";
    label.textContent = b.label;
    label.style.color = symbolColor(b.id);
    el.append(grid, label);
    return el;
  });
  $("lego").replaceChildren(...out);
}

function codeText() {
  if (!A.data) return "";
  return A.lang === "torch" ? A.data.code.torch || `# ${A.data.code.torch_error}\n` : A.data.code.numpy;
}

function renderCode() {
  if (!A.data) return;
  $("code").replaceChildren(...codeText().split("\n").map((line) => tokenLine(line, "div")));
  $("code-note").textContent = A.lang === "torch" && A.data.code.torch_error ? A.data.code.torch_error : "";
}

function renderFindings(findings) {
  const items = findings.map((f) => {
    const li = document.createElement("li");
    if (f.layer !== null && f.unit !== null) {
      li.dataset.layer = f.layer;
      li.dataset.unit = f.unit;
      li.title = "click to ring this unit on the network diagram";
    }
    const k = document.createElement("b");
    k.textContent = f.kind.replace("_", " ");
    li.append(k, " ", f.message);
    return li;
  });
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "ok";
    li.textContent = "no problem found: no dead or saturated unit, gradients flow, the loss settles, test follows train";
    items.push(li);
  }
  if (A.ring && !findings.some((f) => f.layer === A.ring.layer && f.unit === A.ring.unit)) A.ring = null;
  $("findings").replaceChildren(...items);
}

function highlight(sym) {
  document.querySelectorAll("#p-anatomy .hl").forEach((e) => e.classList.remove("hl"));
  if (sym) document.querySelectorAll(`#p-anatomy [data-sym="${sym}"]`).forEach((e) => e.classList.add("hl"));
  A.highlighted = sym;
}

// gradient norms per weight layer over training, log-log, the shown step marked
export function drawGradients(ctx, W, H, dpr, shownStep) {
  ctx.clearRect(0, 0, W, H);
  if (!A.data) return;
  const { steps, grad } = A.data.dynamics;
  if (!steps.length || !grad.length) return;
  const pad = { l: 44 * dpr, r: 8 * dpr, t: 8 * dpr, b: 22 * dpr };
  const xs = steps.map((s) => Math.log10(Math.max(s, 0.5)));
  const all = grad.flat().filter((v) => v > 0);
  if (!all.length) return;
  const lo = Math.floor(Math.log10(Math.min(...all))), hi = Math.ceil(Math.log10(Math.max(...all)));
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  const X = (v) => pad.l + ((v - x0) / (x1 - x0)) * (W - pad.l - pad.r);
  const Y = (v) => H - pad.b - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / Math.max(hi - lo, 1)) * (H - pad.t - pad.b);
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.fillStyle = "#777";
  ctx.strokeStyle = "#e3e5e8";
  for (let e = lo; e <= hi; e++) {
    ctx.beginPath();
    ctx.moveTo(pad.l, Y(10 ** e));
    ctx.lineTo(W - pad.r, Y(10 ** e));
    ctx.stroke();
    ctx.fillText(`1e${e}`, 4 * dpr, Y(10 ** e) + 3 * dpr);
  }
  ctx.fillText("step (log)", W / 2, H - 6 * dpr);
  for (let k = 0; k < grad[0].length; k++) {
    ctx.strokeStyle = SYMBOL_COLORS[k % SYMBOL_COLORS.length];
    ctx.lineWidth = 1.6 * dpr;
    ctx.beginPath();
    grad.forEach((g, i) => (i ? ctx.lineTo(X(xs[i]), Y(g[k])) : ctx.moveTo(X(xs[i]), Y(g[k]))));
    ctx.stroke();
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fillText(`W${k}`, W - pad.r - 24 * dpr, pad.t + (10 + 12 * k) * dpr);
  }
  if (shownStep !== undefined) markStep(ctx, X(Math.log10(Math.max(shownStep, 0.5))), pad.t, H - pad.b, dpr);
}

// the unit a clicked finding names, ringed on the diagram just drawn
export function drawRing(ctx, hit, dpr) {
  if (!A.ring || !hit) return;
  const n = hit.nodes.find((q) => q.layer === A.ring.layer && q.u === A.ring.unit);
  if (!n) return;
  ctx.strokeStyle = "#d62728";
  ctx.lineWidth = 3 * dpr;
  ctx.beginPath();
  ctx.arc(n.x, n.y, hit.box * 0.95, 0, 2 * Math.PI);
  ctx.stroke();
}

// per weight layer, how far it still had to move at each step (||W(end) - W(step)|| / ||W(end)||),
// log step axis; the dashed line is the 5% under which a layer counts as settled; the shown step marked
export function drawSettling(ctx, W, H, dpr, shownStep) {
  ctx.clearRect(0, 0, W, H);
  if (!A.data || !A.data.dynamics.remaining.length) return;
  const { steps, remaining } = A.data.dynamics;
  const pad = { l: 34 * dpr, r: 8 * dpr, t: 8 * dpr, b: 20 * dpr };
  const xs = steps.map((s) => Math.log10(Math.max(s, 0.5)));
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1);
  const top = Math.max(1e-9, ...remaining.flat());
  const X = (v) => pad.l + ((v - x0) / (x1 - x0)) * (W - pad.l - pad.r);
  const Y = (v) => H - pad.b - (v / top) * (H - pad.t - pad.b);
  ctx.font = `${10 * dpr}px system-ui, sans-serif`;
  ctx.setLineDash([4 * dpr, 3 * dpr]);
  ctx.strokeStyle = "#999";
  ctx.beginPath();
  ctx.moveTo(pad.l, Y(0.05));
  ctx.lineTo(W - pad.r, Y(0.05));
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = "#777";
  ctx.fillText("5%", 4 * dpr, Y(0.05) + 3 * dpr);
  ctx.fillText(`${Math.round(100 * top)}%`, 4 * dpr, Y(top) + 8 * dpr);
  for (let k = 0; k < remaining[0].length; k++) {
    ctx.strokeStyle = SYMBOL_COLORS[k % SYMBOL_COLORS.length];
    ctx.lineWidth = 1.6 * dpr;
    ctx.beginPath();
    remaining.forEach((r, i) => (i ? ctx.lineTo(X(xs[i]), Y(r[k])) : ctx.moveTo(X(xs[i]), Y(r[k]))));
    ctx.stroke();
  }
  if (shownStep !== undefined) markStep(ctx, X(Math.log10(Math.max(shownStep, 0.5))), pad.t, H - pad.b, dpr);
}

// the timeline's shown step, as a vertical line across a chart
function markStep(ctx, x, top, bottom, dpr) {
  ctx.strokeStyle = "#f59322";
  ctx.lineWidth = 2 * dpr;
  ctx.beginPath();
  ctx.moveTo(x, top);
  ctx.lineTo(x, bottom);
  ctx.stroke();
}
