import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { TelemetryProvider } from 'wasm-telemetry/react';
import { App } from './App.jsx';

// The collector's address comes from the page's query (`?endpoint=…&key=…`) for this example;
// an application would put its own. The release is the build's (`VITE_RELEASE=… vite build`),
// the one its source maps are uploaded under.
const params = new URLSearchParams(location.search);
const config = {
  collector: {
    endpoint: params.get('endpoint') ?? '/v1/events',
    apiKey: params.get('key') ?? undefined,
    release: import.meta.env.VITE_RELEASE,
    flushIntervalMs: 1000,
  },
  performance: { reportAllChanges: false },
  llm: { budgets: { session: 1 } },
  health: false,
};

createRoot(document.getElementById('root')).render(
  <StrictMode>
    <TelemetryProvider config={config}>
      <App />
    </TelemetryProvider>
  </StrictMode>,
);
