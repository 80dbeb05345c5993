/* Live reload of `mandat serve`: reloads the page when the site is rebuilt, and shows the
   problems over the page while the content is invalid (the last good site stays). */
(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:1rem;z-index:99;overflow:auto;background:#1b1f24;color:#f3f5f8;" +
        "padding:1rem 1.25rem;border:3px solid #d33;border-radius:.5rem;font:13px/1.45 monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "mandat: the content has problems; this is the last good version of the site.\n\n" + text;
  }
  var events = new EventSource("/__mandat/events");
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("problems", function (e) { show(e.data); });
})();
