// The "(?)" next to every view: a click opens what the view shows and the math behind it,
// in the algebra's notation. The texts come from Python (netwarp.views.HELP, in the hello message).

const $ = (id) => document.getElementById(id);

export function setupHelp(S) {
  const pop = $("help-pop");
  const close = () => {
    pop.hidden = true;
    pop.dataset.view = "";
  };
  document.querySelectorAll("button.help[data-help]").forEach((b) =>
    b.addEventListener("click", (ev) => {
      ev.stopPropagation();
      const entry = S.hello.help[b.dataset.help];
      if (!entry || (pop.dataset.view === b.dataset.help && !pop.hidden)) return close();
      $("help-title").textContent = entry[0];
      $("help-text").textContent = entry[1];
      pop.dataset.view = b.dataset.help;
      pop.hidden = false;
      const r = b.getBoundingClientRect(), root = pop.offsetParent ? pop.offsetParent.getBoundingClientRect() : { left: 0, top: 0 };
      pop.style.left = `${Math.max(8, Math.min(r.left - root.left - 20, (pop.offsetParent || document.body).clientWidth - 380))}px`;
      pop.style.top = `${r.bottom - root.top + 6}px`;
    }),
  );
  $("help-close").addEventListener("click", close);
  document.addEventListener("keydown", (ev) => ev.key === "Escape" && close());
}
