// HealthStatus, in a module of its own: `Object.freeze` is a call, which a bundler keeps in any
// module it includes, so beside HealthCheck it would be in every page that uses the class.
// Alone, it is in the pages that import it.

/** Service and system statuses reported by HealthCheck. */
export const HealthStatus = Object.freeze({ HEALTHY: 'healthy', DEGRADED: 'degraded', UNHEALTHY: 'unhealthy' });
