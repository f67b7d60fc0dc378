// Wall mode: show one panel at a time, move on every data-seconds, keep the place when HTMX brings fresh panels
// (and ignore a refresh that is not panels, e.g. a login page after the session ended). Arrow keys step by hand.
(function () {
  const wall = document.getElementById("wall");
  const container = document.getElementById("wall-panels");
  const dots = document.getElementById("wall-dots");
  const clock = document.getElementById("wall-clock");
  const seconds = Math.max(parseInt(wall.dataset.seconds, 10) || 20, 2);
  let index = 0;
  let timer = null;

  const panels = () => Array.from(container.querySelectorAll(".wall-panel"));

  function show(i) {
    const all = panels();
    if (!all.length) return;
    index = ((i % all.length) + all.length) % all.length;
    all.forEach((panel, k) => { panel.hidden = k !== index; });
    wall.dataset.current = String(index);
    dots.replaceChildren(...all.map((_, k) => {
      const dot = document.createElement("span");
      if (k === index) dot.className = "active";
      return dot;
    }));
  }

  function restart() {
    clearInterval(timer);
    timer = setInterval(() => show(index + 1), seconds * 1000);
  }

  function tick() {
    const now = new Date();
    const zone = { timeZone: "Asia/Ho_Chi_Minh" };
    clock.textContent = now.toLocaleTimeString("vi-VN", { ...zone, hour: "2-digit", minute: "2-digit" }) + " · " +
      now.toLocaleDateString("vi-VN", { ...zone, day: "2-digit", month: "2-digit", year: "numeric" });
  }

  // A sparkline per KPI card from data-series ([[label, value, is_estimate], ...]); gaps stay gaps.
  const SVG = "http://www.w3.org/2000/svg";
  function sparklines() {
    container.querySelectorAll(".wall-spark[data-series]").forEach((box) => {
      let points;
      try { points = JSON.parse(box.dataset.series); } catch (e) { return; }
      const values = points.map((p) => p[1]).filter((v) => v !== null && v !== undefined);
      if (values.length < 2) return;
      const low = Math.min(...values), high = Math.max(...values), span = high - low || 1;
      // The line spans the periods that have figures (a yearly figure known for two years fills the width).
      const known = points.map((p, i) => (p[1] === null || p[1] === undefined) ? -1 : i).filter((i) => i >= 0);
      const first = known[0], step = 100 / Math.max(known[known.length - 1] - first, 1);
      const svg = document.createElementNS(SVG, "svg");
      svg.setAttribute("viewBox", "0 0 100 30");
      svg.setAttribute("preserveAspectRatio", "none");
      let path = "", pen = false;
      points.forEach((p, i) => {
        if (p[1] === null || p[1] === undefined) { pen = false; return; }
        const x = ((i - first) * step).toFixed(2), y = (28 - ((p[1] - low) / span) * 26).toFixed(2);
        path += (pen ? " L" : " M") + x + " " + y;
        pen = true;
      });
      const line = document.createElementNS(SVG, "path");
      line.setAttribute("d", path.trim());
      line.setAttribute("fill", "none");
      line.setAttribute("stroke", "#4ea1ff");
      line.setAttribute("stroke-width", String(Math.max(2, window.innerWidth / 640)));
      line.setAttribute("vector-effect", "non-scaling-stroke");
      svg.appendChild(line);
      box.replaceChildren(svg);
    });
  }

  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target !== container) return;
    const text = event.detail.xhr.responseText || "";
    if (event.detail.xhr.status !== 200 || !text.includes("wall-panel")) event.detail.shouldSwap = false;
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === container) { sparklines(); show(index); }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") { show(index + 1); restart(); }
    if (event.key === "ArrowLeft") { show(index - 1); restart(); }
    if (event.key === "Escape") document.getElementById("wall-exit").click();
  });

  sparklines();
  show(0);
  restart();
  tick();
  setInterval(tick, 15000);
})();
