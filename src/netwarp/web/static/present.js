// Present mode (URL present=1): only the one or two panels the moment needs, side by side and
// as large as the window allows, for a projector. A lesson step names its panels; otherwise
// the data decides (the plane and its hidden space, the digits, or a regression's fit and curves).

import { PAGE, setPage } from "./net.js";

const $ = (id) => document.getElementById(id);
export const P = { on: false, panels: null, redraw: null };

export function setupPresent(requestDraw) {
  P.redraw = requestDraw;
  P.on = PAGE.present === "1";
  $("present").addEventListener("click", () => {
    P.on = !P.on;
    setPage("present", P.on ? "1" : null);
    applyPresent();
  });
  applyPresent();
}

// the panels a lesson step asks for (null: the data's own choice)
export function presentPanels(ids) {
  P.panels = ids && ids.length ? ids : null;
  applyPresent();
}

function defaultPanels(fr) {
  if (!fr) return ["p-field", "p-hidden"];
  if (fr.arch.recorded) return ["p-hidden", "p-curves"]; // no weights: its layers and its training
  if (fr.arch.sizes[0] === 64 && fr.arch.task === "classification") return ["p-digits"];
  if (fr.arch.task === "regression") return ["p-field", "p-curves"];
  return ["p-field", "p-hidden"];
}

export function applyPresent(fr) {
  const want = P.panels || defaultPanels(fr || (window.netwarp && window.netwarp.S.frame));
  const sig = `${P.on}:${want.join()}`;
  $("present").classList.toggle("on", P.on);
  if (P.sig === sig) return;
  P.sig = sig;
  document.body.classList.toggle("present", P.on);
  document.querySelectorAll(".views > .panel").forEach((p) => p.classList.toggle("shown", want.includes(p.id)));
  document.querySelector(".views").style.setProperty("--shown", String(Math.min(want.length, 2)));
  if (P.redraw) P.redraw();
}
