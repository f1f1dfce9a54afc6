// The playground page: receives frames of geometry from the server and draws them.
// The browser never runs the network; every number drawn here came from netwarp's numpy.

import { connect, f32, bytes8 } from "./net.js";
import { fit, planeMap, drawPoints, drawSpace, makeCamera, ring } from "./draw.js";
import { drawField } from "./field.js";
import { drawCurves, drawProbes, drawRegression } from "./charts.js";
import { drawDiagram } from "./diagram.js";
import { layerName } from "./layers.js";
import { setupControls, syncControls, showEdit } from "./controls.js";
import { A as anatomy, setupAnatomy, wantAnatomy, showAnatomy, drawGradients, drawRing, drawSettling } from "./anatomy.js";
import { setupHelp } from "./help.js";
import { D as digits, setupDigits, digitsFrame, digitsMessage, drawClassMix } from "./digits.js";
import { R as robustness, wantRobustness, drawRobustness } from "./robustness.js";
import { P as present, setupPresent, applyPresent } from "./present.js";
import { L as lesson, setupLesson, lessonFrame, lessonMessage } from "./lesson.js";
import { recordedFrame, recordedCaption } from "./recorded.js";

const $ = (id) => document.getElementById(id);

// Everything the page knows; exposed as window.netwarp for tests and the benchmark.
export const S = {
  hello: null, frame: null, points: null, field: null, curves: null, probes: null, ghost: null,
  sel: null, cams: { hidden: makeCamera(), morph: makeCamera(), input: makeCamera() }, scr: {}, hit: null,
  addClass: null, seq: 0, pending: new Map(),
};
const stats = { framesReceived: 0, framesDrawn: 0, latencies: [], presented: [], drawMs: [], serverMs: [], lastDrawnAck: 0, errors: [] };
window.netwarp = { S, stats, anatomy, digits, robustness, present, lesson, send: (m) => net.send(m) };

const net = connect(onMessage, (state, reason) => {
  // a refusal the server explained (too many tabs, the memory budget) stays on screen
  if (state === "closed") status(S.fatal || `disconnected from the server${reason ? ": " + reason : ""}; reload to reconnect`, "error", true);
});

function onMessage(m) {
  if (m.type === "hello") {
    S.hello = m;
    setupControls(S, net, requestDraw, status);
    setupAnatomy(S, net, requestDraw);
    setupHelp(S);
    setupDigits(S, net, requestDraw);
    setupPresent(requestDraw);
    setupLesson(S, net);
  } else if (m.type === "frame") {
    stats.framesReceived++;
    stats.serverMs.push(m.server_ms);
    if (stats.serverMs.length > 500) stats.serverMs.shift();
    if (m.points) {
      const p = m.points;
      S.points = { d: p.d, train: f32(p.train), trainY: f32(p.train_y), test: f32(p.test), testY: f32(p.test_y) };
      S.points.trainLab = Uint8Array.from(S.points.trainY);
      S.points.testLab = Uint8Array.from(S.points.testY);
      S.cams.hidden.frame = S.cams.morph.frame = S.cams.input.frame = null;
    }
    // a rebuilt network (new settings, reset) is not the one the dialog was editing
    if (m.data_version !== undefined && m.data_version !== S.dataVersion) {
      if (S.dataVersion !== undefined) S.sel = null;
      S.dataVersion = m.data_version;
    }
    if (m.curves) S.curves = m.curves;
    if (m.field) {
      m.field.labelsArr = bytes8(m.field.labels);
      m.field.confArr = bytes8(m.field.conf);
    }
    if (m.morph && m.morph.same_as === "hidden") m.morph = { ...m.hidden, t: m.morph.t, stage: m.morph.stage };
    for (const k of ["hidden", "morph", "input"]) {
      if (m[k] && !m[k].pointsArr) {
        m[k].pointsArr = f32(m[k].points);
        m[k].gridArr = f32(m[k].grid);
      }
    }
    if (m.curve) for (const k of ["xs", "yhat", "units"]) m.curve[k + "Arr"] = f32(m.curve[k]);
    // the ghost (the boundary before the edit) comes once per edit; keep it while editing
    S.ghost = m.edit ? (m.edit.ghost ? bytes8(m.edit.ghost) : S.ghost) : null;
    if (!m.neurons && S.frame && S.frame.neurons && sameArch(S.frame, m)) m.neurons = S.frame.neurons;
    S.frame = m;
    applyPresent(m);
    syncControls(S);
    lessonFrame(m);
    wantAnatomy(m);
    digitsFrame(m);
    recordedFrame(m);
    // every frame is drawn as it arrives: the server already paces them (at most
    // 40 a second while training) and the answer to a hand edit should not wait
    // for the next animation frame; other redraws (probes, resizing) go through requestDraw
    drawNow();
  } else if (m.type === "lesson") {
    lessonMessage(m);
  } else if (m.type === "robustness") {
    drawRobustness(m);
  } else if (m.type.startsWith("digit")) {  // digit, digits_setup, digits_path, digits_units
    digitsMessage(m);
  } else if (m.type === "anatomy") {
    showAnatomy(m);
  } else if (m.type === "probes") {
    S.probes = m.acc;
    S.probesOf = m.key;
    requestDraw();
  } else if (m.type === "error") {
    stats.errors.push(m.message);
    if (m.fatal) S.fatal = m.message;
    status(m.message, "error", Boolean(m.fatal));
  }
}

function sameArch(a, b) {
  return a.arch.sizes.join() === b.arch.sizes.join();
}

let statusTimer = 0;
export function status(text, kind = "info", keep = false) {
  const el = $("status");
  el.textContent = text;
  el.className = text ? kind : "";
  clearTimeout(statusTimer);
  if (text && kind !== "sticky" && !keep) statusTimer = setTimeout(() => status(""), kind === "error" ? 8000 : 4000);
}

let drawPending = false;
export function requestDraw() {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    drawNow();
  });
}

// Draw the current frame now. Two latency clocks stop for every hand edit it
// answers: `latencies` when the canvases hold the new picture (the browser
// shows it at its next composite), `presented` at the next animation frame.
function drawNow() {
  if (!S.frame) return;
  wantRobustness(S, net); // also when the edit dialog opens between frames (asked once per state)
  const t0 = performance.now();
  drawAll(S.frame);
  const done = performance.now();
  stats.drawMs.push(done - t0);
  if (stats.drawMs.length > 500) stats.drawMs.shift();
  stats.framesDrawn++;
  const ack = S.frame.ack;
  const answered = [];
  for (const [seq, t] of S.pending) {
    if (seq <= ack) {
      stats.latencies.push(done - t);
      answered.push(t);
      S.pending.delete(seq);
    }
  }
  stats.lastDrawnAck = ack;
  if (answered.length) {
    requestAnimationFrame(() => {
      const now = performance.now();
      for (const t of answered) stats.presented.push(now - t);
    });
  }
}

function sameKey(a, b) {
  return !!a && a.length === b.length && a.every((v, i) => v === b[i]);
}

function drawAll(fr) {
  const pal = S.hello.palette;
  drawFieldPanel(fr, pal);
  const labels = S.points ? S.points.trainLab : new Uint8Array(0);
  const path = fr.path;
  for (const k of ["hidden", "morph"]) {
    const c = $("c-" + k), { ctx, W, H } = fit(c);
    if (fr[k] && S.points) {
      const opts = { r: 3.2 * (window.devicePixelRatio || 1) };
      if (path && k === "hidden") opts.mark = path.hidden;
      if (k === "hidden" && fr.hidden.separation) {
        const sep = fr.hidden.separation;
        // 3+ classes: the class regions and where they meet, not every pair's whole line
        // (many classes seen in a plane that does not hold them all: neither, rather than shadows)
        if (sep.regions) Object.assign(opts, { regions: sep.regions, segments: sep.segments });
        else if (sep.lines.length === 1) Object.assign(opts, { lines: sep.lines, pairs: sep.pairs });
      }
      if (k === "hidden" && fr.hidden.width > 3 && (fr.hidden.separation || fr.hidden.note)) opts.stretch = true;
      if (k === "hidden" && fr.hidden.plane) opts.plane = fr.hidden.plane;
      if (k === "hidden") {
        // another layer, or a paused replay scrubbed to another snapshot, is framed at once
        // (the slow shrink only smooths a picture that keeps moving)
        const at = `${fr.hidden.layer}:${fr.replay && !fr.playing ? fr.timeline.index : ""}`;
        opts.snap = S.hiddenAt !== at;
        S.hiddenAt = at;
      }
      if (path && k === "morph" && path.morph) {
        opts.path = path.morph;
        opts.mark = path.morph[Math.round((fr.view.t / fr.view.layer) * (path.morph.length - 1))];
      }
      S.scr[k] = drawSpace(ctx, W, H, fr[k], labels, pal, S.cams[k], opts);
      if (k === "hidden") S.scr.hiddenDrawn = opts.drawn || null; // the line segments / plane outline drawn
    } else {
      ctx.clearRect(0, 0, W, H);
      S.scr[k] = null;
    }
  }
  $("hidden-cap").textContent = recordedCaption(fr) ?? hiddenCaption(fr);
  $("morph-cap").textContent = fr.morph
    ? `t = ${fr.morph.t.toFixed(2)}: ${fr.morph.stage}`
    : "choose a layer above the input to morph to";
  morphMarks(fr);
  const dg = fit($("c-diagram"));
  // a recorded model has no weights to draw: its layers are listed instead (recorded.js)
  S.hit = fr.diagram ? drawDiagram(dg.ctx, dg.W, dg.H, fr.diagram, fr.neurons, pal, S.sel, path, dg.dpr) : null;
  drawRing(dg.ctx, S.hit, dg.dpr);
  drawClassMix(dg.ctx, S.hit, dg.dpr);
  const gc = fit($("c-grad")), gcKey = [anatomy.data, gc.W, gc.H, fr.metrics.step];
  if (!sameKey(S.gradKey, gcKey)) {
    drawGradients(gc.ctx, gc.W, gc.H, gc.dpr, fr.metrics.step);
    const sc = fit($("c-settle"));
    drawSettling(sc.ctx, sc.W, sc.H, sc.dpr, fr.metrics.step);
    S.gradKey = gcKey;
  }
  // the curves and probe bars change far less often than the rest: redraw them only when they did
  const cv = fit($("c-curves")), cvKey = [S.curves, cv.W, cv.H, fr.timeline.live ? -1 : fr.metrics.step];
  if (!sameKey(S.curvesKey, cvKey)) {
    drawCurves(cv.ctx, cv.W, cv.H, S.curves, cv.dpr, fr.timeline.live ? undefined : fr.metrics.step);
    S.curvesKey = cvKey;
  }
  // bars measured on another state than the one shown are drawn faded, marked "updating"
  const stale = !!fr.probes_key && S.probesOf !== fr.probes_key;
  const pb = fit($("c-probes")), pbKey = [S.probes, pb.W, pb.H, fr.view.layer, stale];
  if (!sameKey(S.probesKey, pbKey)) {
    S.probeBars = drawProbes(pb.ctx, pb.W, pb.H, S.probes, fr.view.layer, pb.dpr, pal, stale, fr.arch.layer_names);
    S.probesKey = pbKey;
  }
  showEdit(S);
  const arch = archText(fr.arch);
  if ($("net-arch").textContent !== arch) $("net-arch").textContent = arch;
  $("path-cap").textContent = path ? pathCaption(path) : "";
  $("notes").textContent = fr.notes.join(" ");
  legends(fr, pal);
}

// Hovered point: its values in every layer, and what the network answers as probabilities.
function pathCaption(p) {
  const L = p.values.length - 1, show = (v) => `[${v.slice(0, 4).map((x) => x.toFixed(2)).join(", ")}${v.length > 4 ? ", …" : ""}]`;
  const hops = p.values.slice(0, L).map((v, i) => `${layerName(i, L, true)} ${show(v)}`);
  const answer = p.probs ? `P(class) ${p.probs.map((q, c) => `${c}: ${(100 * q).toFixed(1)}%`).join(", ")}` : `out ${show(p.values[L])}`;
  return `point ${p.index} (class ${p.label}): ${hops.join(" → ")} → ${answer}`;
}

// "2-8-8-2 tanh", or each hidden layer's own when they differ: "2-8-8-2 · h1 tanh, h2 relu"
function archText(a) {
  if (a.recorded) return ""; // a recorded model's layers are listed by name instead (recorded.js)
  const acts = a.activations, sizes = a.sizes.join("-");
  if (!acts.length || acts.every((x) => x === acts[0])) return `${sizes} ${a.activation}`;
  return `${sizes} · ${acts.map((x, i) => `${layerName(i + 1, a.sizes.length - 1, true)} ${x}`).join(", ")}`;
}

function hiddenCaption(fr) {
  const h = fr.hidden;
  if (!h) return "";
  const L = fr.arch.sizes.length - 1, act = fr.arch.activations[h.layer - 1];
  const units = `${layerName(h.layer, L)}${act ? ` (${act})` : ""}: ${h.width} unit${h.width > 1 ? "s" : ""}`;
  const sep = h.separation;
  let how = "";
  if (h.width > 3) {
    how = sep || h.note
      ? " seen along the direction the classes are split (→) and the most remaining spread (↑), each axis scaled to fill the panel"
      : ", shown by a steady 3D projection (PCA); drag to turn";
  } else if (h.dims === 3) how = "; drag to turn";
  let line = "";
  if (sep && sep.regions) {
    const who = sep.source === "network" ? "the network's" : `a linear probe's (test accuracy ${(100 * sep.accuracy).toFixed(1)}%)`;
    line = `; shaded: ${who} class regions, dashed where they meet`;
  } else if (sep && sep.lines.length !== 1) {
    line = `; no plane holds all ${sep.pairs.length} boundaries between the classes, so none is drawn`;
  } else if (sep && sep.source === "network") line = `; dashed line: the network's own decision boundary${sep.exact ? "" : " (its shadow in this view)"}`;
  else if (sep) line = `; dashed line: a linear probe's boundary, test accuracy ${(100 * sep.accuracy).toFixed(1)}%`;
  if (h.plane) line = h.plane.source === "network" ? "; grey plane: the network's own decision boundary" : `; grey plane: a linear probe's boundary (test accuracy ${(100 * h.plane.accuracy).toFixed(1)}%)`;
  return units + how + line + (h.note ? `; ${h.note}` : "");
}

// Stage marks under the morph slider: t counts layers (t = 1 is hidden layer 1, …).
function morphMarks(fr) {
  const box = $("morph-marks"), L = fr.arch.sizes.length - 1, top = fr.view.layer, sig = `${L}:${top}`;
  if (box.dataset.sig === sig) return;
  box.dataset.sig = sig;
  box.innerHTML = "";
  for (let l = 0; l <= top; l++) {
    const m = document.createElement("span");
    m.style.left = `${top ? (100 * l) / top : 0}%`;
    m.textContent = `${l}: ${layerName(l, L, true)}`;
    box.appendChild(m);
  }
  box.title = "t counts layers: t = 0 is the input, t = 1 hidden layer 1, …; between two marks the space is moved by the weights, then the bias, then bent by the activation";
}

// A user's own text (a CSV's class names) as HTML text, never markup
function escapeText(t) {
  return String(t).replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]);
}

// One legend per meaning of colour: classes (points and field), weight sign and unit value (diagram).
function legends(fr, pal) {
  const names = fr.arch.class_names || [];
  const sig = `${fr.arch.classes}:${fr.arch.task}:${!!fr.field}:${names.join("\u0000")}`;
  const cl = $("class-legend");
  if (cl.dataset.sig !== sig) {
    cl.dataset.sig = sig;
    // the test points and the shading are only drawn on a plane's decision field
    cl.innerHTML = fr.arch.task === "classification"
      ? Array.from({ length: Math.min(fr.arch.classes, 10) }, (_, c) => `<span><i style="background:${pal.classes[c]}"></i>${
        names[c] !== undefined && names[c] !== String(c) ? escapeText(names[c]) : `class ${c}`}</span>`).join("") +
        (fr.field ? `<span>filled: training, hollow: test points; shade: how sure the network is</span>` : `<span>training points</span>`)
      : `<span><i class="bar" style="background:${pal.classes[0]}"></i>the network's fit</span><span><i style="background:${pal.classes[1]}"></i>training points</span><span>faint lines: each last-hidden unit's contribution</span>`;
  }
  const dl = $("diagram-legend");
  if (!dl.dataset.sig) {
    dl.dataset.sig = "1";
    const ramp = `background:linear-gradient(90deg, ${pal.weight_stops.map(([, c]) => c).join(", ")})`;
    dl.innerHTML = `<span><i class="bar ramp" style="${ramp}"></i>weight and bias sign: − … 0 … +</span>` +
      `<span>line width: |weight| relative to the largest in its own layer</span>` +
      `<span><i class="ramp" style="${ramp}"></i>tiles: each unit's value over the input plane (− … 0 … +)</span>` +
      `<span>(these colours are signs and values, not classes)</span>`;
  }
}

function inputCaption(fr) {
  const sep = fr.input.separation, d = fr.arch.sizes[0];
  const what = sep.regions ? "shaded: its class regions, dashed where they meet" : sep.lines.length === 1 ? "dashed: its line" : "no plane holds every boundary";
  return `${d} inputs, too many for a plane: the training points seen along a linear probe's split of the classes `
    + `(test accuracy ${(100 * sep.accuracy).toFixed(1)}%; ${what}); each axis scaled to fill the panel`;
}

function drawFieldPanel(fr, pal) {
  const { ctx, W, H, dpr } = fit($("c-field"));
  S.scr.field = null;
  const title = fr.field ? "decision boundary" : fr.curve ? "regression fit" : fr.input ? "input, along its split" : "input";
  if ($("field-title").textContent !== title) $("field-title").textContent = title;
  const cap = fr.field ? "input space; hover a point to follow it through every layer" : fr.curve ? "input x against the predicted y"
    : fr.input ? inputCaption(fr) : "";
  if ($("field-cap").textContent !== cap) $("field-cap").textContent = cap;
  if (fr.field && S.points) {
    drawField(ctx, W, H, fr.field, pal, S.ghost);
    const map = planeMap(fr.field.bounds, W, H);
    drawPoints(ctx, S.points.test, S.points.testLab, map, pal, { r: 2.6 * dpr, hollow: true });
    S.scr.field = drawPoints(ctx, S.points.train, S.points.trainLab, map, pal, { r: 3.2 * dpr });
    const added = fr.added, n = S.points.trainLab.length;
    for (let i = n - added; i < n; i++) {
      ctx.strokeStyle = "#111";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.arc(S.scr.field[2 * i], S.scr.field[2 * i + 1], 5 * dpr, 0, 2 * Math.PI);
      ctx.stroke();
    }
    if (fr.path) ring(ctx, S.scr.field[2 * fr.path.index], S.scr.field[2 * fr.path.index + 1]);
    S.fieldMap = map;
  } else if (fr.curve && S.points) {
    drawRegression(ctx, W, H, fr.curve, { x: S.points.train, y: S.points.trainY }, pal, dpr);
  } else if (fr.input && S.points) {
    // an input that is not a plane: its points along a linear probe's split of the classes
    const sep = fr.input.separation, opts = { r: 3.2 * dpr, stretch: true };
    if (sep.regions) Object.assign(opts, { regions: sep.regions, segments: sep.segments });
    else if (sep.lines.length === 1) Object.assign(opts, { lines: sep.lines, pairs: sep.pairs });
    S.scr.input = drawSpace(ctx, W, H, fr.input, S.points.trainLab, pal, S.cams.input, opts);
    S.scr.inputDrawn = opts.drawn || null;
  } else {
    ctx.clearRect(0, 0, W, H);
    ctx.fillStyle = "#888";
    ctx.font = `${12 * dpr}px system-ui`;
    ctx.fillText("no plane view for this data", 12 * dpr, H / 2);
  }
}

window.addEventListener("resize", requestDraw);
