// Drawing primitives. Every function takes plain arrays the server computed
// and puts pixels on a canvas; none of them knows what a network is.

export function hexRgb(c) {
  return [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
}

// Size the canvas backing store to its CSS box times the pixel ratio (crisp lines).
export function fit(canvas) {
  const dpr = window.devicePixelRatio || 1;
  const w = Math.round(canvas.clientWidth * dpr), h = Math.round(canvas.clientHeight * dpr);
  if (w > 0 && h > 0 && (canvas.width !== w || canvas.height !== h)) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext("2d");
  return { ctx, W: canvas.width, H: canvas.height, dpr };
}

export function planeMap(bounds, W, H) {
  const [x0, x1, y0, y1] = bounds;
  return {
    x: (x) => ((x - x0) / (x1 - x0)) * W,
    y: (y) => H - ((y - y0) / (y1 - y0)) * H,
    inv: (sx, sy) => [x0 + (sx / W) * (x1 - x0), y0 + ((H - sy) / H) * (y1 - y0)],
  };
}

// Points as class-coloured dots with a white rim; returns their screen positions.
const DEPTH_SLABS = 8;

export function drawPoints(ctx, xy, labels, map, palette, opts = {}) {
  const n = labels.length, r = opts.r || 3.2, scr = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    scr[2 * i] = map.x(xy[2 * i]);
    scr[2 * i + 1] = map.y(xy[2 * i + 1]);
  }
  const all = Array.from({ length: n }, (_, i) => i);
  drawDiscs(ctx, scr, labels, all, palette, () => r, opts);
  return scr;
}

// Discs for the points in `idx` (in that order), one path per class, stroked
// (the rim, twice as wide since the body covers its inner half) and then
// filled. Canvas cost with software rendering grows with the number of drawing
// calls, and a thousand points drawn one fill and stroke at a time were two
// thousand calls per panel per frame; bodies over rims keep overlapping points
// of a class solid, outlined as a group.
function drawDiscs(ctx, scr, labels, idx, palette, radius, opts = {}) {
  const k = palette.classes.length;
  ctx.lineWidth = 2 * (opts.rim || 1);
  for (let c = 0; c < k; c++) {
    ctx.beginPath();
    let any = false;
    for (const i of idx) {
      if (labels[i] % k !== c) continue;
      const r = radius(i);
      ctx.moveTo(scr[2 * i] + r, scr[2 * i + 1]);
      ctx.arc(scr[2 * i], scr[2 * i + 1], r, 0, 2 * Math.PI);
      any = true;
    }
    if (!any) continue;
    ctx.strokeStyle = opts.hollow ? palette.classes[c] : opts.stroke || "#fff";
    ctx.stroke();
    ctx.fillStyle = opts.hollow ? "rgba(255,255,255,0.85)" : palette.classes[c];
    ctx.fill();
  }
}

// A camera for one space view: yaw/pitch for 3D and a framing that eases
// towards the data's extent (so a training layer does not make the view jump).
// The camera convention is netwarp.render.camera's, mirrored here: the third
// axis is up; yaw is the azimuth (a turn about that axis, counter-clockwise
// seen from above; at 0 the camera looks along +y), pitch the elevation (the
// camera raised above the x-y plane). It starts at camera.py's still view
// (DEFAULT_AZIMUTH -50 degrees, DEFAULT_ELEVATION 22 degrees), so a 3-wide
// layer looks the same way up in a GIF and on this page.
export function makeCamera() {
  return { yaw: (-50 * Math.PI) / 180, pitch: (22 * Math.PI) / 180, frame: null };
}

// camera_matrix(azimuth, elevation) applied to (x, y, z): [screen right, screen up, towards the viewer].
export function project3d(cam, x, y, z) {
  const ca = Math.cos(cam.yaw), sa = Math.sin(cam.yaw), ce = Math.cos(cam.pitch), se = Math.sin(cam.pitch);
  const x1 = ca * x - sa * y, y1 = sa * x + ca * y;
  return [x1, se * y1 + ce * z, -ce * y1 + se * z];
}

function extent(arrs, d) {
  const lo = Array(d).fill(Infinity), hi = Array(d).fill(-Infinity);
  for (const a of arrs) {
    for (let i = 0; i < a.length; i += d) {
      for (let k = 0; k < d; k++) {
        const v = a[i + k];
        if (v < lo[k]) lo[k] = v;
        if (v > hi[k]) hi[k] = v;
      }
    }
  }
  const c = lo.map((l, k) => (l + hi[k]) / 2);
  let r = 1e-9;
  if (d === 2) {
    for (let k = 0; k < d; k++) r = Math.max(r, (hi[k] - lo[k]) / 2);
    return { c, r, rs: [0, 1].map((k) => Math.max((hi[k] - lo[k]) / 2, 1e-9)) };
  }
  // 3D: the farthest point from the centre, so no rotation leaves the frame
  for (const a of arrs) {
    for (let i = 0; i < a.length; i += 3) {
      const x = a[i] - c[0], y = a[i + 1] - c[1], z = a[i + 2] - c[2];
      r = Math.max(r, x * x + y * y + z * z);
    }
  }
  return { c, r: Math.sqrt(r) };
}

// A warped space: grid polylines then points, in 2D, or rotated and projected if 3D.
// Returns the points' screen positions for hover hit-testing.
export function drawSpace(ctx, W, H, space, labels, palette, cam, opts = {}) {
  const d = space.dims, pts = space.pointsArr, grid = space.gridArr;
  const target = extent([pts, grid], d);
  if (!cam.frame || cam.frame.c.length !== d || opts.snap) cam.frame = target;
  else {
    // grow at once, shrink slowly
    const f = cam.frame, grow = target.r > f.r;
    f.r = grow ? target.r : f.r + (target.r - f.r) * 0.15;
    f.c = f.c.map((v, k) => v + (target.c[k] - v) * (grow ? 1 : 0.15));
    if (target.rs) f.rs = (f.rs || target.rs).map((v, k) => (target.rs[k] > v ? target.rs[k] : v + (target.rs[k] - v) * 0.15));
  }
  const { c, r } = cam.frame, s = (Math.min(W, H) / 2 / r) * 0.92;
  // opts.stretch (a separating view): each axis fills the panel, up to 12x the other's scale;
  // a line stays a line and every point keeps its side, but a thin spread along the split
  // direction becomes readable (the caption says the axes are scaled separately)
  const [sx, sy] = opts.stretch && d === 2 && cam.frame.rs
    ? cam.frame.rs.map((q) => Math.min((Math.min(W, H) / 2 / q) * 0.92, 12 * s))
    : [s, s];
  const toScreen = (p, i) => {
    let x = p[i] - c[0], y = p[i + 1] - c[1], z = d === 3 ? p[i + 2] - c[2] : 0;
    if (d === 3) [x, y, z] = project3d(cam, x, y, z);
    return [W / 2 + x * sx, H / 2 - y * sy, z];
  };
  ctx.fillStyle = "#fcfcfd";
  ctx.fillRect(0, 0, W, H);
  if (d === 3) drawAxes(ctx, W, H, cam);
  ctx.strokeStyle = palette.grid_line;
  ctx.globalAlpha = 0.32;
  ctx.lineWidth = Math.max(0.7, W / 600);
  const S = space.samples;
  for (let l = 0; l < space.lines; l++) {
    ctx.beginPath();
    for (let q = 0; q < S; q++) {
      const [sx, sy] = toScreen(grid, (l * S + q) * d);
      if (q) ctx.lineTo(sx, sy);
      else ctx.moveTo(sx, sy);
    }
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  const view = { c, s, sx, sy, W, H, d, cam };
  if (d === 2 && opts.regions) opts.drawn = drawRegions(ctx, view, opts.regions, opts.segments, palette);
  else if (d === 2 && opts.lines) opts.drawn = drawLines(ctx, view, opts.lines, opts.pairs, palette);
  if (d === 3 && opts.plane) opts.drawn = drawPlane(ctx, view, opts.plane, pts);
  const n = labels.length, scr = new Float32Array(2 * n), depth = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const [sx, sy, z] = toScreen(pts, i * d);
    scr[2 * i] = sx;
    scr[2 * i + 1] = sy;
    depth[i] = z;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  if (d === 3) order.sort((a, b) => depth[a] - depth[b]);
  const r0 = opts.r || 3.2;
  // nearer points (3D) are larger and drawn later: far to near in DEPTH_SLABS
  // slabs, each slab one path per class (exact order inside a slab matters
  // little at this size, and per-point drawing costs the page its frame rate)
  const radius = (i) => Math.max(d === 3 ? r0 * (1 + (0.25 * depth[i] * s) / (Math.min(W, H) / 2)) : r0, 1);
  const slabs = d === 3 ? DEPTH_SLABS : 1;
  for (let b = 0; b < slabs; b++) {
    drawDiscs(ctx, scr, labels, order.slice(Math.floor((b * n) / slabs), Math.floor(((b + 1) * n) / slabs)), palette, radius);
  }
  if (opts.drawn && d === 2) strokeLines(ctx, opts.drawn, W);
  if (opts.path) drawPath(ctx, opts.path.map((p) => toScreen(p, 0)));
  if (opts.mark) ring(ctx, ...toScreen(opts.mark, 0));
  return scr;
}

// The separating line(s) w0 x + w1 y + c = 0 of a 2D view, clipped to the panel. With two
// classes each side is tinted faintly with the class the network puts there. Returns each
// line's screen segment [x1, y1, x2, y2, class on the positive side] (drawn over the points
// by strokeLines, so the line stays visible; read by the tests).
function drawLines(ctx, v, lines, pairs, palette) {
  const { c, sx, sy, W, H } = v;
  const toData = (px, py) => [c[0] + (px - W / 2) / sx, c[1] - (py - H / 2) / sy];
  const toScr = (x, y) => [W / 2 + (x - c[0]) * sx, H / 2 - (y - c[1]) * sy];
  const corners = [[0, 0], [W, 0], [W, H], [0, H]].map(([x, y]) => toData(x, y));
  const segs = [];
  lines.forEach(([w0, w1, k], li) => {
    const f = ([x, y]) => w0 * x + w1 * y + k;
    const hits = [];
    for (let i = 0; i < 4; i++) {
      const a = corners[i], b = corners[(i + 1) % 4], fa = f(a), fb = f(b);
      if ((fa <= 0) !== (fb <= 0)) {
        const t = fa / (fa - fb);
        hits.push(toScr(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])));
      }
    }
    if (hits.length < 2) return;
    const pos = pairs ? pairs[li][1] : 1;
    if (lines.length === 1) {
      // tint each side: the polygon of corners on one side plus the two hits
      for (const [sign, cls] of [[1, pos], [-1, pairs ? pairs[li][0] : 0]]) {
        const poly = [];
        for (let i = 0; i < 4; i++) {
          const a = corners[i], b = corners[(i + 1) % 4];
          if (sign * f(a) > 0) poly.push(toScr(...a));
          if ((f(a) <= 0) !== (f(b) <= 0)) {
            const t = f(a) / (f(a) - f(b));
            poly.push(toScr(a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])));
          }
        }
        ctx.fillStyle = palette.classes[cls % palette.classes.length];
        ctx.globalAlpha = 0.07;
        ctx.beginPath();
        poly.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
        ctx.fill();
        ctx.globalAlpha = 1;
      }
    }
    segs.push([hits[0][0], hits[0][1], hits[1][0], hits[1][1], pos]);
  });
  return segs;
}

// 3+ classes: each class's region (a convex polygon from the server) tinted faintly, and the
// segments where two regions meet. Returns the segments on screen [x1, y1, x2, y2, j, i]
// (drawn over the points by strokeLines; read by the tests).
function drawRegions(ctx, v, regions, segments, palette) {
  const { c, sx, sy, W, H } = v;
  const toScr = (x, y) => [W / 2 + (x - c[0]) * sx, H / 2 - (y - c[1]) * sy];
  for (const [cls, poly] of regions) {
    ctx.fillStyle = palette.classes[cls % palette.classes.length];
    ctx.globalAlpha = 0.1;
    ctx.beginPath();
    for (let q = 0; q < poly.length; q += 2) {
      const [x, y] = toScr(poly[q], poly[q + 1]);
      if (q) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
    }
    ctx.fill();
  }
  ctx.globalAlpha = 1;
  return segments.map(([x1, y1, x2, y2, i, j]) => [...toScr(x1, y1), ...toScr(x2, y2), j, i]);
}

function strokeLines(ctx, segs, W) {
  ctx.strokeStyle = "#111";
  ctx.lineWidth = Math.max(2, W / 220);
  ctx.setLineDash([10, 6]);
  for (const [x1, y1, x2, y2] of segs) {
    ctx.beginPath();
    ctx.moveTo(x1, y1);
    ctx.lineTo(x2, y2);
    ctx.stroke();
  }
  ctx.setLineDash([]);
}

// A 3-wide layer's separating plane h . w + c = 0, cut to the box around the points and
// drawn translucent under them. Returns its outline on screen.
function drawPlane(ctx, v, plane, pts) {
  const { c, s, W, H, cam } = v, w = plane.w, k = plane.c;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < pts.length; i += 3) for (let a = 0; a < 3; a++) {
    lo[a] = Math.min(lo[a], pts[i + a]);
    hi[a] = Math.max(hi[a], pts[i + a]);
  }
  const f = (p) => w[0] * p[0] + w[1] * p[1] + w[2] * p[2] + k;
  const corner = (m) => [0, 1, 2].map((a) => ((m >> a) & 1 ? hi[a] : lo[a]));
  const hits = [];
  for (let m = 0; m < 8; m++) for (let a = 0; a < 3; a++) {
    if ((m >> a) & 1) continue;
    const A = corner(m), B = corner(m | (1 << a)), fa = f(A), fb = f(B);
    if ((fa <= 0) !== (fb <= 0)) {
      const t = fa / (fa - fb);
      hits.push(A.map((x, q) => x + t * (B[q] - x)));
    }
  }
  if (hits.length < 3) return null;
  // order the cut polygon's corners around its centre, in the plane
  const m = [0, 1, 2].map((q) => hits.reduce((acc, p) => acc + p[q], 0) / hits.length);
  const n = Math.hypot(...w), u0 = Math.abs(w[0]) < 0.9 * n ? [1, 0, 0] : [0, 1, 0];
  const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
  const e1 = cross(w, u0), e2 = cross(w, e1);
  const ang = (p) => Math.atan2(e2.reduce((acc, x, q) => acc + x * (p[q] - m[q]), 0), e1.reduce((acc, x, q) => acc + x * (p[q] - m[q]), 0));
  hits.sort((a, b) => ang(a) - ang(b));
  const scr = hits.map((p) => {
    const [x, y] = project3d(cam, p[0] - c[0], p[1] - c[1], p[2] - c[2]);
    return [W / 2 + x * s, H / 2 - y * s];
  });
  ctx.fillStyle = "rgba(40,40,60,0.13)";
  ctx.strokeStyle = "rgba(20,20,30,0.75)";
  ctx.lineWidth = Math.max(1.5, W / 300);
  ctx.beginPath();
  scr.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.closePath();
  ctx.fill();
  ctx.stroke();
  return scr;
}

function drawAxes(ctx, W, H, cam) {
  const L = Math.min(W, H) * 0.06, ox = L * 1.4, oy = H - L * 1.4;
  ["x", "y", "z"].forEach((name, k) => {
    const e = [0, 0, 0];
    e[k] = 1;
    const [x, y] = project3d(cam, ...e);
    ctx.strokeStyle = "#b9bec5";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(ox, oy);
    ctx.lineTo(ox + x * L, oy - y * L);
    ctx.stroke();
  });
}

export function drawPath(ctx, pts) {
  ctx.strokeStyle = "#111";
  ctx.lineWidth = 2;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  pts.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
  ctx.setLineDash([]);
}

export function ring(ctx, x, y) {
  ctx.strokeStyle = "#111";
  ctx.lineWidth = 2.5;
  ctx.beginPath();
  ctx.arc(x, y, 8, 0, 2 * Math.PI);
  ctx.stroke();
}

export function nearest(scr, x, y, maxDist) {
  let best = -1, bd = maxDist * maxDist;
  for (let i = 0; i < scr.length / 2; i++) {
    const dx = scr[2 * i] - x, dy = scr[2 * i + 1] - y, dd = dx * dx + dy * dy;
    if (dd < bd) [best, bd] = [i, dd];
  }
  return best;
}

// Diverging weight colour from the palette's stops (orange < 0 < blue).
export function weightColor(w, scale, stops) {
  const t = Math.max(-1, Math.min(1, scale > 0 ? w / scale : 0));
  for (let i = 0; i < stops.length - 1; i++) {
    const [a, ca] = stops[i], [b, cb] = stops[i + 1];
    if (t <= b) {
      const u = (t - a) / (b - a), A = hexRgb(ca), B = hexRgb(cb);
      return `rgb(${A.map((v, k) => Math.round(v + (B[k] - v) * u)).join(",")})`;
    }
  }
  return stops[stops.length - 1][1];
}
