// Search on a large site (CI builds a synthetic 10,000-body one): over HTTP, the first search
// of each query may load at most 300 KB in all (search.js and every file loaded for the
// query; the page's own style sheet and fonts are not the search's); from file:// the same
// queries answer. Reports the time from the last key to the
// answer (the goal is 200 ms; timing is reported, not asserted: speed is for benchmarks).
// usage: NODE_PATH=<playwright-core> node .ci/search-scale-test.js path/to/public
const fs = require("fs");
const http = require("http");
const path = require("path");
const { launch } = require("./chromium");

const site = path.resolve(process.argv[2] || "public");
const BUDGET = 300 * 1024;
const cases = [
  ["koordin", "Koordin"],            // a prefix of title words
  ["ældrepleje", "ldrepleje"],       // Danish letters
  ["aeldrepleje", "ldrepleje"],      // … spelled out
  ["pleje", "ldrepleje"],            // inside compounds ("…om ældrepleje")
  ["Anne Hansen", "Anne Hansen"],    // a person by name
];

const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".woff2": "font/woff2" };
const server = http.createServer((req, res) => {
  let file = path.join(site, decodeURIComponent(req.url.split("?")[0]));
  if (!file.startsWith(site)) { res.writeHead(403); return res.end(); }
  if (file.endsWith("/")) file += "index.html";
  fs.readFile(file, (err, body) => {
    if (err) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream", "content-length": body.length });
    res.end(body);
  });
});

async function query(page, url, q, expected, counting) {
  let bytes = 0, files = 0;
  const onResponse = async (r) => {
    if (!/search/.test(new URL(r.url()).pathname)) return;
    try { bytes += (await r.body()).length; files++; } catch (e) { /* redirects have no body */ }
  };
  if (counting) page.on("response", onResponse);
  await page.goto(url, { waitUntil: "load" });
  await page.focus("#search-input");
  await page.keyboard.type(q, { delay: 30 });
  const typed = Date.now();
  let found = true;
  await page.waitForFunction((x) => [...document.querySelectorAll("#search-results a")].some((a) => a.textContent.includes(x)),
    expected, { timeout: 20000 }).catch(() => { found = false; });
  const ms = Date.now() - typed;
  await page.waitForTimeout(300); // files still arriving count too
  if (counting) page.off("response", onResponse);
  return { found, ms, bytes, files };
}

(async () => {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await launch();
  let failed = 0;
  for (const [q, expected] of cases) {
    // A new context each time: nothing cached, the first search.
    const context = await browser.newContext();
    const page = await context.newPage();
    const r = await query(page, base + "index.html", q, expected, true);
    const ok = r.found && r.bytes <= BUDGET;
    console.log(`${ok ? "ok  " : "FAIL"} http  "${q}": ${r.found ? "found" : "NOT FOUND"} "${expected}" ${r.ms} ms after the last key; ${r.files} files, ${(r.bytes / 1024).toFixed(1)} KB (budget ${BUDGET / 1024} KB)`);
    if (!ok) failed++;
    const f = await query(page, "file://" + site + "/index.html", q, expected, false);
    console.log(`${f.found ? "ok  " : "FAIL"} file  "${q}": ${f.found ? "found" : "NOT FOUND"} "${expected}" ${f.ms} ms after the last key`);
    if (!f.found) failed++;
    await context.close();
  }
  await browser.close();
  server.close();
  console.log(`${cases.length * 2 - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
