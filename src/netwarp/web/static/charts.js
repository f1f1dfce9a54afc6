// Loss/accuracy curves, probe bars and the 1D regression view: plain arrays in, pixels out.

const TRAIN = "#183d4e", TEST = "#f59322";

function axes(ctx, x0, y0, w, h, label, dpr) {
  ctx.strokeStyle = "#d5d9de";
  ctx.lineWidth = 1;
  ctx.strokeRect(x0, y0, w, h);
  ctx.fillStyle = "#777";
  ctx.font = `${10 * dpr}px system-ui`;
  ctx.fillText(label, x0 + 4 * dpr, y0 + 12 * dpr);
}

function line(ctx, xs, ys, X, Y, color, dash) {
  ctx.strokeStyle = color;
  ctx.lineWidth = 1.6;
  ctx.setLineDash(dash ? [5, 3] : []);
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

export function drawCurves(ctx, W, H, c, dpr, markStep) {
  ctx.clearRect(0, 0, W, H);
  if (!c || !c.steps.length) return;
  const pad = 6 * dpr, h = (H - 3 * pad) / 2, w = W - 2 * pad;
  const smax = Math.max(1, c.steps[c.steps.length - 1]);
  // steps on a log-like axis: training changes fastest early
  const X = (s) => pad + (Math.log1p(s) / Math.log1p(smax)) * w;
  const lmax = Math.max(...c.train_loss, ...c.test_loss, 1e-6);
  const last = (a) => a[a.length - 1];
  axes(ctx, pad, pad, w, h, `loss  train ${last(c.train_loss).toFixed(4)} / test ${last(c.test_loss).toFixed(4)}`, dpr);
  const YL = (v) => pad + h - (v / lmax) * (h - 14 * dpr);
  line(ctx, c.steps, c.train_loss, X, YL, TRAIN, false);
  line(ctx, c.steps, c.test_loss, X, YL, TEST, true);
  const y2 = 2 * pad + h;
  if (last(c.train_acc) >= 0) {
    axes(ctx, pad, y2, w, h, `accuracy  train ${last(c.train_acc).toFixed(3)} / test ${last(c.test_acc).toFixed(3)}`, dpr);
    const YA = (v) => y2 + h - v * (h - 14 * dpr);
    line(ctx, c.steps, c.train_acc, X, YA, TRAIN, false);
    line(ctx, c.steps, c.test_acc, X, YA, TEST, true);
  }
  if (markStep !== undefined) {
    ctx.strokeStyle = "rgba(0,0,0,0.35)";
    ctx.beginPath();
    ctx.moveTo(X(markStep), pad);
    ctx.lineTo(X(markStep), H - pad);
    ctx.stroke();
  }
}

// One bar per layer: how well a straight line separates the classes there.
// Returns the bars' x ranges so a click can pick that layer.
export function drawProbes(ctx, W, H, acc, chosen, dpr, palette, stale = false) {
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
    ctx.fillText(i === 0 ? "input" : i === n - 1 ? "output" : `h${i}`, x + bw / 2, H - 4 * dpr);
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
