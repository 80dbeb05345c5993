// The author's loop in a browser, started the way the README shows it: `mandat serve` from
// inside a copy of the sample site, with no --root. Opens a body page, edits its file,
// and expects the page to reload with the new title; then breaks the file and expects the
// problem over the page, the last good page kept.
// usage: NODE_PATH=<playwright-core> node .ci/serve-test.js path/to/mandat
const { spawn } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { launch } = require("./chromium");

const mandat = path.resolve(process.argv[2] || "target/release/mandat");
const site = fs.mkdtempSync(path.join(os.tmpdir(), "mandat-serve-"));
for (const entry of ["content", "mandat.toml"]) fs.cpSync(entry, path.join(site, entry), { recursive: true });
const file = path.join(site, "content/bodies/koordinationsgruppen.md");
const original = fs.readFileSync(file, "utf8");

(async () => {
  const server = spawn(mandat, ["serve", "--port", "0"], { cwd: site, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise((resolve, reject) => {
    server.stdout.on("data", (d) => {
      const m = /at (http:\/\/\S+)/.exec(d.toString());
      if (m) resolve(m[1]);
    });
    server.on("exit", () => reject(new Error("serve exited")));
  });
  const browser = await launch();
  let failed = 0;
  try {
    const page = await browser.newPage();
    await page.goto(url + "bodies/koordinationsgruppen/");
    await page.waitForTimeout(800);
    fs.writeFileSync(file, original.replace('title = "Koordinationsgruppen"', 'title = "Koordinationsgruppen (rettet)"'));
    await page.waitForFunction(() => document.querySelector("h1").textContent.includes("(rettet)"), null, { timeout: 5000 })
      .then(() => console.log("ok   an edit reloads the page"))
      .catch(() => { failed++; console.log("FAIL an edit did not reload the page"); });
    fs.writeFileSync(file, original.replace("+++\n", "+++\ntitle = \n"));
    await page.waitForSelector("[role=alert]", { timeout: 5000 })
      .then(() => console.log("ok   a broken file shows its problem over the last good page"))
      .catch(() => { failed++; console.log("FAIL no problem shown for a broken file"); });
  } finally {
    await browser.close();
    server.kill("SIGINT");
    fs.rmSync(site, { recursive: true, force: true });
  }
  console.log(`${2 - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
