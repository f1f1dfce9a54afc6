// The digits mode: a drawing pad and a picker of test digits; every layer's activations, the
// probabilities, the saliency of the prediction, the first layer's filters, and the path from
// one test digit to another. Python answers each question ("digit", "digits_setup",
// "digits_path"); this file only draws the numbers it gets back.

import { robustnessChart } from "./robustness.js";

const $ = (id) => document.getElementById(id);
const SIDE = 8;

export const D = { on: false, pixels: new Array(SIDE * SIDE).fill(0), ink: 1, seq: 0, sent: new Map(), reply: null,
  setup: null, path: null, units: null, lesioned: -1, strokes: [], drawing: false, erase: false, key: null, latencies: [] };
const STROKES = 400; // pad states kept for the path of the user's own strokes

export function setupDigits(S, net, requestDraw) {
  D.net = net;
  D.requestDraw = requestDraw;
  D.palette = S.hello.palette.classes;
  $("space-layer").addEventListener("change", () => D.units && drawSpace());
  const pad = $("pad");
  const at = (ev) => {
    const r = pad.getBoundingClientRect();
    const c = Math.floor(((ev.clientX - r.left) / r.width) * SIDE), q = Math.floor(((ev.clientY - r.top) / r.height) * SIDE);
    return c >= 0 && c < SIDE && q >= 0 && q < SIDE ? q * SIDE + c : -1;
  };
  const paint = (ev) => {
    const i = at(ev);
    if (i < 0) return;
    const v = D.erase || ev.buttons === 2 ? 0 : D.ink;
    if (D.pixels[i] === v) return;
    D.pixels[i] = v;
    if (D.strokes.length < STROKES) D.strokes.push(D.pixels.slice());
    drawPad();
    ask({ pixels: D.pixels });
  };
  pad.addEventListener("pointerdown", (ev) => { D.drawing = true; pad.setPointerCapture(ev.pointerId); paint(ev); });
  pad.addEventListener("pointermove", (ev) => D.drawing && paint(ev));
  pad.addEventListener("pointerup", () => (D.drawing = false));
  pad.addEventListener("contextmenu", (ev) => ev.preventDefault());
  $("pad-clear").addEventListener("click", () => { D.pixels.fill(0); D.strokes = [D.pixels.slice()]; drawPad(); ask({ pixels: D.pixels }); });
  $("path-strokes").addEventListener("click", () => {
    if (D.strokes.length < 2) return ($("digits-path-cap").textContent = "draw on the pad first: the path follows your strokes");
    const step = Math.max(1, Math.floor(D.strokes.length / 60)), states = D.strokes.filter((_, i) => i % step === 0);
    if (states[states.length - 1] !== D.strokes[D.strokes.length - 1]) states.push(D.strokes[D.strokes.length - 1]);
    D.net.send({ type: "digits_along", states });
  });
  for (const id of ["sal-cls", "sal-versus"]) $(id).addEventListener("change", () => ask(D.reply && D.reply.label !== null && D.pickIndex !== undefined ? { index: D.pickIndex } : { pixels: D.pixels }));
  $("lesion-groups").addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-group]");
    if (!b) return;
    D.lesioned = D.lesioned === +b.dataset.group ? -1 : +b.dataset.group;
    drawUnits();
  });
  $("pad-erase").addEventListener("click", () => { D.erase = !D.erase; $("pad-erase").classList.toggle("on", D.erase); });
  $("digit-pick").addEventListener("change", () => {
    D.pickIndex = +$("digit-pick").value;
    ask({ index: D.pickIndex });
  });
  for (const id of ["path-a", "path-b"]) $(id).addEventListener("change", askPath);
  $("path-t").addEventListener("input", () => {
    if (!D.path) return;
    D.pixels = D.path.inputs[+$("path-t").value].slice();
    drawPad();
    ask({ pixels: D.pixels });
    drawPath();
  });
}

// ask for one image through the network; the reply carries the same seq
export function ask(body) {
  D.seq += 1;
  D.sent.set(D.seq, performance.now());
  if (body.pixels) D.pickIndex = undefined;
  if (body.index !== undefined) D.pickIndex = body.index;
  const cls = $("sal-cls").value, versus = $("sal-versus").value;
  const score = { ...(cls !== "" ? { cls: +cls } : {}), ...(versus !== "" && versus !== cls ? { versus: +versus } : {}) };
  D.net.send({ type: "digit", seq: D.seq, ...body, ...score });
}

// The digit menu says what the pad shows: a test digit, or "the pad" (drawn, or a step along a path).
function pickShows(pad) {
  const sel = $("digit-pick");
  let opt = sel.querySelector("option[value='pad']");
  if (!opt) {
    opt = new Option("the pad (drawn / a path step)", "pad");
    opt.disabled = true;
    sel.add(opt, 0);
  }
  if (pad && sel.value !== "pad") sel.value = "pad";
  else if (!pad && D.pickIndex !== undefined && sel.value !== String(D.pickIndex)) sel.value = String(D.pickIndex);
}

function askPath() {
  D.net.send({ type: "digits_path", a: +$("path-a").value, b: +$("path-b").value, steps: 9 });
}

// called for every frame: the panel shows only for image data, and refreshes when the network changes
export function digitsFrame(fr) {
  const on = fr.arch.task === "classification" && fr.arch.sizes[0] === SIDE * SIDE && !fr.arch.recorded;
  $("p-digits").hidden = !on;
  D.on = on;
  if (!on) return;
  const key = [fr.arch.sizes.join("-"), fr.metrics.step, fr.timeline.index, fr.metrics.edited, fr.playing].join("|");
  if (key === D.key) return;
  D.key = key;
  D.net.send({ type: "digits_setup" });
  if (!fr.playing) D.net.send({ type: "digits_units" }); // units, groups, lesions, robustness: not while training
  ask(D.reply && D.reply.label === null ? { pixels: D.pixels } : { index: D.pickIndex ?? (+$("digit-pick").value || 0) });
}

export function digitsMessage(m) {
  if (m.type === "digits_setup") {
    const first = !D.setup;
    D.setup = m;
    D.ink = m.ink;
    if (first) {
      for (const id of ["digit-pick", "path-a", "path-b"]) {
        $(id).replaceChildren(...m.labels.map((l, i) => new Option(`#${i}: ${withArticle(l)}`, i)));
      }
      const other = m.labels.findIndex((l) => l !== m.labels[0]);
      $("path-b").value = Math.max(other, 0);
      const classes = [...new Set(m.labels)].sort((x, y) => x - y);
      $("sal-cls").replaceChildren(new Option("the prediction", ""), ...classes.map((c) => new Option(String(c), c)));
      $("sal-versus").replaceChildren(new Option("—", ""), ...classes.map((c) => new Option(String(c), c)));
    }
    askPath(); // the path of the network as it is now
    drawFilters();
  } else if (m.type === "digit") {
    const t = D.sent.get(m.seq);
    if (m.seq < D.seq) return; // an older answer overtaken by a newer question
    D.reply = m;
    D.pixels = m.pixels.slice();
    pickShows(m.label === null);
    drawPad();
    drawReply();
    if (t !== undefined) {
      D.latencies.push(performance.now() - t);
      if (D.latencies.length > 500) D.latencies.shift();
      D.sent.clear();
    }
  } else if (m.type === "digits_path") {
    D.path = m;
    $("path-t").max = m.inputs.length - 1;
    if (+$("path-t").value > m.inputs.length - 1) $("path-t").value = 0;
    drawPath();
  } else if (m.type === "digits_units") {
    D.units = m;
    D.requestDraw && D.requestDraw(); // the diagram's class-mix dots and group outlines
    if (D.reply) drawReply(); // the activation grid's group outlines
    if ($("space-layer").options.length !== m.space.length) {
      $("space-layer").replaceChildren(...m.space.map((_, k) => new Option(`hidden layer ${k + 1}`, k + 1)));
    }
    drawUnits();
  }
}

const UNSEEN = "rgb(189,189,189)"; // the figures' grey (#bdbdbd): a pixel the training set does not show

// red positive, blue negative, white zero; null (NaN in Python: an unseen pixel) grey
function diverging(v, m) {
  if (v === null) return UNSEEN;
  const t = Math.max(-1, Math.min(1, v / (m || 1)));
  const a = Math.abs(t);
  return t >= 0 ? `rgb(${255},${Math.round(255 - 170 * a)},${Math.round(255 - 190 * a)})`
    : `rgb(${Math.round(255 - 200 * a)},${Math.round(255 - 120 * a)},255)`;
}

function cells(canvas, values, cols, color) {
  const ctx = canvas.getContext("2d");
  const rows = Math.ceil(values.length / cols);
  const w = canvas.width / cols, h = canvas.height / rows;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  values.forEach((v, i) => {
    ctx.fillStyle = color(v);
    ctx.fillRect((i % cols) * w, Math.floor(i / cols) * h, w - 1, h - 1);
  });
}

function drawPad() {
  cells($("pad"), D.pixels, SIDE, (v) => { const g = Math.round(255 * (1 - v / (D.ink || 1))); return `rgb(${g},${g},${g})`; });
}

// "a 7", "an 8", "an 11", "an 18": the article as the number is read aloud (views.with_article)
function withArticle(n) {
  let lead = Math.abs(n);
  while (lead >= 1000) lead = Math.floor(lead / 1000);
  return `${[8, 11, 18].includes(lead) || (lead >= 80 && lead <= 89) || (lead >= 800 && lead <= 899) ? "an" : "a"} ${n}`;
}

function maxAbs(a) {
  return Math.max(1e-9, ...a.map(Math.abs));
}

// each activation grid is named under it (a heat map without axes says nothing from across a room)
function labelGrid(grids, k, text) {
  const caps = $("digit-acts-caps");
  while (caps.children.length < grids.children.length) caps.append(document.createElement("span"));
  while (caps.children.length > grids.children.length) caps.lastChild.remove();
  if (caps.children[k].textContent !== text) caps.children[k].textContent = text;
}

function drawReply() {
  const r = D.reply;
  const grids = $("digit-acts");
  while (grids.children.length < r.acts.length) grids.append(document.createElement("canvas"));
  while (grids.children.length > r.acts.length) grids.lastChild.remove();
  r.acts.forEach((a, k) => {
    const c = grids.children[k], cols = Math.ceil(Math.sqrt(a.length));
    c.width = c.height = 120;
    c.title = `hidden layer ${k + 1}: ${a.length} units`;
    labelGrid(grids, k, `h${k + 1}: ${a.length} units`);
    const m = maxAbs(a);
    cells(c, a, cols, (v) => diverging(v, m));
    if (k === 0 && D.units && D.units.groups.length === a.length) outlineGroups(c, cols, D.units.groups);
  });
  const bars = $("digit-probs"), ctx = bars.getContext("2d"), n = r.probs.length, w = bars.width / n;
  ctx.clearRect(0, 0, bars.width, bars.height);
  ctx.font = "12px system-ui, sans-serif";
  r.probs.forEach((p, c) => {
    ctx.fillStyle = c === r.pred ? "#0877bd" : "#b8c4cc";
    ctx.fillRect(c * w + 2, (bars.height - 16) * (1 - p), w - 4, (bars.height - 16) * p);
    ctx.fillStyle = "#222";
    ctx.fillText(String(c), c * w + w / 2 - 3, bars.height - 3);
  });
  $("digit-pred").textContent = `predicts ${r.pred} (${(100 * r.probs[r.pred]).toFixed(1)}%)` + (r.label !== null ? ` · it is ${withArticle(r.label)}` : "");
  if (r.saliency) {
    const m = maxAbs(r.saliency);
    cells($("digit-saliency"), r.saliency, SIDE, (v) => diverging(v, m));
    const mx = maxAbs(r.saliency_x_input);
    cells($("digit-gxi"), r.saliency_x_input, SIDE, (v) => diverging(v, mx));
    $("saliency-cap").textContent = (r.versus !== null && r.versus !== undefined
      ? `what makes it ${withArticle(r.cls)} rather than ${withArticle(r.versus)}: red raises logit ${r.cls} − logit ${r.versus}`
      : `which pixels raise logit ${r.cls} (red) or lower it (blue)`)
      + " (left: the gradient; right: gradient × input)"
      + (r.unseen ? `; grey: ${r.unseen} pixels inked in under ${Math.round(100 * r.rare)}% of the training images (their gradient is noise)` : "");
  } else {
    $("saliency-cap").textContent = "saliency: restore the edited weights to see it";
  }
  if (r.saliency_class) {
    const m = maxAbs(r.saliency_class);
    cells($("saliency-class"), r.saliency_class, SIDE, (v) => diverging(v, m));
  }
  const strip = $("saliency-training"), over = r.saliency_training;
  if (over) {
    while (strip.children.length < over.maps.length) strip.append(document.createElement("canvas"));
    while (strip.children.length > over.maps.length) strip.lastChild.remove();
    const m = maxAbs(over.maps.flat());
    over.maps.forEach((map, i) => {
      const c = strip.children[i];
      c.width = c.height = 56;
      c.title = `step ${over.steps[i]}`;
      cells(c, map, SIDE, (v) => diverging(v, m));
    });
  }
}

// hidden layer 1's cells outlined in the colour of the group of units each fires with
function outlineGroups(canvas, cols, groups) {
  const ctx = canvas.getContext("2d"), rows = Math.ceil(groups.length / cols);
  const w = canvas.width / cols, h = canvas.height / rows;
  ctx.lineWidth = 2;
  groups.forEach((g, i) => {
    ctx.strokeStyle = GROUP_COLORS[g % GROUP_COLORS.length];
    ctx.strokeRect((i % cols) * w + 1, Math.floor(i / cols) * h + 1, w - 3, h - 3);
  });
}

function drawFilters() {
  const f = D.setup.filters.slice(0, 16), box = $("digit-filters");
  while (box.children.length < f.length) box.append(document.createElement("canvas"));
  while (box.children.length > f.length) box.lastChild.remove();
  const m = maxAbs(f.flat());
  f.forEach((w, j) => {
    const c = box.children[j];
    c.width = c.height = 80; // 10 px a pixel: readable from the back of a room
    c.title = `hidden layer 1, unit ${j}: its weights W0[:, ${j}]`;
    cells(c, w, SIDE, (v) => diverging(v, m));
  });
}

function drawPath() {
  const p = D.path, c = $("path-probs"), ctx = c.getContext("2d");
  if (!p) return;
  const n = p.probs.length, w = c.width / n, shown = +$("path-t").value;
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.font = "12px system-ui, sans-serif";
  p.probs.forEach((row, i) => {
    const best = p.pred[i];
    ctx.fillStyle = i === shown ? "#fde2b0" : "#f3f3f3";
    ctx.fillRect(i * w + 1, 0, w - 2, c.height);
    ctx.fillStyle = "#0877bd";
    ctx.fillRect(i * w + 4, (c.height - 16) * (1 - row[best]), w - 8, (c.height - 16) * row[best]);
    ctx.fillStyle = "#222";
    ctx.fillText(String(best), i * w + w / 2 - 3, c.height - 3);
  });
  ctx.strokeStyle = "#d62728";
  ctx.lineWidth = 3;
  for (const f of p.flips) {
    ctx.beginPath();
    ctx.moveTo(f * w, 0);
    ctx.lineTo(f * w, c.height);
    ctx.stroke();
  }
  const what = p.strokes ? `your ${n} pad states, in the order you drew them: ` : "";
  // the straight path is named by t in (1 - t) a + t b, as in the figures; the strokes by pad state
  const between = (f) => (p.strokes ? `between states ${f - 1} and ${f}` : `between t=${p.t[f - 1]} and ${p.t[f]}`);
  $("digits-path-cap").textContent = what + (p.flips.length ? `the decision flips ${p.flips.map(between).join(", ")}` : "the decision never flips on this path");
}

// hidden layer 1's units: which classes drive each (sorted), the groups with their lesions, robustness
function drawUnits() {
  const u = D.units;
  if (!u) return;
  const sel = $("units-selectivity"), ctx = sel.getContext("2d"), k = u.selectivity[0].length, n = u.order.length;
  // axes: the classes down the left (rows), the units along the bottom (columns)
  const left = 46, bottom = 30, w = (sel.width - left) / n, h = (sel.height - bottom - 12) / k, m = maxAbs(u.selectivity.flat());
  ctx.clearRect(0, 0, sel.width, sel.height);
  ctx.font = "11px system-ui, sans-serif";
  ctx.fillStyle = "#444";
  ctx.save();
  ctx.translate(10, (k * h) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center";
  ctx.fillText("class", 0, 0);
  ctx.restore();
  for (let c = 0; c < k; c++) ctx.fillText(String(c), left - 12, c * h + h / 2 + 4);
  u.order.forEach((unit, x) => {
    for (let c = 0; c < k; c++) {
      ctx.fillStyle = diverging(u.selectivity[unit][c], m);
      ctx.fillRect(left + x * w, c * h, w - 0.5, h - 0.5);
    }
    const g = u.groups[unit];
    ctx.fillStyle = GROUP_COLORS[g % GROUP_COLORS.length];
    ctx.fillRect(left + x * w, k * h + 2, w - 0.5, 8);
  });
  ctx.fillStyle = "#444";
  ctx.fillText(`units 1–${n} of hidden layer 1, sorted by the class that drives them; strip: group`, left, sel.height - 6);
  D.axes = { selectivity: { rows: "class", columns: "units" } };
  const box = $("lesion-groups");
  const count = u.lesions.length;
  if (box.children.length !== count) {
    box.replaceChildren(...u.lesions.map((_, g) => {
      const b = document.createElement("button");
      b.dataset.group = g;
      b.style.borderColor = GROUP_COLORS[g % GROUP_COLORS.length];
      return b;
    }));
  }
  [...box.children].forEach((b, g) => {
    b.textContent = `silence group ${g} (${u.groups.filter((x) => x === g).length})`;
    b.classList.toggle("on", g === D.lesioned);
  });
  const bars = $("lesion-bars"), bx = bars.getContext("2d"), bw = bars.width / k;
  bx.clearRect(0, 0, bars.width, bars.height);
  bx.font = "11px system-ui, sans-serif";
  const acc = D.lesioned >= 0 ? u.lesions[D.lesioned] : u.base;
  for (let c = 0; c < k; c++) {
    bx.fillStyle = "#dfe5e9";
    bx.fillRect(c * bw + 3, (bars.height - 14) * (1 - u.base[c]), bw - 6, (bars.height - 14) * u.base[c]);
    bx.fillStyle = D.lesioned >= 0 ? GROUP_COLORS[D.lesioned % GROUP_COLORS.length] : "#0877bd";
    bx.fillRect(c * bw + 7, (bars.height - 14) * (1 - acc[c]), bw - 14, (bars.height - 14) * acc[c]);
    bx.fillStyle = "#222";
    bx.fillText(String(c), c * bw + bw / 2 - 3, bars.height - 2);
  }
  $("lesion-cap").textContent = D.lesioned >= 0
    ? `group ${D.lesioned} silenced: test accuracy per class (grey: nothing silenced); worst ${Math.min(...acc.map((a) => 100 * a)).toFixed(0)}%`
    : "test accuracy per class; silence a group of units that fire together to see what it was for";
  robustnessChart($("robustness"), u.robustness);
  drawSpace();
}

// a hidden layer from above: the test digits as class-coloured dots on the layer's two main directions
function drawSpace() {
  const u = D.units, c = $("digits-space"), ctx = c.getContext("2d");
  const k = Math.min(+($("space-layer").value || 1), u.space.length) - 1;
  if (k < 0) return;
  const pts = u.space[k], xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const X = (v) => 8 + ((v - x0) / (x1 - x0 || 1)) * (c.width - 16), Y = (v) => c.height - 8 - ((v - y0) / (y1 - y0 || 1)) * (c.height - 16);
  ctx.clearRect(0, 0, c.width, c.height);
  const colors = D.palette || [];
  pts.forEach((p, i) => {
    ctx.fillStyle = colors[u.labels[i] % colors.length] || "#0877bd";
    ctx.globalAlpha = 0.7;
    ctx.fillRect(X(p[0]) - 2, Y(p[1]) - 2, 4, 4);
  });
  ctx.globalAlpha = 1;
  ctx.font = "bold 15px system-ui, sans-serif";
  for (let cls = 0; cls < 10; cls++) {
    const mine = pts.filter((_, i) => u.labels[i] === cls);
    if (!mine.length) continue;
    const mx = mine.reduce((a, p) => a + p[0], 0) / mine.length, my = mine.reduce((a, p) => a + p[1], 0) / mine.length;
    ctx.fillStyle = "#fff";
    ctx.fillRect(X(mx) - 8, Y(my) - 10, 16, 18);
    ctx.fillStyle = colors[cls % colors.length] || "#222";
    ctx.fillText(String(cls), X(mx) - 4, Y(my) + 5);
  }
}

const GROUP_COLORS = ["#2ca02c", "#9467bd", "#d62728", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#0877bd", "#f59322"];

// On the network diagram: each unit of hidden layer 1 gets a dot in the mix of the class colours that
// drive it (weights: how far above its own average each class's mean activation is).
export function drawClassMix(ctx, hit, dpr) {
  if (!D.on || !D.units || !hit) return;
  const sel = D.units.selectivity;
  D.mix = sel.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const w = row.map((v) => Math.max(0, v - mean));
    const tot = w.reduce((a, v) => a + v, 0) || 1;
    const rgb = [0, 0, 0];
    w.forEach((wi, c) => {
      const hex = (D.palette || [])[c % (D.palette || [1]).length] || "#888888";
      for (let q = 0; q < 3; q++) rgb[q] += (wi / tot) * parseInt(hex.slice(1 + 2 * q, 3 + 2 * q), 16);
    });
    return `rgb(${rgb.map(Math.round).join(",")})`;
  });
  hit.nodes.filter((n) => n.layer === 1).forEach((n) => {
    if (n.u >= D.mix.length) return;
    // the unit's group: a ring in its colour (the same colours as the activation grid and the lesions)
    ctx.strokeStyle = GROUP_COLORS[D.units.groups[n.u] % GROUP_COLORS.length];
    ctx.lineWidth = 2.5 * dpr;
    ctx.strokeRect(n.x - hit.box * 0.62, n.y - hit.box * 0.62, hit.box * 1.24, hit.box * 1.24);
    ctx.fillStyle = D.mix[n.u];
    ctx.strokeStyle = "#222";
    ctx.lineWidth = 1 * dpr;
    ctx.beginPath();
    ctx.arc(n.x + hit.box * 0.75, n.y - hit.box * 0.35, hit.box * 0.28, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  });
}
