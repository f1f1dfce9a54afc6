// Loss/accuracy curves, probe bars and the 1D regression view: plain arrays in, pixels out.

import { layerLabel } from "./layers.js";

// train/test ink: dark blue-grey and a dashed grey, apart from the class colours
const TRAIN = "#183d4e", TEST = "#8a8f98";

// A chart box with y ticks on the left and x ticks (training steps) below.
function frame(ctx, box, yTicks, Y, xTicks, X, title, dpr) {
  const { x0, y0, w, h } = box;
  ctx.strokeStyle = "#c9ced4";
  ctx.lineWidth = 1;
  ctx.strokeRect(x0, y0, w, h);
  ctx.font = `${10 * dpr}px system-ui`;
  ctx.fillStyle = "#666";
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const [v, label] of yTicks) {
    const y = Y(v);
    ctx.strokeStyle = "#eceef1";
    ctx.beginPath();
    ctx.moveTo(x0, y);
    ctx.lineTo(x0 + w, y);
    ctx.stroke();
    ctx.fillText(label, x0 - 3 * dpr, y);
  }
  if (xTicks) {
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const v of xTicks) ctx.fillText(v >= 1000 ? `${v / 1000}k` : String(v), X(v), y0 + h + 2 * dpr);
  }
  ctx.textAlign = "left";
  ctx.textBaseline = "alphabetic";
  ctx.fillStyle = "#333";
  ctx.fillText(title, x0 + 4 * dpr, y0 + 11 * dpr);
}

function line(ctx, xs, ys, X, Y, color, dash, dpr) {
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.6 * dpr;
  ctx.setLineDash(dash ? [5 * dpr, 3 * dpr] : []);
  ctx.beginPath();
  let started = false;
  for (let i = 0; i < xs.length; i++) {
    if (ys[i] < 0) continue; // -1 marks "no value" (accuracy of a regression)
    const sx = X(xs[i]), sy = Y(ys[i]);
    if (started) ctx.lineTo(sx, sy);
    else ctx.moveTo(sx, sy), (started = true);
  }
  ctx.stroke();
  ctx.setLineDash([]);
}

function legend(ctx, x, y, dpr) {
  ctx.font = `${10 * dpr}px system-ui`;
  for (const [name, color, dash, dx] of [["train", TRAIN, false, 0], ["test", TEST, true, 52]]) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.6 * dpr;
    ctx.setLineDash(dash ? [5 * dpr, 3 * dpr] : []);
    ctx.beginPath();
    ctx.moveTo(x + dx * dpr, y);
    ctx.lineTo(x + (dx + 16) * dpr, y);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = "#444";
    ctx.fillText(name, x + (dx + 19) * dpr, y + 3 * dpr);
  }
}

// Loss and accuracy over training steps (log-like axis: training changes fastest
// early), with ticks, a train/test legend and, when the timeline is scrubbed, a
// marker at the shown step whose values the titles give (else the newest).
export function drawCurves(ctx, W, H, c, dpr, markStep) {
  ctx.clearRect(0, 0, W, H);
  if (!c || !c.steps.length) return;
  const left = 34 * dpr, right = 6 * dpr, top = 16 * dpr, gap = 16 * dpr, bottom = 14 * dpr;
  const w = W - left - right, hasAcc = c.train_acc[c.train_acc.length - 1] >= 0;
  const h = hasAcc ? (H - top - gap - bottom) / 2 : H - top - bottom;
  const smax = Math.max(1, c.steps[c.steps.length - 1]);
  const X = (s) => left + (Math.log1p(s) / Math.log1p(smax)) * w;
  const xTicks = [0];
  for (let p = 1; p <= smax; p *= 10) xTicks.push(p);
  // the snapshot shown: the marked step's index, or the newest
  let at = c.steps.length - 1;
  if (markStep !== undefined) {
    at = c.steps.findIndex((s) => s >= markStep);
    if (at < 0) at = c.steps.length - 1;
  }
  const when = markStep !== undefined ? ` at step ${c.steps[at]}` : "";
  legend(ctx, left + 4 * dpr, 7 * dpr, dpr);
  const lmax = Math.max(...c.train_loss, ...c.test_loss, 1e-6);
  const lb = { x0: left, y0: top, w, h };
  const YL = (v) => top + h - (v / lmax) * (h - 14 * dpr);
  const nice = (v) => (v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2));
  frame(ctx, lb, [[0, "0"], [lmax / 2, nice(lmax / 2)], [lmax, nice(lmax)]], YL, hasAcc ? null : xTicks, X,
    `loss${when}: train ${c.train_loss[at].toFixed(4)}, test ${c.test_loss[at].toFixed(4)}`, dpr);
  line(ctx, c.steps, c.train_loss, X, YL, TRAIN, false, dpr);
  line(ctx, c.steps, c.test_loss, X, YL, TEST, true, dpr);
  if (hasAcc) {
    const y2 = top + h + gap, YA = (v) => y2 + h - v * (h - 14 * dpr);
    frame(ctx, { x0: left, y0: y2, w, h }, [[0, "0%"], [0.5, "50%"], [1, "100%"]], YA, xTicks, X,
      `accuracy${when}: train ${(100 * c.train_acc[at]).toFixed(1)}%, test ${(100 * c.test_acc[at]).toFixed(1)}%`, dpr);
    line(ctx, c.steps, c.train_acc, X, YA, TRAIN, false, dpr);
    line(ctx, c.steps, c.test_acc, X, YA, TEST, true, dpr);
  }
  ctx.fillStyle = "#888";
  ctx.textAlign = "right";
  ctx.fillText("step", W - right, H - 2 * dpr);
  ctx.textAlign = "left";
  if (markStep !== undefined) {
    ctx.strokeStyle = "rgba(0,0,0,0.45)";
    ctx.lineWidth = 1.5 * dpr;
    ctx.beginPath();
    ctx.moveTo(X(c.steps[at]), top);
    ctx.lineTo(X(c.steps[at]), H - bottom);
    ctx.stroke();
  }
}

// One bar per layer: how well a straight line separates the classes there.
// Returns the bars' x ranges so a click can pick that layer.
export function drawProbes(ctx, W, H, acc, chosen, dpr, palette, stale = false, names = null) {
  ctx.clearRect(0, 0, W, H);
  const bars = [];
  if (!acc || !acc.length) {
    ctx.fillStyle = "#999";
    ctx.font = `${11 * dpr}px system-ui`;
    ctx.fillText("computed when training pauses", 8 * dpr, H / 2);
    return bars;
  }
  const n = acc.length, gap = 8 * dpr, bw = (W - gap * (n + 1)) / n, top = 16 * dpr, bottom = H - 16 * dpr;
  ctx.font = `${10 * dpr}px system-ui`;
  ctx.textAlign = "center";
  for (let i = 0; i < n; i++) {
    const x = gap + i * (bw + gap), hgt = (bottom - top) * acc[i];
    ctx.fillStyle = "#eef0f2";
    ctx.fillRect(x, top, bw, bottom - top);
    ctx.fillStyle = i === chosen ? palette.classes[1] : "#8fb3c9";
    ctx.fillRect(x, bottom - hgt, bw, hgt);
    ctx.fillStyle = "#333";
    ctx.fillText(acc[i].toFixed(2), x + bw / 2, top - 4 * dpr);
    ctx.fillStyle = "#777";
    ctx.fillText(layerLabel(i, n - 1, true, names), x + bw / 2, H - 4 * dpr);
    bars.push([x / dpr, (x + bw) / dpr, i]);
  }
  ctx.textAlign = "left";
  if (stale) {
    // these bars measured an earlier state: veil them until the new ones arrive
    ctx.fillStyle = "rgba(255,255,255,0.6)";
    ctx.fillRect(0, 0, W, H);
    ctx.fillStyle = "#333";
    ctx.font = `${12 * dpr}px system-ui`;
    ctx.textAlign = "center";
    ctx.fillText("updating…", W / 2, H / 2);
    ctx.textAlign = "left";
  }
  return bars;
}

// 1D regression: data points, the fit, and each last-hidden unit's contribution.
export function drawRegression(ctx, W, H, curve, pts, palette, dpr) {
  const [x0, x1, y0, y1] = curve.bounds;
  const X = (x) => ((x - x0) / (x1 - x0)) * W, Y = (y) => H - ((y - y0) / (y1 - y0)) * H;
  ctx.fillStyle = "#fff";
  ctx.fillRect(0, 0, W, H);
  const xs = curve.xsArr, m = xs.length, h = curve.h, u = curve.unitsArr;
  ctx.globalAlpha = 0.35;
  for (let j = 0; j < h; j++) {
    ctx.strokeStyle = palette.classes[(j % 8) + 2];
    ctx.beginPath();
    for (let i = 0; i < m; i++) (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(xs[i]), Y(u[i * h + j]));
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = palette.classes[1];
  for (let i = 0; i < pts.x.length; i++) {
    ctx.beginPath();
    ctx.arc(X(pts.x[i]), Y(pts.y[i]), 2.5 * dpr, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.strokeStyle = palette.classes[0];
  ctx.lineWidth = 2.5 * dpr;
  ctx.beginPath();
  for (let i = 0; i < m; i++) (i ? ctx.lineTo : ctx.moveTo).call(ctx, X(xs[i]), Y(curve.yhatArr[i]));
  ctx.stroke();
  ctx.lineWidth = 1;
}
