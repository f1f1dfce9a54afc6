// The network diagram: weights as line thickness and colour, each neuron a small
// heatmap of its value over the input plane (both computed by the server).

import { bytes8, f32 } from "./net.js";
import { hexRgb, weightColor } from "./draw.js";

const tiles = document.createElement("canvas");

// Lay out nodes in canvas pixels; xy are the server's [0,1]^2 positions.
function layout(d, W, H, dpr) {
  const sizes = d.sizes, maxw = Math.max(...sizes);
  const box = Math.max(6 * dpr, Math.min(40 * dpr, (H - 16 * dpr) / maxw - 4 * dpr));
  const mx = box / 2 + 14 * dpr, my = 8 * dpr + box / 2;
  const xy = f32(d.xy), nodes = [];
  let k = 0;
  sizes.forEach((w, layer) => {
    for (let u = 0; u < w; u++, k++) {
      const x = mx + xy[2 * k] * (W - 2 * mx);
      // centre each column's units around the middle, spaced by one box
      const y = H / 2 + (u - (w - 1) / 2) * Math.min(box + 4 * dpr, (H - 2 * my) / Math.max(w - 1, 1));
      nodes.push({ layer, u, x, y });
    }
  });
  return { nodes, box, first: sizes.map((_, l) => sizes.slice(0, l).reduce((a, b) => a + b, 0)) };
}

export function drawDiagram(ctx, W, H, d, neurons, palette, sel, path, dpr) {
  ctx.clearRect(0, 0, W, H);
  const L = layout(d, W, H, dpr), sizes = d.sizes, w = f32(d.weights), b = f32(d.biases);
  // widths and colours scale to the largest |weight| of each layer, not of the whole network:
  // first-layer weights are often far smaller than the output's and would be hairlines
  const maxw = [];
  let e = 0;
  for (let l = 0; l < sizes.length - 1; l++) {
    let m = 1e-9;
    for (let q = 0; q < sizes[l] * sizes[l + 1]; q++, e++) m = Math.max(m, Math.abs(w[e]));
    maxw.push(m);
  }
  const edges = [];
  e = 0;
  for (let l = 0; l < sizes.length - 1; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      for (let j = 0; j < sizes[l + 1]; j++, e++) {
        const A = L.nodes[L.first[l] + i], B = L.nodes[L.first[l + 1] + j];
        const selected = sel && sel.kind === "w" && sel.layer === l && sel.i === i && sel.j === j;
        ctx.strokeStyle = selected ? "#111" : weightColor(w[e], maxw[l], palette.weight_stops);
        ctx.lineWidth = (selected ? 2 : 0) + (0.6 + (4.5 * Math.abs(w[e])) / maxw[l]) * dpr;
        ctx.beginPath();
        ctx.moveTo(A.x, A.y);
        ctx.lineTo(B.x, B.y);
        ctx.stroke();
        edges.push({ kind: "w", layer: l, i, j, A, B, value: w[e] });
      }
    }
  }
  const half = L.box / 2;
  L.nodes.forEach((n, k) => {
    const x = n.x - half, y = n.y - half;
    if (n.layer > 0 && neurons && neurons.maps[n.layer - 1]) {
      drawTile(ctx, neurons, n.layer - 1, n.u, x, y, L.box, palette);
    } else {
      ctx.fillStyle = "#eef0f2";
      ctx.fillRect(x, y, L.box, L.box);
      if (n.layer === 0 && sizes[0] === 2) inputTile(ctx, n.u, x, y, L.box, palette);
    }
    const selected = sel && sel.kind === "b" && sel.layer === n.layer - 1 && sel.j === n.u;
    ctx.strokeStyle = selected ? "#111" : "#9aa3ad";
    ctx.lineWidth = selected ? 3 * dpr : 1;
    ctx.strokeRect(x, y, L.box, L.box);
    if (n.layer > 0) {
      // the bias as a small square at the node's lower left, coloured like a weight
      ctx.fillStyle = weightColor(b[k], maxw[n.layer - 1], palette.weight_stops);
      ctx.fillRect(x - 5 * dpr, y + L.box - 5 * dpr, 5 * dpr, 5 * dpr);
    }
    if (path && path.values[n.layer]) {
      const v = path.values[n.layer][n.u], s = Math.max(...path.values[n.layer].map(Math.abs), 1e-9);
      ctx.fillStyle = v >= 0 ? palette.classes[1] : palette.classes[0];
      ctx.fillRect(n.x, y - 4 * dpr, (Math.abs(v) / s) * half * (v >= 0 ? 1 : -1), 3 * dpr);
    }
  });
  return { edges, nodes: L.nodes, box: L.box };
}

function drawTile(ctx, neurons, l, u, x, y, size, palette) {
  const R = neurons.res;
  if (!neurons.bytes) neurons.bytes = neurons.maps.map(bytes8);
  const q = neurons.bytes[l], off = u * R * R;
  const lo = hexRgb(palette.weight_stops[0][1]), mid = hexRgb(palette.weight_stops[1][1]), hi = hexRgb(palette.weight_stops[2][1]);
  tiles.width = R;
  tiles.height = R;
  const tctx = tiles.getContext("2d"), img = tctx.createImageData(R, R);
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < R; c++) {
      const t = (q[off + r * R + c] - 128) / 127, o = ((R - 1 - r) * R + c) * 4, end = t < 0 ? lo : hi, a = Math.abs(t);
      for (let k = 0; k < 3; k++) img.data[o + k] = mid[k] + (end[k] - mid[k]) * a;
      img.data[o + 3] = 255;
    }
  }
  tctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tiles, x, y, size, size);
}

function inputTile(ctx, u, x, y, size, palette) {
  // an input unit's value is its coordinate: a plain gradient along x or y
  const g = u === 0 ? ctx.createLinearGradient(x, 0, x + size, 0) : ctx.createLinearGradient(0, y + size, 0, y);
  g.addColorStop(0, palette.weight_stops[0][1]);
  g.addColorStop(0.5, palette.weight_stops[1][1]);
  g.addColorStop(1, palette.weight_stops[2][1]);
  ctx.fillStyle = g;
  ctx.fillRect(x, y, size, size);
}

// What is under the pointer: a neuron (its bias) first, else the nearest edge.
export function hitDiagram(hit, x, y, dpr) {
  if (!hit) return null;
  const half = hit.box / 2;
  for (const n of hit.nodes) {
    if (n.layer > 0 && Math.abs(x - n.x) <= half && Math.abs(y - n.y) <= half) {
      return { kind: "b", layer: n.layer - 1, i: 0, j: n.u };
    }
  }
  let best = null, bd = (6 * dpr) ** 2;
  for (const e of hit.edges) {
    const dx = e.B.x - e.A.x, dy = e.B.y - e.A.y, len = dx * dx + dy * dy;
    const t = Math.max(0, Math.min(1, ((x - e.A.x) * dx + (y - e.A.y) * dy) / len));
    const px = e.A.x + t * dx - x, py = e.A.y + t * dy - y, dd = px * px + py * py;
    if (dd < bd) [best, bd] = [{ kind: "w", layer: e.layer, i: e.i, j: e.j }, dd];
  }
  return best;
}
