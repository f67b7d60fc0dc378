// The history modal of the entry form is filled by htmx; without this a failed request would leave "Loading…"
// forever, and a second cell would first show the previous cell's history.
(function () {
  const body = document.getElementById("history-body");
  if (!body) return;
  function show(id) { body.replaceChildren(document.getElementById(id).content.cloneNode(true)); }
  document.body.addEventListener("htmx:beforeRequest", (e) => { if (e.detail.target === body) show("history-loading"); });
  document.body.addEventListener("htmx:responseError", (e) => { if (e.detail.target === body) show("history-failed"); });
  document.body.addEventListener("htmx:sendError", (e) => { if (e.detail.target === body) show("history-failed"); });
})();
