// A replayed recording of a model's layer outputs (netwarp.torch.Recorder): netwarp has no weights to
// run it, so the panels that need a forward pass are hidden (one line says why), the network diagram
// becomes the list of recorded layers with their widths, and a click on a layer shows it.

import { setView } from "./controls.js";
import { layerLabel } from "./layers.js";

const $ = (id) => document.getElementById(id);
const REC = { sig: null };

// Called with every frame: the page's recorded mode on or off, the layer list kept up to date.
export function recordedFrame(fr) {
  const rec = fr.recorded;
  if (document.body.classList.contains("recorded") !== !!rec) {
    document.body.classList.toggle("recorded", !!rec);
    if (rec) {
      // the class colours are explained beside the hidden space (the field panel, their usual place, is hidden)
      $("p-hidden").appendChild($("class-legend"));
      document.querySelector("#p-diagram h3").textContent = "recorded layers";
    }
  }
  if (!rec) return;
  const sig = `${fr.view.layer}:${rec.layers.map((l) => l.name).join("/")}`;
  if (REC.sig === sig) return;
  REC.sig = sig;
  const box = $("recorded-layers");
  const arrow = () => Object.assign(document.createElement("span"), { className: "arrow", textContent: "→" });
  box.replaceChildren(...rec.layers.flatMap((l, i) => {
    const b = document.createElement("button");
    b.className = l.layer === fr.view.layer ? "on" : "";
    b.dataset.layer = l.layer;
    const shape = l.shape ? ` (${l.shape.join("×")})` : "";
    b.innerHTML = "<b></b><span></span>";
    b.firstChild.textContent = l.name;
    b.lastChild.textContent = `${l.width} ${l.layer === 0 ? "input" : "unit"}${l.width === 1 ? "" : "s"}${shape}`;
    b.title = `show ${l.name} in the hidden space`;
    b.onclick = () => setView({ layer: l.layer, t: l.layer });
    return i ? [arrow(), b] : [b];
  }));
  $("recorded-why").textContent = `${rec.source ? `${rec.source}: ` : ""}${rec.why}.`;
}

// The hidden-space caption of a recorded layer: its name, its width, how it is seen and what is drawn.
export function recordedCaption(fr) {
  const h = fr.hidden;
  if (!fr.recorded || !h) return null;
  const L = fr.arch.sizes.length - 1, name = layerLabel(h.layer, L, false, fr.arch.layer_names);
  const what = `${name}, recorded at step ${fr.metrics.step.toLocaleString()}: ${h.width} unit${h.width > 1 ? "s" : ""}`;
  const sep = h.separation;
  let how = "";
  if (h.width > 3) {
    how = sep || h.note
      ? ", each training point seen along the direction the classes are split (→) and the most remaining spread (↑)"
      : ", shown by a steady 3D projection (PCA); drag to turn";
  }
  let line = "";
  const who = sep && (sep.source === "network" ? "the network's own" : `a linear probe's (test accuracy ${(100 * sep.accuracy).toFixed(1)}%)`);
  if (sep && sep.regions) line = `; shaded: ${who} class regions, dashed where they meet`;
  else if (sep && sep.lines.length === 1) line = `; dashed line: ${who} boundary${sep.exact ? "" : " (its shadow in this view)"}`;
  else if (sep) line = `; no plane holds all ${sep.pairs.length} boundaries between the classes, so none is drawn`;
  if (h.plane) line = `; grey plane: ${h.plane.source === "network" ? "the network's own" : "a linear probe's"} boundary`;
  return what + how + line + (h.note ? `; ${h.note}` : "");
}
