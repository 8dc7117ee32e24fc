// React bindings of wasm-telemetry (`wasm-telemetry/react`). React is a peer dependency.
// Nothing here touches `window` or `document` until a provider mounts in a browser, so server
// rendering imports and renders it safely (the SDK simply starts after hydration).
//
// The provider works with any package entry: pass the entry's module as `sdk`
// (`import * as sdk from 'wasm-telemetry/web'`), and only that entry's code is bundled. Without
// `sdk`, the full entry is loaded on demand, as a chunk of its own.
import { Component, createContext, createElement, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';

const TelemetryContext = createContext(null);

/** Each module's name in the provider's config and the class an entry exports for it. */
const MODULES = [
  ['performance', 'PerformanceMetrics'],
  ['analytics', 'UsageAnalytics'],
  ['errors', 'ErrorTracking'],
  ['health', 'HealthCheck'],
  ['llm', 'LlmTelemetry'],
];

/**
 * Builds the collector and every module of the entry `sdk` not set to `false` in `config`. A
 * module the entry does not have stays `null`; configuring one is reported on the console.
 */
function create(sdk, config) {
  const collector = new sdk.TelemetryCollector(config.collector ?? {});
  const telemetry = { collector, performance: null, analytics: null, errors: null, health: null, llm: null };
  for (const [name, className] of MODULES) {
    if (config[name] === false) continue;
    const Module = sdk[className];
    if (Module) telemetry[name] = new Module(collector, config[name] ?? {});
    else if (config[name] !== undefined) console.error(`[wasm-telemetry] ${className} is not in this entry; import it from 'wasm-telemetry'`);
  }
  sdk.replayQueue({ collector, errors: telemetry.errors ?? undefined });
  return telemetry;
}

function destroy(telemetry) {
  for (const [name] of MODULES) telemetry[name]?.destroy?.();
  telemetry.collector.destroy();
}

/**
 * Creates the collector and the modules from `config` once the wasm has loaded (loaded once
 * per page), provides them to `useTelemetry()`, and destroys them on unmount. React
 * StrictMode's unmount-and-remount in development reuses the same instances.
 * `config`: `{ collector: TelemetryCollector options, performance?, analytics?, errors?,
 * health?, llm? }`, each module's options, or `false` to leave that module out. `sdk`: the
 * entry to use (`import * as sdk from 'wasm-telemetry/web'`); without it, `wasm-telemetry`.
 */
export function TelemetryProvider({ config, children, wasm, sdk }) {
  const [telemetry, setTelemetry] = useState(null);
  const live = useRef(null);
  const pending = useRef([]);
  const configRef = useRef(config);

  useEffect(() => {
    let cancelled = false;
    const slot = live.current;
    if (slot) {
      // StrictMode remount: keep the instances whose destruction was scheduled.
      clearTimeout(slot.teardown);
      slot.teardown = undefined;
    } else {
      const entry = sdk ? Promise.resolve(sdk) : import('./index.js');
      entry
        .then(async (module) => {
          await module.default(wasm);
          return module;
        })
        .then((module) => {
          if (cancelled || live.current) return;
          const created = create(module, configRef.current ?? {});
          live.current = { telemetry: created };
          for (const job of pending.current.splice(0)) job(created);
          setTelemetry(created);
        })
        .catch((error) => {
          if (!cancelled) console.error('[wasm-telemetry] could not start:', error);
        });
    }
    return () => {
      cancelled = true;
      const current = live.current;
      if (current) {
        current.teardown = setTimeout(() => {
          live.current = null;
          destroy(current.telemetry);
        });
      }
    };
  }, [wasm, sdk]);

  const run = useCallback((job) => {
    if (live.current) job(live.current.telemetry);
    else pending.current.push(job);
  }, []);

  // A new value only when the instances change, so consumers do not re-render with every
  // render of the provider's parent.
  const value = useMemo(
    () => ({
      ready: telemetry !== null,
      collector: telemetry?.collector ?? null,
      performance: telemetry?.performance ?? null,
      analytics: telemetry?.analytics ?? null,
      errors: telemetry?.errors ?? null,
      health: telemetry?.health ?? null,
      llm: telemetry?.llm ?? null,
      run,
    }),
    [telemetry, run],
  );
  return createElement(TelemetryContext.Provider, { value }, children);
}

/**
 * `{ ready, collector, performance, analytics, errors, health, llm }` of the nearest
 * `<TelemetryProvider>`; every instance is `null` until the wasm has loaded.
 */
export function useTelemetry() {
  const value = useContext(TelemetryContext);
  if (!value) throw new Error('useTelemetry() must be used inside <TelemetryProvider>.');
  return value;
}

/**
 * A stable `track(type, data?)` for interactions; calls made before the SDK is ready are kept
 * and sent once it is.
 */
export function useTrack() {
  const { run } = useTelemetry();
  return useCallback((type, data) => run((t) => t.collector.track({ type, data, timestamp: Date.now() })), [run]);
}

/** Tracks `type` (with `data`) once when the component mounts, even under StrictMode. */
export function useTrackMount(type, data) {
  const track = useTrack();
  const done = useRef(false);
  useEffect(() => {
    if (done.current) return;
    done.current = true;
    track(type, data);
    // Only the first mount counts; later changes of `data` are not tracked.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [track]);
}

/**
 * Catches render errors below it, reports them through ErrorTracking (or the collector when
 * ErrorTracking is off) with the component stack, and renders `fallback` (an element, or a
 * function of `{ error, reset }`).
 */
export class ErrorBoundary extends Component {
  static contextType = TelemetryContext;

  constructor(props) {
    super(props);
    this.state = { error: null };
    this.reset = () => this.setState({ error: null });
  }

  static getDerivedStateFromError(error) {
    return { error };
  }

  componentDidCatch(error, info) {
    const context = { componentStack: info?.componentStack ?? '', boundary: this.props.name ?? 'ErrorBoundary' };
    this.context?.run((t) => {
      if (t.errors) t.errors.captureError(error, { severity: 'error', context });
      else t.collector.trackError(error, context);
    });
    this.props.onError?.(error, info);
  }

  render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    const { fallback } = this.props;
    return typeof fallback === 'function' ? fallback({ error, reset: this.reset }) : (fallback ?? null);
  }
}
