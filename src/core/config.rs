//! `TelemetryCollector` configuration: defaults, validation and partial updates.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use thiserror::Error;

named_enum! {
    /// How events are selected for collection.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SamplingStrategy {
        /// Every event is kept.
        Always = "always",
        /// No event is kept.
        Never = "never",
        /// Each event is kept with probability `samplingRate`.
        Probabilistic = "probabilistic",
        /// At most `maxEventsPerWindow` events are kept per `throttleWindowMs`.
        Throttled = "throttled",
    }
}

named_enum! {
    /// Where batches go.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TransportKind {
        /// `fetch` POST to `endpoint`.
        Http = "http",
        /// `navigator.sendBeacon` to `endpoint`.
        Beacon = "beacon",
        /// Appended to `localStorage` for the application to pick up.
        LocalStorage = "localStorage",
        /// Written to the browser console.
        Console = "console",
        /// Handed to the application's `customTransport` function.
        Custom = "custom",
        /// OTLP/HTTP JSON to an OpenTelemetry Collector: `<endpoint>/v1/logs` and `/v1/metrics`.
        Otlp = "otlp",
    }
}

impl TransportKind {
    fn needs_endpoint(self) -> bool {
        matches!(self, Self::Http | Self::Beacon | Self::Otlp)
    }
}

/// Field names redacted by default (matched by the privacy layer).
pub const DEFAULT_REDACT_FIELDS: [&str; 7] = [
    "email",
    "password",
    "token",
    "apiKey",
    "secret",
    "creditCard",
    "ssn",
];

/// Every configuration field the collector accepts, as spelled in JavaScript.
pub const FIELDS: [&str; 27] = [
    "enabled",
    "sampling",
    "samplingRate",
    "maxBufferSize",
    "flushIntervalMs",
    "transport",
    "endpoint",
    "apiKey",
    "customTransport",
    "redactPII",
    "redactFields",
    "debug",
    "throttleWindowMs",
    "maxEventsPerWindow",
    "requireConsent",
    "respectDoNotTrack",
    "redactPatterns",
    "allowedQueryParams",
    "beforeSend",
    "userIdSalt",
    "serviceName",
    "errorSamplingRate",
    "maxErrorsPerWindow",
    "retryBaseMs",
    "retryMaxMs",
    "breakerThreshold",
    "breakerCooldownMs",
];

/// A rejected configuration value. `Type` and `Missing` map to a JS `TypeError`, `Range` to a
/// `RangeError`; every message names the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message())]
pub enum ConfigError {
    /// The value has the wrong JavaScript type (or is not one of the allowed names).
    Type {
        /// Field name as spelled in JavaScript.
        field: &'static str,
        /// What the field accepts.
        expected: &'static str,
    },
    /// The value has the right type but lies outside the allowed range.
    Range {
        /// Field name as spelled in JavaScript.
        field: &'static str,
        /// The rule it broke.
        rule: &'static str,
    },
    /// A field required by another field's value is absent.
    Missing {
        /// Field name as spelled in JavaScript.
        field: &'static str,
        /// Why it is required.
        condition: &'static str,
    },
    /// A field this SDK does not know (usually a typo).
    Unknown(String),
}

impl ConfigError {
    /// The message shown to developers, naming the field and the rule. Built by concatenation
    /// so the wasm build needs no formatting machinery.
    pub fn message(&self) -> String {
        match self {
            Self::Type { field, expected } => [field, " must be ", expected].concat(),
            Self::Range { field, rule } => [field, " must be ", rule].concat(),
            Self::Missing { field, condition } => [field, " is required when ", condition].concat(),
            Self::Unknown(field) => ["unknown config field '", field, "'"].concat(),
        }
    }
}

/// The validated configuration of one collector.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Kill switch: when false nothing is collected.
    pub enabled: bool,
    /// Sampling strategy.
    pub sampling: SamplingStrategy,
    /// Probability of keeping an event under probabilistic sampling, in `[0, 1]`.
    pub sampling_rate: f64,
    /// Events buffered before a batch is sent.
    pub max_buffer_size: u32,
    /// Interval of timed flushes in milliseconds; 0 turns timed flushing off.
    pub flush_interval_ms: u32,
    /// Where batches go.
    pub transport: TransportKind,
    /// Destination URL for `http` and `beacon`.
    pub endpoint: Option<String>,
    /// Ingest key sent with each batch (header for fetch, `?key=` for beacons).
    pub api_key: Option<String>,
    /// Whether the application supplied a `customTransport` function.
    pub has_custom_transport: bool,
    /// Whether pattern-based PII redaction is on.
    pub redact_pii: bool,
    /// Object keys whose values are replaced before storage or sending.
    pub redact_fields: Vec<String>,
    /// Whether dropped input and transport failures are logged to the console.
    pub debug: bool,
    /// Length of a throttling window in milliseconds.
    pub throttle_window_ms: u32,
    /// Events kept per throttling window.
    pub max_events_per_window: u32,
    /// Whether collection waits for `setConsent('granted')`.
    pub require_consent: bool,
    /// Whether Global Privacy Control and Do-Not-Track mean "denied" until consent is granted.
    pub respect_do_not_track: bool,
    /// Query parameters whose values survive URL minimisation.
    pub allowed_query_params: Vec<String>,
    /// Salt of the SHA-256 hash that `identify` sends instead of the user id.
    pub user_id_salt: String,
    /// `service.name` of the OTLP export's resource.
    pub service_name: String,
    /// Probability of keeping an error event under probabilistic sampling.
    pub error_sampling_rate: f64,
    /// Error events kept per throttling window (errors have their own budget).
    pub max_errors_per_window: u32,
    /// Ceiling of the first retry's wait; each retry doubles it (full jitter).
    pub retry_base_ms: u32,
    /// Largest retry wait.
    pub retry_max_ms: u32,
    /// Consecutive failed sends that open the circuit breaker.
    pub breaker_threshold: u32,
    /// How long an open breaker waits before probing the endpoint.
    pub breaker_cooldown_ms: u32,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            enabled: true,
            sampling: SamplingStrategy::Always,
            sampling_rate: 1.0,
            max_buffer_size: 50,
            flush_interval_ms: 30_000,
            transport: TransportKind::Console,
            endpoint: None,
            api_key: None,
            has_custom_transport: false,
            redact_pii: true,
            redact_fields: DEFAULT_REDACT_FIELDS
                .iter()
                .map(|f| f.to_string())
                .collect(),
            debug: false,
            throttle_window_ms: 60_000,
            max_events_per_window: 100,
            require_consent: false,
            respect_do_not_track: true,
            allowed_query_params: Vec::new(),
            user_id_salt: String::from("wasm-telemetry"),
            service_name: String::from("unknown_service"),
            error_sampling_rate: 1.0,
            max_errors_per_window: 100,
            retry_base_ms: 1000,
            retry_max_ms: 60_000,
            breaker_threshold: 5,
            breaker_cooldown_ms: 30_000,
        }
    }
}

/// A partial configuration as supplied by the application: `None` keeps the current value.
/// Numbers stay `f64` here so the core can check integrality and range.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigPatch {
    /// See [`Config::enabled`].
    pub enabled: Option<bool>,
    /// See [`Config::sampling`].
    pub sampling: Option<SamplingStrategy>,
    /// See [`Config::sampling_rate`].
    pub sampling_rate: Option<f64>,
    /// See [`Config::max_buffer_size`].
    pub max_buffer_size: Option<f64>,
    /// See [`Config::flush_interval_ms`].
    pub flush_interval_ms: Option<f64>,
    /// See [`Config::transport`].
    pub transport: Option<TransportKind>,
    /// See [`Config::endpoint`].
    pub endpoint: Option<String>,
    /// See [`Config::api_key`].
    pub api_key: Option<String>,
    /// Whether a `customTransport` function is being supplied.
    pub custom_transport: Option<bool>,
    /// See [`Config::redact_pii`].
    pub redact_pii: Option<bool>,
    /// See [`Config::redact_fields`].
    pub redact_fields: Option<Vec<String>>,
    /// See [`Config::debug`].
    pub debug: Option<bool>,
    /// See [`Config::throttle_window_ms`].
    pub throttle_window_ms: Option<f64>,
    /// See [`Config::max_events_per_window`].
    pub max_events_per_window: Option<f64>,
    /// See [`Config::require_consent`].
    pub require_consent: Option<bool>,
    /// See [`Config::respect_do_not_track`].
    pub respect_do_not_track: Option<bool>,
    /// See [`Config::allowed_query_params`].
    pub allowed_query_params: Option<Vec<String>>,
    /// See [`Config::user_id_salt`].
    pub user_id_salt: Option<String>,
    /// See [`Config::service_name`].
    pub service_name: Option<String>,
    /// See [`Config::error_sampling_rate`].
    pub error_sampling_rate: Option<f64>,
    /// See [`Config::max_errors_per_window`].
    pub max_errors_per_window: Option<f64>,
    /// See [`Config::retry_base_ms`].
    pub retry_base_ms: Option<f64>,
    /// See [`Config::retry_max_ms`].
    pub retry_max_ms: Option<f64>,
    /// See [`Config::breaker_threshold`].
    pub breaker_threshold: Option<f64>,
    /// See [`Config::breaker_cooldown_ms`].
    pub breaker_cooldown_ms: Option<f64>,
}

/// Upper bound of the buffer size, flush interval and throttle window values.
const ONE_DAY_MS: f64 = 86_400_000.0;

fn integer_in(
    value: f64,
    field: &'static str,
    min: f64,
    max: f64,
    rule: &'static str,
) -> Result<u32, ConfigError> {
    if (min..=max).contains(&value) && value == f64::from(value as u32) {
        Ok(value as u32)
    } else {
        Err(ConfigError::Range { field, rule })
    }
}

/// Sets `target` from an optional patch value, checked by [`integer_in`].
fn set_integer(
    target: &mut u32,
    value: Option<f64>,
    field: &'static str,
    (min, max): (f64, f64),
    rule: &'static str,
) -> Result<(), ConfigError> {
    if let Some(value) = value {
        *target = integer_in(value, field, min, max, rule)?;
    }
    Ok(())
}

impl Config {
    /// Builds a configuration from the defaults and `patch`. An endpoint given without a
    /// transport means "send it there" (`http`); with neither, batches go to the console.
    pub fn from_patch(mut patch: ConfigPatch) -> Result<Self, ConfigError> {
        if patch.transport.is_none() && patch.endpoint.is_some() {
            patch.transport = Some(TransportKind::Http);
        }
        Self::default().apply(patch)
    }

    /// Returns this configuration with `patch` applied, or the first rule it breaks. The
    /// receiver is never changed, so a rejected update leaves the collector as it was.
    pub fn apply(&self, patch: ConfigPatch) -> Result<Self, ConfigError> {
        let mut next = self.clone();
        if let Some(value) = patch.sampling_rate {
            if !(value.is_finite() && (0.0..=1.0).contains(&value)) {
                return Err(ConfigError::Range {
                    field: "samplingRate",
                    rule: "between 0 and 1",
                });
            }
            next.sampling_rate = value;
        }
        if let Some(value) = patch.error_sampling_rate {
            if !(0.0..=1.0).contains(&value) {
                return Err(ConfigError::Range {
                    field: "errorSamplingRate",
                    rule: "between 0 and 1",
                });
            }
            next.error_sampling_rate = value;
        }
        set_integer(
            &mut next.max_errors_per_window,
            patch.max_errors_per_window,
            "maxErrorsPerWindow",
            (1.0, 1_000_000.0),
            "an integer between 1 and 1000000",
        )?;
        set_integer(
            &mut next.retry_base_ms,
            patch.retry_base_ms,
            "retryBaseMs",
            (1.0, 600_000.0),
            "an integer between 1 and 600000",
        )?;
        set_integer(
            &mut next.retry_max_ms,
            patch.retry_max_ms,
            "retryMaxMs",
            (1.0, ONE_DAY_MS),
            "an integer between 1 and 86400000",
        )?;
        set_integer(
            &mut next.breaker_threshold,
            patch.breaker_threshold,
            "breakerThreshold",
            (1.0, 1000.0),
            "an integer between 1 and 1000",
        )?;
        set_integer(
            &mut next.breaker_cooldown_ms,
            patch.breaker_cooldown_ms,
            "breakerCooldownMs",
            (1.0, ONE_DAY_MS),
            "an integer between 1 and 86400000",
        )?;
        if next.retry_max_ms < next.retry_base_ms {
            return Err(ConfigError::Range {
                field: "retryMaxMs",
                rule: "at least retryBaseMs",
            });
        }
        if let Some(params) = patch.allowed_query_params {
            next.allowed_query_params = params;
        }
        if let Some(salt) = patch.user_id_salt {
            if salt.is_empty() {
                return Err(ConfigError::Range {
                    field: "userIdSalt",
                    rule: "a non-empty string",
                });
            }
            next.user_id_salt = salt;
        }
        if let Some(name) = patch.service_name {
            if name.is_empty() {
                return Err(ConfigError::Range {
                    field: "serviceName",
                    rule: "a non-empty string",
                });
            }
            next.service_name = name;
        }
        next.respect_do_not_track = patch
            .respect_do_not_track
            .unwrap_or(next.respect_do_not_track);
        set_integer(
            &mut next.max_buffer_size,
            patch.max_buffer_size,
            "maxBufferSize",
            (1.0, 1000.0),
            "an integer between 1 and 1000",
        )?;
        set_integer(
            &mut next.flush_interval_ms,
            patch.flush_interval_ms,
            "flushIntervalMs",
            (0.0, ONE_DAY_MS),
            "an integer between 0 (no timed flush) and 86400000",
        )?;
        set_integer(
            &mut next.throttle_window_ms,
            patch.throttle_window_ms,
            "throttleWindowMs",
            (1.0, ONE_DAY_MS),
            "an integer between 1 and 86400000",
        )?;
        set_integer(
            &mut next.max_events_per_window,
            patch.max_events_per_window,
            "maxEventsPerWindow",
            (1.0, 1_000_000.0),
            "an integer between 1 and 1000000",
        )?;
        if let Some(endpoint) = patch.endpoint {
            if !is_endpoint(&endpoint) {
                return Err(ConfigError::Range {
                    field: "endpoint",
                    rule: "an absolute http(s) URL or a path starting with '/'",
                });
            }
            next.endpoint = Some(endpoint);
        }
        if let Some(key) = patch.api_key {
            if key.is_empty() || key.len() > 512 || key.chars().any(|c| c.is_control()) {
                return Err(ConfigError::Range {
                    field: "apiKey",
                    rule: "1 to 512 characters without control characters",
                });
            }
            next.api_key = Some(key);
        }
        if let Some(fields) = patch.redact_fields {
            if fields.iter().any(|f| f.is_empty()) {
                return Err(ConfigError::Range {
                    field: "redactFields",
                    rule: "a list of non-empty field names",
                });
            }
            next.redact_fields = fields;
        }
        next.transport = patch.transport.unwrap_or(next.transport);
        if let Some(has) = patch.custom_transport {
            next.has_custom_transport = has;
        }
        next.enabled = patch.enabled.unwrap_or(next.enabled);
        next.sampling = patch.sampling.unwrap_or(next.sampling);
        next.redact_pii = patch.redact_pii.unwrap_or(next.redact_pii);
        next.debug = patch.debug.unwrap_or(next.debug);
        next.require_consent = patch.require_consent.unwrap_or(next.require_consent);

        if next.transport.needs_endpoint() && next.endpoint.is_none() {
            return Err(ConfigError::Missing {
                field: "endpoint",
                condition: "transport is 'http' or 'beacon'",
            });
        }
        if next.transport == TransportKind::Custom && !next.has_custom_transport {
            return Err(ConfigError::Missing {
                field: "customTransport",
                condition: "transport is 'custom'",
            });
        }
        Ok(next)
    }
}

fn is_endpoint(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let well_formed = match rest {
        Some(rest) => !rest.is_empty() && !rest.starts_with('/'),
        None => value.starts_with('/') && !value.starts_with("//"),
    };
    well_formed && value.len() <= 2048 && !value.chars().any(|c| c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(patch: ConfigPatch) -> Result<Config, ConfigError> {
        Config::from_patch(patch)
    }

    #[test]
    fn defaults_follow_the_seed_api() {
        let config = Config::default();
        assert!(config.enabled && config.redact_pii && !config.debug);
        assert_eq!(config.sampling, SamplingStrategy::Always);
        assert_eq!(config.max_buffer_size, 50);
        assert_eq!(config.flush_interval_ms, 30_000);
        assert_eq!(config.throttle_window_ms, 60_000);
        assert_eq!(config.max_events_per_window, 100);
        assert_eq!(config.redact_fields, DEFAULT_REDACT_FIELDS);
    }

    #[test]
    fn sampling_rate_out_of_range_names_the_field_and_rule() {
        let error = with(ConfigPatch {
            sampling: Some(SamplingStrategy::Probabilistic),
            sampling_rate: Some(5.0),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "samplingRate must be between 0 and 1");
        assert!(matches!(error, ConfigError::Range { .. }));
    }

    #[test]
    fn non_finite_and_negative_rates_are_rejected_and_bounds_accepted() {
        for bad in [f64::NAN, f64::INFINITY, -0.1, 1.000_001] {
            assert!(with(ConfigPatch {
                sampling_rate: Some(bad),
                ..Default::default()
            })
            .is_err());
        }
        for good in [0.0, 0.5, 1.0] {
            let config = with(ConfigPatch {
                sampling_rate: Some(good),
                ..Default::default()
            });
            assert_eq!(config.unwrap().sampling_rate, good);
        }
    }

    #[test]
    fn integer_fields_reject_fractions_zero_and_huge_values() {
        let error = with(ConfigPatch {
            max_buffer_size: Some(2.5),
            ..Default::default()
        });
        assert_eq!(
            error.unwrap_err().to_string(),
            "maxBufferSize must be an integer between 1 and 1000"
        );
        assert!(with(ConfigPatch {
            max_buffer_size: Some(0.0),
            ..Default::default()
        })
        .is_err());
        assert!(with(ConfigPatch {
            throttle_window_ms: Some(0.0),
            ..Default::default()
        })
        .is_err());
        assert!(with(ConfigPatch {
            max_events_per_window: Some(-3.0),
            ..Default::default()
        })
        .is_err());
        assert!(with(ConfigPatch {
            flush_interval_ms: Some(1e12),
            ..Default::default()
        })
        .is_err());
        let zero = with(ConfigPatch {
            flush_interval_ms: Some(0.0),
            ..Default::default()
        });
        assert_eq!(zero.unwrap().flush_interval_ms, 0);
    }

    #[test]
    fn an_endpoint_alone_selects_http_and_http_requires_an_endpoint() {
        let config = with(ConfigPatch {
            endpoint: Some("http://127.0.0.1:4318/v1/events".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(config.transport, TransportKind::Http);

        let error = with(ConfigPatch {
            transport: Some(TransportKind::Http),
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "endpoint is required when transport is 'http' or 'beacon'"
        );
    }

    #[test]
    fn endpoints_must_be_http_urls_or_absolute_paths() {
        for good in [
            "https://x.example/e",
            "http://127.0.0.1:9/v1/events",
            "/api/telemetry",
        ] {
            let patch = ConfigPatch {
                endpoint: Some(good.into()),
                ..Default::default()
            };
            assert!(with(patch).is_ok(), "{good}");
        }
        for bad in [
            "ftp://x",
            "javascript:alert(1)",
            "relative/path",
            "//host/x",
            "https://",
            "http:// x",
        ] {
            let patch = ConfigPatch {
                endpoint: Some(bad.into()),
                ..Default::default()
            };
            let error = with(patch).unwrap_err();
            assert!(
                error.to_string().starts_with("endpoint must be"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn custom_transport_needs_a_function() {
        let missing = with(ConfigPatch {
            transport: Some(TransportKind::Custom),
            ..Default::default()
        });
        assert_eq!(
            missing.unwrap_err().to_string(),
            "customTransport is required when transport is 'custom'"
        );
        let present = with(ConfigPatch {
            transport: Some(TransportKind::Custom),
            custom_transport: Some(true),
            ..Default::default()
        });
        assert_eq!(present.unwrap().transport, TransportKind::Custom);
    }

    #[test]
    fn a_rejected_update_leaves_the_configuration_unchanged() {
        let config = Config::default();
        let before = config.clone();
        assert!(config
            .apply(ConfigPatch {
                max_buffer_size: Some(1e9),
                ..Default::default()
            })
            .is_err());
        assert_eq!(config, before);
        let updated = config
            .apply(ConfigPatch {
                max_buffer_size: Some(10.0),
                debug: Some(true),
                ..Default::default()
            })
            .unwrap();
        assert_eq!((updated.max_buffer_size, updated.debug), (10, true));
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for name in ["always", "never", "probabilistic", "throttled"] {
            assert_eq!(SamplingStrategy::parse(name).unwrap().name(), name);
        }
        for name in ["http", "beacon", "localStorage", "console", "custom"] {
            assert_eq!(TransportKind::parse(name).unwrap().name(), name);
        }
        assert_eq!(SamplingStrategy::parse("sometimes"), None);
        assert_eq!(TransportKind::parse("HTTP"), None);
    }

    #[test]
    fn names_strings_list_every_variant_in_order() {
        assert_eq!(
            SamplingStrategy::NAMES,
            "'always', 'never', 'probabilistic' or 'throttled'"
        );
        assert_eq!(
            TransportKind::NAMES,
            "'http', 'beacon', 'localStorage', 'console', 'custom' or 'otlp'"
        );
        let names: Vec<&str> = TransportKind::ALL.iter().map(|t| t.name()).collect();
        assert_eq!(
            names,
            [
                "http",
                "beacon",
                "localStorage",
                "console",
                "custom",
                "otlp"
            ]
        );
        assert_eq!(SamplingStrategy::ALL.len(), 4);
    }

    #[test]
    fn empty_redact_field_names_are_rejected() {
        let patch = ConfigPatch {
            redact_fields: Some(vec!["password".into(), String::new()]),
            ..Default::default()
        };
        assert_eq!(
            with(patch).unwrap_err().to_string(),
            "redactFields must be a list of non-empty field names"
        );
    }
}
