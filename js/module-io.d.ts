// Types of module-io.js (internal).
import type { CollectorLink } from './telemetry-collector.js';

/** Sends what a module core answered through the collector's link. */
export function submitEvent(link: CollectorLink, event: string | undefined): void;
