// The Data and Network controls, built from the server's settings schema
// (hello.settings, one row per run setting): nothing here lists a setting by
// name, so a new row in netwarp/settings.py appears on the page by itself.
// A dataset's own setting (spiral arms, blobs classes) shows only for it. A per-layer
// choice (the activation) has its "all layers" menu and one small menu per hidden layer.

const $ = (id) => document.getElementById(id);
const MIXED = "__mixed"; // the "all layers" menu's value when the hidden layers differ

// get(s): the setting's current value; set(s, v): the user changed it.
export function buildSettings(schema, get, set) {
  const widths = schema.find((r) => r.kind === "widths");
  for (const s of schema) {
    const box = $(`${s.group}-settings`);
    if (!box) continue;
    if (s.kind === "widths") widthsRows(box, s, get, set);
    else box.appendChild(row(s, set));
    if (s.per_layer && widths) box.appendChild(layerMenus(s, widths, get, set));
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
  label.append(s.per_layer ? `${s.label}, all layers ` : `${s.label} `);
  let input;
  if (s.kind === "choice") {
    input = document.createElement("select");
    for (const c of s.choices) input.add(new Option(c.name, c.name));
    if (s.per_layer) {
      // what the "all layers" menu shows when the layers differ; not a choice itself
      const mixed = new Option("mixed", MIXED);
      mixed.disabled = mixed.hidden = true;
      input.add(mixed);
      input.title = "sets every hidden layer; the menus below set one layer each";
    }
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

// A per-layer choice as one name per hidden layer: a name fills all n; a list keeps its
// layers' names and gives any new layer the last one's.
export function perLayer(v, n) {
  if (!Array.isArray(v)) return Array(n).fill(v);
  return Array.from({ length: n }, (_, i) => v[Math.min(i, v.length - 1)]);
}

// After the number of hidden layers changed: every per-layer choice fitted to it, and a
// list whose layers agree written as the one name (the URL keeps act=tanh).
export function fitLayers(schema, cfg) {
  const widths = schema.find((r) => r.kind === "widths");
  if (!widths) return;
  const n = (cfg[widths.group][widths.key] || []).length;
  for (const s of schema) {
    const v = (cfg[s.group] || {})[s.key];
    if (!s.per_layer || !Array.isArray(v)) continue;
    const names = perLayer(v, Math.max(n, 1));
    cfg[s.group][s.key] = names.every((x) => x === names[0]) ? names[0] : names;
  }
}

// One small menu per hidden layer (h1, h2, …), under the "all layers" menu
function layerMenus(s, widths, get, set) {
  const box = document.createElement("div");
  box.id = `${s.control}-layers`;
  box.className = "layer-menus";
  box.title = `${s.label} of each hidden layer (h1 is the first)`;
  box.onchange = (ev) => {
    const names = perLayer(get(s), get(widths).length);
    names[Number(ev.target.dataset.layer)] = ev.target.value;
    set(s, names);
  };
  return box;
}

function showLayerMenus(s, v, n, focus) {
  const box = $(`${s.control}-layers`);
  if (!box) return;
  const names = perLayer(v, n);
  if (box.childElementCount !== n) {
    box.innerHTML = "";
    for (let i = 0; i < n; i++) {
      const label = document.createElement("label");
      label.append(`h${i + 1}`);
      const sel = document.createElement("select");
      for (const c of s.choices) sel.add(new Option(c.name, c.name));
      sel.id = `${s.control}-${i + 1}`;
      sel.dataset.layer = i;
      sel.title = `${s.label} of hidden layer ${i + 1}`;
      sel.disabled = $(s.control).disabled; // a replay's settings are greyed out, these too
      label.appendChild(sel);
      box.appendChild(label);
    }
  }
  names.forEach((name, i) => {
    const sel = box.children[i].querySelector("select");
    if (sel !== focus && sel.value !== name) sel.value = name;
  });
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
  const widths = schema.find((r) => r.kind === "widths");
  const layers = widths ? ((cfg[widths.group] || {})[widths.key] || []).length : 0;
  for (const s of schema) {
    let v = (cfg[s.group] || {})[s.key];
    if (s.kind === "widths") {
      showWidths(s, v || []);
      continue;
    }
    if (s.per_layer) {
      showLayerMenus(s, v, layers, focus);
      if (Array.isArray(v)) v = v.every((x) => x === v[0]) ? v[0] : MIXED;
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
