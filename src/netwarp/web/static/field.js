// The decision field drawn from the server's labels and confidences (plain arrays in, pixels out).

import { hexRgb } from "./draw.js";

// The decision field: each cell tinted by its class, more strongly where the
// network is sure (the palette's field_tint), as render.palette.field_rgb does.
// Two classes are drawn from the class-1 probability interpolated bilinearly
// between cell centres at up to 4x the field's resolution, so the boundary is
// smooth at the default resolution instead of stair-stepped (the same numbers,
// read between the samples; more classes keep one colour per cell, smoothed).
// `ghost` (labels before a hand edit) is drawn as a faint outline of the old boundary.
const scratch = document.createElement("canvas");
export function drawField(ctx, W, H, field, palette, ghost) {
  const R = field.res, k = field.k, lab = field.labelsArr, conf = field.confArr;
  const [t0, t1] = palette.field_tint;
  const white = hexRgb(palette.background);
  const cols = Array.from({ length: k }, (_, i) => hexRgb(palette.classes[i % palette.classes.length]));
  const U = k === 2 ? Math.max(R, Math.min(4 * R, Math.round(Math.max(W, H)))) : R;
  scratch.width = U;
  scratch.height = U;
  const sctx = scratch.getContext("2d");
  const img = sctx.createImageData(U, U);
  const px = img.data;
  const paint = (o, cls, sure) => {
    const col = cols[cls], t = t0 + (t1 - t0) * Math.min(Math.max(sure, 0), 1);
    px[o] = white[0] + (col[0] - white[0]) * t;
    px[o + 1] = white[1] + (col[1] - white[1]) * t;
    px[o + 2] = white[2] + (col[2] - white[2]) * t;
    px[o + 3] = 255;
  };
  if (k === 2) {
    const p1 = new Float32Array(R * R);
    for (let c = 0; c < R * R; c++) p1[c] = lab[c] === 1 ? conf[c] / 255 : 1 - conf[c] / 255;
    const idx = new Int32Array(U), frac = new Float32Array(U);
    for (let u = 0; u < U; u++) {
      const x = Math.min(Math.max(((u + 0.5) * R) / U - 0.5, 0), R - 1.0001);
      idx[u] = Math.floor(x);
      frac[u] = x - idx[u];
    }
    for (let i = 0; i < U; i++) {
      const r0 = idx[i] * R, fy = frac[i], row = U - 1 - i; // row 0 of the field is the lowest y
      for (let j = 0; j < U; j++) {
        const c = r0 + idx[j], fx = frac[j];
        const top = p1[c] + (p1[c + 1] - p1[c]) * fx, bot = p1[c + R] + (p1[c + R + 1] - p1[c + R]) * fx;
        const p = top + (bot - top) * fy;
        paint((row * U + j) * 4, p > 0.5 ? 1 : 0, Math.abs(2 * p - 1));
      }
    }
  } else {
    for (let i = 0; i < R; i++) {
      for (let j = 0; j < R; j++) {
        const c = i * R + j;
        paint(((R - 1 - i) * R + j) * 4, lab[c], (conf[c] / 255 - 1 / k) / (1 - 1 / k));
      }
    }
  }
  if (ghost) {
    // a dot of darker ink at each old-boundary cell's centre, about half a cell wide
    const f = U / R, dot = Math.max(1, Math.round(f / 2));
    for (let i = 0; i < R - 1; i++) {
      for (let j = 0; j < R - 1; j++) {
        const c = i * R + j;
        if (ghost[c] === ghost[c + 1] && ghost[c] === ghost[c + R]) continue;
        const y0 = U - 1 - Math.floor((i + 0.5) * f), x0 = Math.floor((j + 0.5) * f);
        for (let a = 0; a < dot && y0 - a >= 0; a++) {
          for (let q = 0; q < dot && x0 + q < U; q++) {
            const o = ((y0 - a) * U + x0 + q) * 4;
            px[o] = px[o] * 0.45 + 20;
            px[o + 1] = px[o + 1] * 0.45 + 20;
            px[o + 2] = px[o + 2] * 0.45 + 20;
          }
        }
      }
    }
  }
  sctx.putImageData(img, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(scratch, 0, 0, W, H);
}
