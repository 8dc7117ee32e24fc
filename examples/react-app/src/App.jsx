import { useState } from 'react';
import { ErrorBoundary, useTelemetry, useTrack, useTrackMount } from 'wasm-telemetry/react';

function Cart() {
  useTrackMount('cart.viewed', { items: 2 });
  const track = useTrack();
  const { ready, llm, collector } = useTelemetry();
  const [explode, setExplode] = useState(false);
  if (explode) throw new Error('Cart failed to render');
  const askAssistant = () => {
    const cost = llm?.trackCall({ provider: 'openai', model: 'gpt-4o-mini', usage: { prompt_tokens: 800, completion_tokens: 200 }, latencyMs: 640, success: true });
    track('assistant.asked', { cost: cost?.totalCost ?? null });
  };
  return (
    <section>
      <p id="status">{ready ? 'telemetry ready' : 'telemetry loading'}</p>
      <button id="buy" onClick={() => track('cart.checkout', { items: 2 })}>Check out</button>
      <button id="assistant" onClick={askAssistant}>Ask the assistant</button>
      <button id="flush" onClick={() => collector?.flush()}>Send now</button>
      <button id="explode" onClick={() => setExplode(true)}>Break the cart</button>
    </section>
  );
}

export function App() {
  return (
    <main>
      <h1>Shop</h1>
      <ErrorBoundary name="cart" fallback={({ reset }) => <button id="reset" onClick={reset}>The cart broke. Try again</button>}>
        <Cart />
      </ErrorBoundary>
    </main>
  );
}
