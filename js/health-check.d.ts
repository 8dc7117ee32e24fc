// Types of the HealthCheck class (health-check.js), shared by the web and full entries.
import type { CollectorLink, TelemetryCollector } from './telemetry-collector.js';

/** Service and system statuses. */
export type HealthState = 'healthy' | 'degraded' | 'unhealthy';

/** HealthCheck options. */
export interface HealthCheckOptions {
  /** Run the checks at all (default true). */
  enabled?: boolean;
  /** Milliseconds between timed checks, 0 for on-demand only (default 60000). */
  checkIntervalMs?: number;
  /** Failures in a row that make a service unhealthy, 1 to 1000 (default 3). */
  failureThreshold?: number;
  /** How long a check may take before it counts as failed, in ms (default 5000). */
  timeoutMs?: number;
}
/** What a service check resolves with. */
export interface ServiceCheckResult { status: HealthState; responseTime?: number; message?: string }
/** A service check. */
export type ServiceCheck = () => ServiceCheckResult | Promise<ServiceCheckResult>;
/** The system's health as of the last checks. */
export interface HealthReport {
  status: HealthState;
  services: Array<{ name: string; status: HealthState; critical: boolean; consecutiveFailures: number; responseTime: number | null; message: string | null; lastChecked: number | null }>;
  uptime: number;
  timestamp: number;
}

/** Service health checks, reported through `collector` as `health.status` events. */
export declare class HealthCheck {
  /** Throws a RangeError naming the option and the rule when an option is out of range. */
  constructor(collector: TelemetryCollector, options?: HealthCheckOptions);
  /** Registers (or replaces) a service check; `critical` (default true) services make the whole system unhealthy when they fail. Throws a TypeError when `name` is not a non-empty string or `check` not a function. */
  registerService(name: string, check: ServiceCheck, critical?: boolean): void;
  /** Removes a service. */
  unregisterService(name: string): void;
  /** Runs every check now; resolves with the health report. */
  runChecks(): Promise<HealthReport>;
  /** The system's health as of the last checks. */
  getHealthReport(): HealthReport;
  /** Whether the system status is healthy. */
  isHealthy(): boolean;
  /** Stops the periodic checks. */
  destroy(): void;
}

/** The HealthCheck class over an entry's wasm (internal). */
export function healthCheckClass(wasm: unknown, linkOf: (collector: TelemetryCollector) => CollectorLink): typeof HealthCheck;
