// report_page.js: opens the analysts' HTML report in headless Chromium and
// says whether it rendered (used by tests/e2e/report.sh).
//
//   node report_page.js REPORT.html SCREENSHOT.png
//
// Prints one JSON object: console errors and page errors, every request
// that left the page (none may: the page is self-contained), every chart
// element with whether ECharts finished drawing it and how many distinct
// colours its canvas holds (a blank canvas has one or two), and the
// screenshot's path; whether a partner's text that tries to end a script
// ran (pwned) or is shown as text.  Exit status 0 when it could check, 2 when it could not.
"use strict";
const { chromium } = require("playwright-core");
const path = require("path");

(async () => {
  const [file, shot] = process.argv.slice(2);
  const result = { console_errors: [], page_errors: [], requests: [], charts: [], screenshot: shot };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("console", m => { if (m.type() === "error") result.console_errors.push(m.text()); });
    page.on("pageerror", e => result.page_errors.push(String(e)));
    const url = "file://" + path.resolve(file);
    // Any request but the page itself is a failure; abort it so nothing leaves.
    await page.route("**/*", route => {
      const u = route.request().url();
      if (u === url) return route.continue();
      result.requests.push(u);
      return route.abort();
    });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForFunction(() => document.body.dataset.ready === "1", null, { timeout: 20000 })
      .catch(() => result.page_errors.push("page script did not finish"));
    await page.waitForFunction(() => Array.from(document.querySelectorAll(".chart"))
      .every(c => c.dataset.drawn === "1"), null, { timeout: 20000 }).catch(() => {});
    result.pwned = await page.evaluate(() => window.__pwned === 1);
    result.hostile_text_shown = await page.evaluate(() =>
      document.body.textContent.includes("X</script><script>window.__pwned=1</script>"));
    // The response-tracking table, one text per row (the group test looks
    // for a member listed as not submitted).
    result.tracking_rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll("#table-tracking tbody tr")).map(tr =>
        Array.from(tr.children).map(td => td.textContent).join(" | ")));
    result.charts = await page.evaluate(() => Array.from(document.querySelectorAll(".chart")).map(c => {
      const canvas = c.querySelector("canvas");
      let colours = 0;
      if (canvas) {
        const ctx = canvas.getContext("2d");
        const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        const seen = new Set();
        for (let i = 0; i < px.length; i += 4) seen.add((px[i] << 24) | (px[i + 1] << 16) | (px[i + 2] << 8) | px[i + 3]);
        colours = seen.size;
      }
      return { id: c.id, drawn: c.dataset.drawn === "1", canvas: !!canvas, colours };
    }));
    await page.screenshot({ path: shot, fullPage: true });
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(result, null, 1));
})().catch(e => { console.error(String(e)); process.exit(2); });
