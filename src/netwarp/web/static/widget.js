// The playground inside a Jupyter cell (anywidget). It loads the playground's own page
// modules, sent by Python as text, wires them to the widget's channel instead of the
// websocket, and lets them run exactly as on the page: the same Python session answers.

// Each module's imports ("./net.js") point at the blob URLs of the modules already made, so
// the modules are made leaves first.
function moduleUrls(sources) {
  const deps = {};
  for (const [name, src] of Object.entries(sources)) {
    deps[name] = [...src.matchAll(/from\s+["']\.\/([\w-]+\.js)["']/g)].map((m) => m[1]);
  }
  const urls = {};
  const make = (name, seen = new Set()) => {
    if (urls[name]) return urls[name];
    if (seen.has(name)) throw new Error(`netwarp widget: import cycle at ${name}`);
    seen.add(name);
    for (const d of deps[name]) make(d, seen);
    const src = sources[name].replace(/from\s+["']\.\/([\w-]+\.js)["']/g, (_, d) => `from "${urls[d]}"`);
    urls[name] = URL.createObjectURL(new Blob([src], { type: "text/javascript" }));
    return urls[name];
  };
  for (const name of Object.keys(sources)) make(name);
  return urls;
}

export default {
  async render({ model, el }) {
    const root = document.createElement("div");
    root.className = "nw-root";
    const style = document.createElement("style");
    style.textContent = model.get("css");
    root.append(style);
    const body = document.createElement("div");
    body.innerHTML = model.get("body");
    root.append(...body.childNodes);
    el.append(root);
    let listener = null;
    globalThis.netwarpHost = {
      hash: model.get("hash"),
      connect(onMessage, onState) {
        listener = (msg) => {
          if (msg.closed) onState("closed", msg.closed);
          else onMessage(JSON.parse(msg.text));
        };
        model.on("msg:custom", listener);
        model.send({ open: true });
        setTimeout(() => onState("open"), 0);
        return { send: (m) => model.send({ text: JSON.stringify(m) }) };
      },
    };
    const urls = moduleUrls(model.get("modules"));
    await import(urls["app.js"]);
    return () => {
      if (listener) model.off("msg:custom", listener);
      model.send({ close: true });
    };
  },
};
