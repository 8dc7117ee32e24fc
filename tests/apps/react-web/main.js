// A React app that chooses the `wasm-telemetry/web` entry for its provider (`sdk`), so only
// that entry is bundled and loaded. It tracks one event on mount to `?endpoint=`;
// `window.app` tells the test which modules the provider built.
import { createElement, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import * as sdk from 'wasm-telemetry/web';
import { TelemetryProvider, useTelemetry } from 'wasm-telemetry/react';

const endpoint = new URLSearchParams(location.search).get('endpoint') ?? undefined;

let report;
window.app = new Promise((resolve) => {
  report = resolve;
});

function Probe() {
  const telemetry = useTelemetry();
  useEffect(() => {
    if (!telemetry.ready) return;
    telemetry.collector.track({ type: 'app.entry', data: { entry: 'react-web' } });
    const modules = ['performance', 'errors', 'health', 'analytics', 'llm'].filter((name) => telemetry[name] !== null);
    telemetry.collector.flush().then((sent) => report({ entry: 'react-web', modules, sent }));
  }, [telemetry]);
  return null;
}

const config = { collector: { endpoint, flushIntervalMs: 0 }, health: { checkIntervalMs: 0 } };
createRoot(document.getElementById('root')).render(createElement(TelemetryProvider, { sdk, config }, createElement(Probe)));
