/** Severities accepted by ErrorTracking.captureError. */
export declare const ErrorSeverity: Readonly<{ DEBUG: 'debug'; INFO: 'info'; WARNING: 'warning'; ERROR: 'error'; CRITICAL: 'critical' }>;
