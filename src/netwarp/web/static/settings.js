// The Data and Network controls, built from the server's settings schema
// (hello.settings, one row per run setting): nothing here lists a setting by
// name, so a new row in netwarp/settings.py appears on the page by itself.
// A dataset's own setting (spiral arms, blobs classes) shows only for it.

const $ = (id) => document.getElementById(id);

// get(s): the setting's current value; set(s, v): the user changed it.
export function buildSettings(schema, get, set) {
  for (const s of schema) {
    const box = $(`${s.group}-settings`);
    if (!box) continue;
    if (s.kind === "widths") widthsRows(box, s, get, set);
    else box.appendChild(row(s, set));
    if (s.describe) {
      const p = document.createElement("p");
      p.id = `${s.control}-desc`;
      p.className = "hint";
      box.appendChild(p);
    }
  }
}

function row(s, set) {
  const label = document.createElement("label");
  label.id = `${s.control}-row`;
  label.title = s.help;
  label.append(`${s.label} `);
  let input;
  if (s.kind === "choice") {
    input = document.createElement("select");
    for (const c of s.choices) input.add(new Option(c.name, c.name));
  } else {
    input = document.createElement("input");
    input.type = s.kind === "bool" ? "checkbox" : s.widget === "slider" ? "range" : "number";
    if (s.min !== undefined) input.min = s.min;
    if (s.max !== undefined) input.max = s.max;
    input.step = s.step ?? (s.kind === "int" ? 1 : "any");
  }
  input.id = s.control;
  label.appendChild(input);
  if (s.widget === "slider") {
    const out = document.createElement("output");
    out.id = `${s.control}-out`;
    label.appendChild(out);
    input.addEventListener("input", () => (out.value = Number(input.value).toFixed(2)));
  }
  input.addEventListener("change", () => set(s, read(s, input)));
  return label;
}

function read(s, el) {
  if (s.kind === "choice") return el.value;
  if (s.kind === "bool") return el.checked;
  const v = el.value === "" ? null : Number(el.value);
  return s.zero_is_none && v === 0 ? null : v;
}

// hidden widths: a layer count with -/+ and one number input per layer
function widthsRows(box, s, get, set) {
  const head = document.createElement("div");
  head.className = "row";
  head.id = `${s.control}-row`;
  head.title = s.help;
  head.innerHTML = `<span>hidden layers</span><button id="layers-minus" title="remove a layer">−</button><b id="layers-count"></b><button id="layers-plus" title="add a layer">+</button>`;
  const units = document.createElement("div");
  units.id = s.control;
  units.className = "units";
  box.append(head, units);
  head.querySelector("#layers-plus").onclick = () => {
    const h = [...get(s)];
    h.push(h.length ? h[h.length - 1] : 4);
    set(s, h);
  };
  head.querySelector("#layers-minus").onclick = () => set(s, get(s).slice(0, -1));
  units.onchange = (ev) => {
    const h = [...get(s)];
    h[Number(ev.target.dataset.layer)] = Number(ev.target.value);
    set(s, h);
  };
}

function showWidths(s, hidden) {
  $("layers-count").textContent = hidden.length;
  const box = $(s.control);
  if (box.dataset.sig === hidden.join()) return;
  box.dataset.sig = hidden.join();
  box.innerHTML = "";
  hidden.forEach((u, i) => {
    const inp = document.createElement("input");
    Object.assign(inp, { type: "number", min: s.min, max: s.max, value: u, title: `units in hidden layer ${i + 1}` });
    inp.dataset.layer = i;
    box.appendChild(inp);
  });
}

// Show the config the server runs. Writes to the DOM only what changed: while
// training this runs 30+ times a second, and every write costs a layout pass.
export function syncSettings(schema, cfg) {
  const focus = document.activeElement, dataset = cfg.data.dataset;
  for (const s of schema) {
    const v = (cfg[s.group] || {})[s.key];
    if (s.kind === "widths") {
      showWidths(s, v || []);
      continue;
    }
    const row = $(`${s.control}-row`), el = $(s.control);
    if (!row || !el) continue;
    const hide = s.datasets.length > 0 && !s.datasets.includes(dataset);
    if (row.hidden !== hide) row.hidden = hide;
    const shown = v ?? (s.zero_is_none ? 0 : s.default);
    if (s.kind === "bool") {
      if (el !== focus && el.checked !== Boolean(shown)) el.checked = Boolean(shown);
    } else if (el !== focus && el.value !== String(shown ?? "")) el.value = String(shown ?? "");
    if (s.widget === "slider") {
      const out = $(`${s.control}-out`), t = Number(shown).toFixed(2);
      if (out.value !== t) out.value = t;
    }
    if (s.describe) {
      const d = $(`${s.control}-desc`), c = s.choices.find((x) => x.name === v);
      const t = (c && c.description) || "";
      if (d.textContent !== t) d.textContent = t;
    }
  }
}
