// Opens the Aspire dashboard of a running AppHost in headless Chromium and saves its trace view of
// one GET /chain request (frontend -> backend), and its resources page. Usage:
//   node screenshot.mjs <dashboard login URL> <frontend URL> <output directory>
import { chromium } from 'playwright-core';

const [loginUrl, frontendUrl, outputDir] = process.argv.slice(2);
if (!loginUrl || !frontendUrl || !outputDir) {
  console.error('usage: node screenshot.mjs <dashboard login URL> <frontend URL> <output directory>');
  process.exit(2);
}

// A first request warms both services up (JIT); the second one's trace is the one shown.
await fetch(new URL('/chain', frontendUrl));
const answer = await (await fetch(new URL('/chain', frontendUrl))).json();
if (!answer.downstream || answer.downstream.traceId !== answer.traceId) {
  throw new Error(`/chain did not cross both services in one trace: ${JSON.stringify(answer)}`);
}
console.log(`trace ${answer.traceId}: ${answer.service} -> ${answer.downstream.service}`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 560 }, colorScheme: 'light' });
  await page.goto(loginUrl); // the login link's token sets the dashboard's auth cookie
  const dashboard = new URL(loginUrl).origin;

  // Spans are exported in batches: reload until both services' spans are in the trace view.
  for (let attempt = 1; ; attempt++) {
    await page.goto(`${dashboard}/traces/detail/${answer.traceId}`);
    try {
      await page.getByText('backend', { exact: false }).first().waitFor({ timeout: 5000 });
      await page.getByText('GET /chain', { exact: false }).nth(1).waitFor({ timeout: 5000 });
      break;
    } catch (error) {
      if (attempt >= 6) throw error;
    }
  }
  await dismissBanners(page);
  await page.waitForTimeout(1000); // let the Blazor UI finish laying out the span bars
  await save(page, 'dashboard-trace.png');

  await page.goto(dashboard);
  await page.getByText('Running').nth(1).waitFor({ timeout: 20000 }); // both resources
  await dismissBanners(page);
  await page.waitForTimeout(1000);
  await save(page, 'dashboard-resources.png');
} finally {
  await browser.close();
}

async function save(page, name) {
  const path = `${outputDir}/${name}`;
  await page.screenshot({ path });
  console.log(`saved ${path}`);
}

// Without an HTTPS development certificate the dashboard shows a warning banner; it says nothing
// about the app, so it is dismissed before the screenshot.
async function dismissBanners(page) {
  const dismiss = page.locator('.dashboard-message-bar-dismiss');
  await dismiss.first().waitFor({ timeout: 3000 }).catch(() => {});
  while (await dismiss.count() > 0) {
    await dismiss.first().click();
    await page.waitForTimeout(300);
  }
}
