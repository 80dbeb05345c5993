/* Search box of the default theme. Without JavaScript the header keeps its plain link to
   the list of all bodies; with it, that link becomes a search field. The index is a
   script (search-index.js), so search works offline and from file://. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box || !window.Fuse) return;
  var root = box.getAttribute("data-root") || "";
  var t = JSON.parse(box.getAttribute("data-strings"));
  var fuse = null;

  var label = document.createElement("label");
  label.htmlFor = "search-input";
  label.className = "visually-hidden";
  label.textContent = t.label;
  var input = document.createElement("input");
  input.type = "search";
  input.id = "search-input";
  input.autocomplete = "off";
  input.placeholder = t.placeholder;
  input.setAttribute("aria-controls", "search-results");
  input.setAttribute("aria-describedby", "search-status");
  var status = document.createElement("p");
  status.id = "search-status";
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  var list = document.createElement("ul");
  list.id = "search-results";
  list.className = "search-results";
  list.hidden = true;
  box.replaceChildren(label, input, status, list);

  function load(then) {
    if (fuse) return then();
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () {
      fuse = new window.Fuse(window.mandatSearchIndex, {
        keys: [
          { name: "t", weight: 4 },
          { name: "a", weight: 3 },
          { name: "m", weight: 1.5 },
          { name: "k", weight: 1 },
          { name: "w", weight: 1 },
          { name: "x", weight: 0.6 }
        ],
        includeMatches: true,
        includeScore: true,
        ignoreLocation: true,
        ignoreDiacritics: false,
        threshold: 0.2,
        minMatchCharLength: 2
      });
      then();
    };
    document.head.appendChild(s);
  }

  /* The words around the best match, with the match marked. */
  function snippet(match) {
    var text = match.value, best = match.indices[0];
    match.indices.forEach(function (r) { if (r[1] - r[0] > best[1] - best[0]) best = r; });
    var from = Math.max(0, best[0] - 40), to = Math.min(text.length, best[1] + 41);
    var frag = document.createDocumentFragment();
    if (from > 0) frag.append("…");
    frag.append(text.slice(from, best[0]));
    var mark = document.createElement("mark");
    mark.textContent = text.slice(best[0], best[1] + 1);
    frag.append(mark, text.slice(best[1] + 1, to));
    if (to < text.length) frag.append("…");
    return frag;
  }

  function search() {
    var q = input.value.trim();
    list.replaceChildren();
    if (q.length < 2) { list.hidden = true; status.textContent = ""; return; }
    var results = fuse.search(q, { limit: 12 });
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + r.item.h;
      a.textContent = r.item.t;
      li.append(a);
      if (r.item.k) {
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = " " + r.item.k;
        li.append(kind);
      }
      var m = (r.matches || []).filter(function (x) { return x.key !== "t"; })[0];
      if (m) {
        var p = document.createElement("span");
        p.className = "search-snippet";
        p.append(snippet(m));
        li.append(p);
      }
      list.append(li);
    });
    list.hidden = false;
    status.textContent = results.length ? (results.length === 1 ? t.found_one : t.found).replace("{n}", results.length) : t.none;
    if (!results.length) {
      var li = document.createElement("li");
      li.textContent = t.none;
      list.append(li);
    }
  }

  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", function () { load(search); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") {
      var first = list.querySelector("a");
      if (first) { e.preventDefault(); first.focus(); }
    } else if (e.key === "Escape") {
      input.value = ""; search();
    }
  });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    if (e.key === "Escape") { input.focus(); }
  });
})();
