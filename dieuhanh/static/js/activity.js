// A request the page makes by itself (hx-trigger "every …" or "load", htmx.ajax) is not the person's activity: it
// carries X-Background-Request, so that it neither keeps an idle session alive nor counts as its last use
// (dieuhanh/accounts/sessions.py). HTMX gives such requests no triggering event; a click, a key or a change has one.
document.addEventListener("htmx:configRequest", function (event) {
  if (!event.detail.triggeringEvent) event.detail.headers["X-Background-Request"] = "1";
});
