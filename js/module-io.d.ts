// Types of the helpers the JS module classes share (module-io.js); internal.
import type { CollectorLink } from './telemetry-collector.js';

/** A plain object's JSON, or `undefined`. */
export function serialiseRecord(value: unknown): string | undefined;
/** A module's options as its core reads them. */
export function optionsJson(value: unknown): string | undefined;
/** Sends what a module core answered through the collector's link. */
export function submitEvent(link: CollectorLink, event: string | undefined): void;
