// An application that imports the package by name, as an npm user would, and is bundled by Vite.
import init, { TelemetryCollector } from 'wasm-telemetry';

window.sdk = { init, TelemetryCollector };
init().then(() => {
  window.sdkReady = true;
});
