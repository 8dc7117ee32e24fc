/** Service and system statuses reported by HealthCheck. */
export declare const HealthStatus: Readonly<{ HEALTHY: 'healthy'; DEGRADED: 'degraded'; UNHEALTHY: 'unhealthy' }>;
