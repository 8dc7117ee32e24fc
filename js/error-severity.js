// ErrorSeverity, in a module of its own: `Object.freeze` is a call, which a bundler keeps in
// any module it includes, so beside ErrorTracking it would be in every page that uses the class.
// Alone, it is in the pages that import it.

/** Severities accepted by ErrorTracking.captureError. */
export const ErrorSeverity = Object.freeze({ DEBUG: 'debug', INFO: 'info', WARNING: 'warning', ERROR: 'error', CRITICAL: 'critical' });
