// Talking to the server: the websocket, base64 arrays, and the setup kept in the URL.
// Nothing here knows how a network computes; the server sends finished geometry.

// The notebook widget (netwarp.notebook) sets globalThis.netwarpHost before loading the page
// code: its own channel to the same Python session code instead of the websocket, and its
// own copy of the set-up instead of the URL (the notebook's URL is not ours to change).
const host = () => globalThis.netwarpHost;

export function connect(onMessage, onState) {
  if (host()) return host().connect(onMessage, onState);
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(`${proto}//${location.host}/ws`);
  ws.onmessage = (ev) => onMessage(JSON.parse(ev.data));
  ws.onopen = () => onState("open");
  ws.onclose = (ev) => onState("closed", ev.reason);
  return {
    send(msg) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    },
    ws,
  };
}

// base64 -> typed array (bytes are little-endian, which every browser here is)
export function f32(b64) {
  const bytes = bytes8(b64);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

export function bytes8(b64) {
  // native decoding where the browser has it: ~15x faster than the loop below
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(b64);
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// The URL hash holds the whole setup, so a link reproduces it. Its keys come
// from the server's settings schema (hello.settings): each row names its URL key.
let KEYS = {};

export function setUrlKeys(settings) {
  KEYS = {};
  for (const s of settings) if (s.url) KEYS[s.url] = s;
}

export function urlKeys() {
  return Object.keys(KEYS);
}

// The page's own state in the URL (not run settings, not the server's view): present mode,
// the lesson and its step. Read by readHash, written by writeHash; set with setPage.
const PAGE_KEYS = ["present", "lesson", "step"];
export const PAGE = {};

export function setPage(k, v) {
  PAGE[k] = v;
  const p = new URLSearchParams((host() ? host().hash : location.hash).slice(1));
  if (v === undefined || v === null) p.delete(k);
  else p.set(k, v);
  putHash(p);
}

// Lists read as written (hidden=8,8&act=tanh,relu): a comma needs no escape in a URL's hash
function putHash(p) {
  const h = "#" + p.toString().replace(/%2C/gi, ",");
  if (host()) host().hash = h;
  else history.replaceState(null, "", h);
}

export function readHash(defaults, datasets = []) {
  const cfg = structuredClone(defaults);
  const view = {};
  const p = new URLSearchParams((host() ? host().hash : location.hash).slice(1));
  for (const [key, s] of Object.entries(KEYS)) {
    if (!p.has(key)) {
      // a fresh page's own start (the first run in slow motion), unless its URL says otherwise
      if (s.page_default !== undefined) cfg[s.group][s.key] = s.page_default;
      continue;
    }
    const v = p.get(key);
    if (s.none_word && v === s.none_word) cfg[s.group][s.key] = null;
    else if (s.kind === "widths") cfg[s.group][s.key] = v === "" ? [] : v.split(",").map(Number);
    else if (s.kind === "choice") cfg[s.group][s.key] = s.per_layer && v.includes(",") ? v.split(",") : v;
    else if (s.kind === "bool") cfg[s.group][s.key] = v === "true" || v === "1";
    else cfg[s.group][s.key] = Number(v);
  }
  // a link to a dataset with its own network (digits) that names no widths gets that network
  const own = datasets.find((d) => d.name === cfg.data.dataset);
  if (!p.has("hidden") && own && own.hidden) cfg.net.hidden = [...own.hidden];
  for (const k of PAGE_KEYS) if (p.has(k)) PAGE[k] = p.get(k);
  if (p.has("layer")) view.layer = Number(p.get("layer"));
  if (p.has("res")) view.resolution = Number(p.get("res"));
  return { cfg, view, any: [...p.keys()].length > 0 };
}

export function writeHash(cfg, view) {
  const p = new URLSearchParams();
  for (const [key, s] of Object.entries(KEYS)) {
    let v = (cfg[s.group] || {})[s.key];
    if (v === undefined || v === null) {
      if (!s.zero_is_none && !s.none_word) continue;
      v = s.none_word || 0;
    }
    p.set(key, Array.isArray(v) ? v.join(",") : String(v));
  }
  for (const k of PAGE_KEYS) if (PAGE[k] !== undefined && PAGE[k] !== null) p.set(k, PAGE[k]);
  if (view.layer !== undefined) p.set("layer", view.layer);
  if (view.resolution !== undefined) p.set("res", view.resolution);
  putHash(p);
}

export function download(url, name) {
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}
