// Saves Prometheus's own graph page of the injected delay's quantiles (p50, p90, p99 from the histogram the Api
// exports) after a real run (see prometheus.sh). Usage: node prometheus.mjs <Prometheus URL> <output PNG>
import { chromium } from 'playwright-core';

const [prometheusUrl, output] = process.argv.slice(2);
if (!prometheusUrl || !output) {
  console.error('usage: node prometheus.mjs <Prometheus URL> <output PNG>');
  process.exit(2);
}

const expr = [0.5, 0.9, 0.99]
  .map(q => `label_replace(histogram_quantile(${q}, sum by (le) (rate(httpserver_injected_delay_milliseconds_bucket[1m]))), "quantile", "${q}", "", "")`)
  .join(' or ');
// The data must be there before it is pictured: a page of empty axes proves nothing.
const check = await (await fetch(new URL(`/api/v1/query?query=${encodeURIComponent(expr)}`, prometheusUrl))).json();
if (check.status !== 'success' || check.data.result.length !== 3) {
  throw new Error(`Prometheus has no delay quantiles yet: ${JSON.stringify(check)}`);
}
for (const series of check.data.result) {
  console.log(`p${Number(series.metric.quantile) * 100}: ${Number(series.value[1]).toFixed(0)} ms`);
}

const page = new URL('/graph', prometheusUrl);
page.searchParams.set('g0.expr', expr);
page.searchParams.set('g0.tab', '0');
page.searchParams.set('g0.range_input', process.env.RANGE ?? '2m');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const tab = await browser.newPage({ viewport: { width: 1400, height: 880 } });
  await tab.goto(page.toString(), { waitUntil: 'networkidle' });
  // Debian's Prometheus 2.42 serves its classic UI, which draws the graph with Rickshaw as SVG paths.
  await tab.waitForSelector('.graph_area svg path', { state: 'attached', timeout: 30000 });
  await tab.waitForTimeout(1500);
  await tab.screenshot({ path: output, fullPage: false });
  console.log(`saved ${output}`);
} finally {
  await browser.close();
}
