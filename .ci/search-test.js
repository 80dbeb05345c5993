// Browser test of the search box: types into it on the built sample site, opened from
// disk (file://), and checks that the expected bodies are found, by keyboard alone.
// usage: NODE_PATH=<playwright-core> node .ci/search-test.js public
const path = require("path");
const { launch } = require("./chromium");

const site = path.resolve(process.argv[2] || "public");
const cases = [
  ["direktør", "Sundhedsdirektørkredsen"],                  // part of a title
  ["mødereferater", "Koordinationsgruppen"],                  // a word of its tasks
  ["Sygehus Sønderjylland", "Koordineringsforum for implementeringsgrupperne"], // a member organisation
];

(async () => {
  const browser = await launch();
  const page = await browser.newPage();
  let failed = 0;
  for (const [query, expected] of cases) {
    await page.goto("file://" + site + "/bodies/sundhedsdirektoerkredsen/index.html");
    // Keyboard only: the skip link first, then on to the search field.
    await page.keyboard.press("Tab");
    await page.focus("#search-input");
    await page.keyboard.type(query, { delay: 10 });
    await page.waitForSelector("#search-results:not([hidden]) li");
    const titles = await page.$$eval("#search-results a", (as) => as.map((a) => a.textContent));
    const status = await page.textContent("#search-status");
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
    const ok = titles.includes(expected) && focused === titles[0] && /\d/.test(status);
    console.log(`${ok ? "ok  " : "FAIL"} "${query}" → ${titles.slice(0, 5).join(" | ")} (status: ${status})`);
    if (!ok) failed++;
  }
  // Without JavaScript the box is a link to the list of bodies.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto("file://" + site + "/index.html");
  const fallback = await plain.getAttribute(".search a", "href");
  const fallbackOk = fallback === "bodies/index.html";
  console.log(`${fallbackOk ? "ok  " : "FAIL"} without JavaScript the search box links to ${fallback}`);
  if (!fallbackOk) failed++;
  await browser.close();
  console.log(`${cases.length + 1 - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
