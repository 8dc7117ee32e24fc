// Plain <script type="module"> embed of the built package, as a static site would do, shared by
// the pages that test the package as such (sdk.html, traced.html). `?entry=collector` or
// `?entry=web` loads that entry instead of the full one; its classes are the ones `window.sdk`
// has.
const entry = new URLSearchParams(location.search).get('entry') ?? 'index';
const sdk = await import(`/pkg/${entry}.js`);
window.sdk = { ...sdk, init: sdk.default };
sdk.default().then(() => {
  window.sdkReady = true;
});
