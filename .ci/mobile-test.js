// Every page of a built site at phone width (390 × 844, from file://): none may be wider
// than the screen. With SCREENSHOTS=DIR, also saves a screenshot of each page named in
// the remaining arguments.
// usage: NODE_PATH=<playwright-core> node .ci/mobile-test.js public [page.html …]
const fs = require("fs");
const path = require("path");
const { launch } = require("./chromium");

const site = path.resolve(process.argv[2] || "public");
const shots = process.argv.slice(3);

function pages(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return pages(p);
    return e.name.endsWith(".html") ? [p] : [];
  });
}

(async () => {
  const browser = await launch();
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const all = pages(site).sort();
  let failed = 0;
  for (const file of all) {
    await page.goto("file://" + file);
    const wide = await page.evaluate(() => {
      const width = document.documentElement.scrollWidth;
      if (width <= 392) return null;
      // Name the element that sticks out, to say what to fix.
      const culprit = [...document.querySelectorAll("body *")].find(
        (el) => el.getBoundingClientRect().right > 392 && el.children.length === 0,
      );
      return { width, culprit: culprit ? culprit.outerHTML.slice(0, 120) : "?" };
    });
    if (wide) {
      failed++;
      console.log(`FAIL ${path.relative(site, file)}: ${wide.width} px wide at 390 (${wide.culprit})`);
    }
  }
  if (process.env.SCREENSHOTS) {
    for (const p of shots) {
      await page.goto("file://" + path.join(site, p));
      const name = p.replace(/[\/]/g, "_").replace(/\.html$/, ".png");
      await page.screenshot({ path: path.join(process.env.SCREENSHOTS, name), fullPage: process.env.FULL_PAGE === "1" });
    }
  }
  await browser.close();
  console.log(`${all.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
