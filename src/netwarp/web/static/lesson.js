// The lesson panel: a lesson's steps, one at a time. A step is a set-up (run settings by their
// names in the settings table), a view (panels, layer, projection), maybe a task; the server
// checks the task on every frame (the grammar lives in netwarp.lessons), the page only shows it.

import { PAGE, setPage } from "./net.js";
import { applyRun, setView } from "./controls.js";
import { presentPanels } from "./present.js";

const $ = (id) => document.getElementById(id);
export const L = { lesson: null, k: 0, gaveUp: false };
let S, net;

export function setupLesson(state, connection) {
  [S, net] = [state, connection];
  const h = S.hello, pick = $("lesson-pick");
  for (const [name, l] of Object.entries(h.lessons)) pick.add(new Option(`${name}: ${l.title}`, name));
  pick.addEventListener("change", () => pick.value && open(h.lessons[pick.value], 1));
  $("lesson-file").addEventListener("change", async () => {
    const f = $("lesson-file").files[0];
    if (!f) return;
    net.send({ type: "lesson", name: f.name, text: await f.text() });
    $("lesson-file").value = "";
  });
  $("lesson-next").onclick = () => go(L.k + 1);
  $("lesson-back").onclick = () => go(L.k - 1);
  $("lesson-close").onclick = close;
  $("lesson-giveup").onclick = () => {
    L.gaveUp = true;
    lessonFrame(S.frame);
  };
  new ResizeObserver(underLesson).observe($("lesson")); // a task's answer can make the text taller
  if (h.replay) return;
  const name = PAGE.lesson || h.lesson;
  if (name && h.lessons[name]) open(h.lessons[name], Number(PAGE.step) || 1);
}

// a lesson file the server parsed (or its one-line problem, shown as an error)
export function lessonMessage(m) {
  S.hello.lessons[m.lesson.name] = m.lesson;
  open(m.lesson, 1);
}

function open(lesson, k) {
  L.lesson = lesson;
  $("lesson").hidden = false;
  document.body.classList.add("lesson-on");
  $("lesson").style.top = `${document.querySelector(".timeline").getBoundingClientRect().bottom}px`;
  $("lesson-title").textContent = lesson.title;
  go(Math.min(Math.max(1, k), lesson.steps.length));
}

function close() {
  L.lesson = null;
  $("lesson").hidden = true;
  document.body.classList.remove("lesson-on");
  setPage("lesson", null);
  setPage("step", null);
  presentPanels(null);
  net.send({ type: "task", text: null });
}

function go(k) {
  const lesson = L.lesson, n = lesson.steps.length;
  if (k < 1 || k > n) return;
  L.k = k;
  L.gaveUp = false;
  L.top = null;
  const step = lesson.steps[k - 1];
  applyRun(stepConfig(step));
  const v = step.view || {};
  if (v.layer !== undefined) setView({ layer: v.layer, t: v.layer });
  if (v.projection) setView({ projection: v.projection });
  net.send({ type: "task", text: step.task || null });
  if (step.play) net.send({ type: "play" });
  setPage("lesson", lesson.name);
  setPage("step", String(k));
  const panels = (v.panels || []).map((p) => "p-" + p);
  presentPanels(panels);
  document.querySelectorAll(".views > .panel").forEach((p) => p.classList.toggle("focus", panels.includes(p.id)));
  // in view (present mode shows only these panels, under the lesson: nothing to scroll to)
  L.scrollTo = panels.length && !document.body.classList.contains("present") ? panels : null;
  $("lesson-count").textContent = `step ${k} of ${n}`;
  $("lesson-text").innerHTML = markdown(step.text);
  $("lesson-back").disabled = k === 1;
  $("lesson-next").disabled = k === n;
  lessonFrame(S.frame);
}

// the step's set-up: the page's defaults, then the step's settings by name (the settings table's rows)
function stepConfig(step) {
  const h = S.hello, cfg = structuredClone(h.defaults), rows = Object.fromEntries(h.settings.map((r) => [r.name, r]));
  // as a new pick of the dataset menu: the dataset's own points and noise (the server fills them in)
  cfg.data = Object.fromEntries(h.settings.filter((r) => r.group === "data" && r.default !== null && !r.datasets.length)
    .map((r) => [r.key, cfg.data[r.key]]).filter(([, x]) => x !== undefined));
  for (const r of h.settings) if (r.page_default !== undefined) cfg[r.group][r.key] = r.page_default;
  const st = step.settings || {};
  const ds = h.datasets.find((d) => d.name === st.dataset);
  if (ds && ds.hidden && st.hidden === undefined) cfg.net.hidden = [...ds.hidden];
  for (const [name, v] of Object.entries(st)) if (rows[name]) cfg[rows[name].group][rows[name].key] = v;
  return cfg;
}

// every frame: whether the step's task is met (the server measured it), and what to say then
export function lessonFrame(fr) {
  if (!L.lesson || !fr) return;
  const step = L.lesson.steps[L.k - 1], el = $("lesson-task");
  let text = "", cls = "";
  if (step.task) {
    const t = fr.task && fr.task.text === step.task ? fr.task : null;
    if (t && t.met) [text, cls] = [`✓ ${step.task}. ${step.done || ""}`, "met"];
    else if (L.gaveUp) [text, cls] = [`${step.task}: not met. ${step.giveup || ""}`, "gaveup"];
    else text = `task: ${step.task}`;
  }
  if (el.textContent !== text) el.textContent = text;
  el.className = cls;
  $("lesson-giveup").hidden = !step.task || L.gaveUp || !!(fr.task && fr.task.met);
  // the highest of the step's panels, once they show (the digits panel waits for the digits' frame)
  const shown = (L.scrollTo || []).map((id) => $(id)).filter((p) => !p.hidden);
  const to = shown.length === (L.scrollTo || []).length && shown.sort((a, b) => a.offsetTop - b.offsetTop)[0];
  if (to) {
    L.scrollTo = null;
    L.top = to;
    underLesson();
  }
}

// the step's highest panel just under the lesson's text, which stays in view (sticky under the timeline)
function underLesson() {
  if (!L.lesson || !L.top || document.body.classList.contains("present")) return;
  window.scrollBy(0, L.top.getBoundingClientRect().top - $("lesson").getBoundingClientRect().bottom - 8);
}

// the little markdown a step's text uses: paragraphs, **bold**, *emphasis*; everything else is text
function markdown(src) {
  const esc = (t) => t.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return src.trim().split(/\n\s*\n/).map((p) => `<p>${esc(p).replace(/\*\*(.+?)\*\*/g, "<b>$1</b>").replace(/\*(.+?)\*/g, "<i>$1</i>")}</p>`).join("");
}
