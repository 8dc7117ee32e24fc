// Loaded under a strict Content-Security-Policy (no inline script): loads the SDK and sends.
import init, { TelemetryCollector } from '/pkg/index.js';

window.violations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
const endpoint = new URLSearchParams(location.search).get('endpoint');
try {
  await init();
  const collector = new TelemetryCollector({ endpoint, flushIntervalMs: 0 });
  for (let n = 0; n < 3; n++) collector.track({ type: 'e2e.csp', data: { n } });
  window.sent = await collector.flush();
} catch (error) {
  window.initError = String(error);
}
window.sdkReady = true;
