/* Search box of the default theme. Without JavaScript the header keeps its plain link to
   the list of all bodies; with it, that link becomes a search field.
   The index is chunked (see src/render/search.rs): search/index.js names the shards,
   a query loads the shards of its terms and then the files of the results it shows. Every
   file is a script, so search works offline and from file://. */
(function () {
  "use strict";
  var box = document.querySelector("[data-search]");
  if (!box) return;
  var root = box.getAttribute("data-root") || "";
  var t = JSON.parse(box.getAttribute("data-strings"));
  var LIMIT = 12;
  /* The bits of a posting, the field each stands for and its weight; INNER is a part of a
     title word (a compound), weaker than the title itself. */
  var FIELDS = [[1, "t", 4], [2, "a", 3], [4, "m", 1.5], [8, "k", 1], [16, "w", 1], [32, "x", 0.6], [64, "t", 2]];
  var INNER = 64;

  var data = { index: null, shards: {}, docs: {} };
  window.mandatSearch = {
    index: function (m) { data.index = m; },
    shard: function (n, terms) { data.shards[n] = terms; },
    docs: function (first, docs) { docs.forEach(function (d, i) { data.docs[first + i] = d; }); }
  };
  var loading = {};
  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = root + path;
        s.onload = resolve;
        s.onerror = function () { delete loading[path]; reject(new Error(path)); };
        document.head.appendChild(s);
      });
    }
    return loading[path];
  }

  /* Words folded as the index folds them (lower case, æ→ae, ø→oe, å→aa, no accents). */
  function fold(text) {
    return text.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa").replace(/ß/g, "ss")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").split(/[^a-z0-9]+/).filter(Boolean);
  }

  /* The last shard whose first term is at or before `term`. */
  function shardOf(term) {
    var firsts = data.index.shards, lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= term) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  /* A term of three letters or more matches every word it starts; a shorter one only
     itself, so that "ko" does not load every term beginning with it. */
  function isPrefix(term) { return term.length >= 3; }
  function shardsOf(term) {
    var from = shardOf(term), to = isPrefix(term) ? shardOf(term + "~") : from, out = [];
    for (var i = from; i <= to; i++) out.push(i);
    return out;
  }

  function weight(bits) {
    var w = 0;
    FIELDS.forEach(function (f) { if (bits & f[0] && f[2] > w) w = f[2]; });
    return w;
  }
  /* Document number → score of one query term. */
  function scores(term) {
    var out = new Map();
    shardsOf(term).forEach(function (n) {
      var shard = data.shards[n];
      for (var key in shard) {
        var exact = key === term;
        if (!exact && !(isPrefix(term) && key.lastIndexOf(term, 0) === 0)) continue;
        var doc = 0;
        shard[key].forEach(function (v) {
          doc += Math.floor(v / 128);
          var s = weight(v & 127) * (exact ? 1 : 0.75);
          if (!(out.get(doc) >= s)) out.set(doc, s);
        });
      }
    });
    return out;
  }
  /* Documents matching every term, best first; equal scores A–Z (the index's order). */
  function rank(terms) {
    var total = null;
    terms.forEach(function (term) {
      var s = scores(term);
      if (total === null) { total = s; return; }
      var both = new Map();
      total.forEach(function (v, doc) { if (s.has(doc)) both.set(doc, v + s.get(doc)); });
      total = both;
    });
    return Array.from(total.entries()).sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
  }

  function run(q) {
    var terms = fold(q);
    return load("search/index.js").then(function () {
      var shards = [];
      terms.forEach(function (term) { shards = shards.concat(shardsOf(term)); });
      return Promise.all(shards.map(function (n) { return load("search/s/" + n + ".js"); }));
    }).then(function () {
      var hits = terms.length ? rank(terms).slice(0, LIMIT) : [];
      var per = data.index.per_file;
      return Promise.all(hits.map(function (h) { return load("search/d/" + Math.floor(h[0] / per) + ".js"); })).then(function () {
        return { terms: terms, docs: hits.map(function (h) { return data.docs[h[0]]; }) };
      });
    });
  }

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

  /* Whether a word of the text is one the query asked for. */
  function matches(word, terms) {
    return fold(word).some(function (w) {
      return terms.some(function (term) { return isPrefix(term) ? w.indexOf(term) >= 0 : w === term; });
    });
  }
  /* The words around the first match in the best field but the title, the match marked. */
  function snippet(doc, terms) {
    var fields = ["a", "m", "k", "w", "x"];
    for (var i = 0; i < fields.length; i++) {
      var value = doc[fields[i]];
      var text = Array.isArray(value) ? value.join(" · ") : value || "";
      var re = /[\p{L}\p{N}]+/gu, m;
      while ((m = re.exec(text))) {
        if (!matches(m[0], terms)) continue;
        var from = Math.max(0, m.index - 40), end = m.index + m[0].length, to = Math.min(text.length, end + 40);
        var frag = document.createDocumentFragment();
        if (from > 0) frag.append("…");
        frag.append(text.slice(from, m.index));
        var mark = document.createElement("mark");
        mark.textContent = m[0];
        frag.append(mark, text.slice(end, to));
        if (to < text.length) frag.append("…");
        return frag;
      }
    }
    return null;
  }

  function show(result) {
    list.replaceChildren();
    result.docs.forEach(function (doc) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + doc.h;
      a.textContent = doc.t;
      li.append(a);
      if (doc.k) {
        var kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = " " + doc.k;
        li.append(kind);
      }
      var words = snippet(doc, result.terms);
      if (words) {
        var p = document.createElement("span");
        p.className = "search-snippet";
        p.append(words);
        li.append(p);
      }
      list.append(li);
    });
    var n = result.docs.length;
    list.hidden = false;
    list.classList.remove("from-left");
    if (list.getBoundingClientRect().left < 0) list.classList.add("from-left");
    status.textContent = n ? (n === 1 ? t.found_one : t.found).replace("{n}", n) : t.none;
    if (!n) {
      var li = document.createElement("li");
      li.textContent = t.none;
      list.append(li);
    }
  }

  /* Only the latest query is shown; typing pauses briefly before a search starts, so that
     fast typing does not load the shards of every prefix on the way. */
  var latest = 0, timer = null;
  function search() {
    var q = input.value.trim(), ticket = ++latest;
    clearTimeout(timer);
    if (q.length < 2) { list.replaceChildren(); list.hidden = true; status.textContent = ""; return; }
    timer = setTimeout(function () {
      run(q).then(function (result) { if (ticket === latest) show(result); },
        function () { if (ticket === latest) show({ terms: [], docs: [] }); });
    }, 60);
  }

  input.addEventListener("focus", function () { load("search/index.js").catch(function () {}); });
  input.addEventListener("input", search);
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
