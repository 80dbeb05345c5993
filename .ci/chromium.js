// Starts Debian's Chromium for the browser checks, strictly offline: a dead loopback
// proxy and a resolver that resolves nothing but loopback (Chromium calls Google's hosts
// even when told not to), as ../shared/tools/check-site.sh starts it.
const { chromium } = require("playwright-core");

exports.launch = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      "--proxy-server=http://127.0.0.1:9",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ],
  });
