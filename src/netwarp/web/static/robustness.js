// Next to the hand edit: how much noise each weight layer takes before predictions change
// (Python's views.robustness for the shown step). Asked for when the edit panel opens or the
// shown step changes; drawn as a line per layer.

const $ = (id) => document.getElementById(id);
const COLORS = ["#0877bd", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"];
export const R = { key: null, data: null };

export function wantRobustness(S, net) {
  const fr = S.frame;
  if (!S.sel || !fr || fr.arch.task !== "classification" || fr.playing) return;
  const key = [fr.arch.sizes.join("-"), fr.metrics.step, fr.timeline.index].join("|");
  if (key === R.key) return;
  R.key = key;
  net.send({ type: "robustness" });
}

export function drawRobustness(m) {
  R.data = m;
  robustnessChart($("edit-robust"), m);
  $("edit-robust-cap").textContent = `predictions unchanged under random noise on one layer (step ${m.step})`;
}

// fraction of predictions unchanged against noise size, a line per weight layer (Python's medians);
// the layers are named in a legend along the bottom (labels at the lines' ends overlapped where
// the lines end together). Returns the legend's label boxes [x0, x1] (for the tests).
export function robustnessChart(c, r) {
  const ctx = c.getContext("2d"), s = r.sigmas, smax = s[s.length - 1];
  const X = (v) => 26 + (v / smax) * (c.width - 34), Y = (v) => 6 + (1 - v) * (c.height - 24);
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.font = "10px system-ui, sans-serif";
  ctx.fillStyle = "#777";
  ctx.fillText("100%", 0, Y(1) + 4);
  ctx.fillText("0", 14, Y(0));
  const axis = "noise / rms(W) →", aw = ctx.measureText(axis).width;
  ctx.fillText(axis, c.width - aw - 2, c.height - 3);
  const boxes = [];
  let x = 26;
  r.median.forEach((line, k) => {
    ctx.strokeStyle = COLORS[k % COLORS.length];
    ctx.lineWidth = 2;
    ctx.beginPath();
    line.forEach((v, i) => (i ? ctx.lineTo(X(s[i]), Y(v)) : ctx.moveTo(X(s[i]), Y(v))));
    ctx.stroke();
    const name = `W${k}`, w = ctx.measureText(name).width;
    if (x + w > c.width - aw - 6) return; // no room left beside the axis name: the colours still tell them apart
    ctx.fillStyle = ctx.strokeStyle;
    ctx.fillText(name, x, c.height - 3);
    boxes.push([x, x + w]);
    x += w + 6;
  });
  R.labels = boxes;
  return boxes;
}
