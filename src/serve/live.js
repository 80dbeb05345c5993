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
  // Asks the server what it built, twice a second: a short request each time, so no
  // connection or server thread is held open per tab.
  var seen = null;
  function poll() {
    fetch("/__mandat/status", { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (status) {
        if (seen !== null && status.generation !== seen && !status.problems) {
          location.reload();
          return;
        }
        seen = status.generation;
        if (status.problems) { show(status.problems); }
        setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
