//! `TelemetryCollector` configuration: defaults, validation and partial updates, with every
//! field declared once in one table (`config_table!`).

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

/// Declares the configuration fields, one row each in `FIELDS` order, and generates from the
/// rows `FIELDS`, `Config` with its `Default`, `ConfigPatch` and the per-field half of
/// `Config::apply`. A row is either
///
/// - `"jsName" rust_field: Kind = default, rule;` (`rust_field / patch_field` when the
///   `ConfigPatch` field has another name; the rule is optional), or
/// - `"jsName" => js;` for a field only the JS layer holds: it is in `FIELDS` and nowhere else.
///
/// The kind gives the `Config` type and the `ConfigPatch` type (see `config_kind!`). A rule
/// is `range(min, max, "text")` for numbers, or `rule(check, "text")` for strings and lists,
/// where `check` takes the value by reference and says whether it is acceptable; a broken rule
/// is a `ConfigError::Range` with the field's JS name and the text.
macro_rules! config_table {
    // Every row normalised: generate.
    (@rows [$($all:literal)*] [$({
        [$(#[$doc:meta])*] $js:literal $field:ident $patch:ident [$($kind:tt)*] [$($rule:tt)*]
        $default:expr
    })*]) => {
        /// Every configuration field the collector accepts, as spelled in JavaScript.
        pub const FIELDS: [&str; [$($all),*].len()] = [$($all),*];

        /// The validated configuration of one collector.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Config {
            $( $(#[$doc])* pub $field: config_kind!(@config $($kind)*), )*
        }

        impl Default for Config {
            fn default() -> Self {
                Self {
                    $( $field: $default, )*
                }
            }
        }

        /// A partial configuration as supplied by the application: `None` keeps the current
        /// value. Numbers stay `f64` here so the core can check integrality and range.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct ConfigPatch {
            $(
                #[doc = concat!("See [`Config::", stringify!($field), "`].")]
                pub $patch: Option<config_kind!(@patch $($kind)*)>,
            )*
        }

        impl Config {
            /// Sets each field `patch` carries, checked by the field's own rule; returns the
            /// first broken rule in `FIELDS` order.
            fn set_fields(&mut self, patch: ConfigPatch) -> Result<(), ConfigError> {
                $(
                    if let Some(value) = patch.$patch {
                        self.$field = config_kind!(@check [$($kind)*] [$($rule)*] $js, value);
                    }
                )*
                Ok(())
            }
        }
    };
    // A field only the JS layer holds.
    (@rows [$($all:literal)*] [$($rows:tt)*] $js:literal => js; $($rest:tt)*) => {
        config_table!(@rows [$($all)* $js] [$($rows)*] $($rest)*);
    };
    // A field whose `ConfigPatch` name differs from its `Config` name.
    (@rows [$($all:literal)*] [$($rows:tt)*]
        $(#[$doc:meta])* $js:literal $field:ident / $patch:ident : $kind:ident $(($($arg:tt)*))?
        = $default:expr $(, $rule:ident($($rule_arg:tt)*))?; $($rest:tt)*
    ) => {
        config_table!(@rows [$($all)* $js] [$($rows)* {
            [$(#[$doc])*] $js $field $patch [$kind $(($($arg)*))?] [$($rule($($rule_arg)*))?]
            $default
        }] $($rest)*);
    };
    // A field with the same name in `Config` and `ConfigPatch`.
    (@rows [$($all:literal)*] [$($rows:tt)*]
        $(#[$doc:meta])* $js:literal $field:ident : $kind:ident $(($($arg:tt)*))?
        = $default:expr $(, $rule:ident($($rule_arg:tt)*))?; $($rest:tt)*
    ) => {
        config_table!(@rows [$($all)* $js] [$($rows)* {
            [$(#[$doc])*] $js $field $field [$kind $(($($arg)*))?] [$($rule($($rule_arg)*))?]
            $default
        }] $($rest)*);
    };
    (@rows $($unmatched:tt)*) => {
        compile_error!("config_table!: a row matches none of the row forms");
    };
    ($($rows:tt)*) => {
        config_table!(@rows [] [] $($rows)*);
    };
}

/// What each kind of configuration field is: its `Config` type (`@config`), its `ConfigPatch`
/// type (`@patch`) and how its rule is applied (`@check`).
///
/// `Flag` is a boolean; `Number` an `f64`; `Integer` a `u32`, patched as `f64` so integrality
/// and range are checked; `Choice(Enum)` a `named_enum!` value; `Text` a string;
/// `OptionalText` an `Option<String>`, patched as a string; `List` a list of strings;
/// `Function` whether the application supplied a function.
macro_rules! config_kind {
    (@config Flag) => { bool };
    (@config Number) => { f64 };
    (@config Integer) => { u32 };
    (@config Choice($enum:ty)) => { $enum };
    (@config Text) => { String };
    (@config OptionalText) => { Option<String> };
    (@config List) => { Vec<String> };
    (@config Function) => { bool };

    (@patch Integer) => { f64 };
    (@patch OptionalText) => { String };
    (@patch $($kind:tt)*) => { config_kind!(@config $($kind)*) };

    (@check [Number] [range($min:expr, $max:expr, $rule:literal)] $js:literal, $value:ident) => {
        number_in($value, $js, $min, $max, $rule)?
    };
    (@check [Integer] [range($min:expr, $max:expr, $rule:literal)] $js:literal, $value:ident) => {
        integer_in($value, $js, $min, $max, $rule)?
    };
    (@check [OptionalText] [$($rule:tt)*] $js:literal, $value:ident) => {
        Some(config_kind!(@check [Text] [$($rule)*] $js, $value))
    };
    (@check [$($kind:tt)*] [rule($check:path, $rule:literal)] $js:literal, $value:ident) => {{
        checked($check(&$value), $js, $rule)?;
        $value
    }};
    (@check [$($kind:tt)*] [] $js:literal, $value:ident) => { $value };
}

/// Upper bound of the flush interval, throttle window, retry wait and breaker cool-down.
const ONE_DAY_MS: f64 = 86_400_000.0;

config_table! {
    /// Kill switch: when false nothing is collected.
    "enabled" enabled: Flag = true;
    /// Sampling strategy.
    "sampling" sampling: Choice(SamplingStrategy) = SamplingStrategy::Always;
    /// Probability of keeping an event under probabilistic sampling, in `[0, 1]`.
    "samplingRate" sampling_rate: Number = 1.0, range(0.0, 1.0, "between 0 and 1");
    /// Events buffered before a batch is sent.
    "maxBufferSize" max_buffer_size: Integer = 50,
        range(1.0, 1000.0, "an integer between 1 and 1000");
    /// Interval of timed flushes in milliseconds; 0 turns timed flushing off.
    "flushIntervalMs" flush_interval_ms: Integer = 30_000,
        range(0.0, ONE_DAY_MS, "an integer between 0 (no timed flush) and 86400000");
    /// Where batches go.
    "transport" transport: Choice(TransportKind) = TransportKind::Console;
    /// Destination URL for `http` and `beacon`.
    "endpoint" endpoint: OptionalText = None,
        rule(is_endpoint, "an absolute http(s) URL or a path starting with '/'");
    /// Ingest key sent with each batch (header for fetch, `?key=` for beacons).
    "apiKey" api_key: OptionalText = None,
        rule(is_api_key, "1 to 512 characters without control characters");
    /// Whether the application supplied a `customTransport` function.
    "customTransport" has_custom_transport / custom_transport: Function = false;
    /// Whether pattern-based PII redaction is on.
    "redactPII" redact_pii: Flag = true;
    /// Object keys whose values are replaced before storage or sending.
    "redactFields" redact_fields: List =
        DEFAULT_REDACT_FIELDS.iter().map(|f| f.to_string()).collect(),
        rule(no_empty_names, "a list of non-empty field names");
    /// Whether dropped input and transport failures are logged to the console.
    "debug" debug: Flag = false;
    /// Length of a throttling window in milliseconds.
    "throttleWindowMs" throttle_window_ms: Integer = 60_000,
        range(1.0, ONE_DAY_MS, "an integer between 1 and 86400000");
    /// Events kept per throttling window.
    "maxEventsPerWindow" max_events_per_window: Integer = 100,
        range(1.0, 1_000_000.0, "an integer between 1 and 1000000");
    /// Whether collection waits for `setConsent('granted')`.
    "requireConsent" require_consent: Flag = false;
    /// Whether Global Privacy Control and Do-Not-Track mean "denied" until consent is granted.
    "respectDoNotTrack" respect_do_not_track: Flag = true;
    // The application's RegExps, compiled and applied by the JS layer.
    "redactPatterns" => js;
    /// Query parameters whose values survive URL minimisation.
    "allowedQueryParams" allowed_query_params: List = Vec::new();
    // The application's hook, called by the JS layer.
    "beforeSend" => js;
    /// Salt of the SHA-256 hash that `identify` sends instead of the user id.
    "userIdSalt" user_id_salt: Text = String::from("wasm-telemetry"),
        rule(non_empty, "a non-empty string");
    /// `service.name` of the OTLP export's resource.
    "serviceName" service_name: Text = String::from("unknown_service"),
        rule(non_empty, "a non-empty string");
    /// Probability of keeping an error event under probabilistic sampling.
    "errorSamplingRate" error_sampling_rate: Number = 1.0, range(0.0, 1.0, "between 0 and 1");
    /// Error events kept per throttling window (errors have their own budget).
    "maxErrorsPerWindow" max_errors_per_window: Integer = 100,
        range(1.0, 1_000_000.0, "an integer between 1 and 1000000");
    /// Ceiling of the first retry's wait; each retry doubles it (full jitter).
    "retryBaseMs" retry_base_ms: Integer = 1000,
        range(1.0, 600_000.0, "an integer between 1 and 600000");
    /// Largest retry wait.
    "retryMaxMs" retry_max_ms: Integer = 60_000,
        range(1.0, ONE_DAY_MS, "an integer between 1 and 86400000");
    /// Consecutive failed sends that open the circuit breaker.
    "breakerThreshold" breaker_threshold: Integer = 5,
        range(1.0, 1000.0, "an integer between 1 and 1000");
    /// How long an open breaker waits before probing the endpoint.
    "breakerCooldownMs" breaker_cooldown_ms: Integer = 30_000,
        range(1.0, ONE_DAY_MS, "an integer between 1 and 86400000");
}

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

/// `value` if it lies in `[min, max]` (never NaN or infinite when the bounds are finite).
fn number_in(
    value: f64,
    field: &'static str,
    min: f64,
    max: f64,
    rule: &'static str,
) -> Result<f64, ConfigError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError::Range { field, rule })
    }
}

/// `Ok` if a field's rule held, else the `Range` error naming the field and the rule.
fn checked(ok: bool, field: &'static str, rule: &'static str) -> Result<(), ConfigError> {
    if ok {
        Ok(())
    } else {
        Err(ConfigError::Range { field, rule })
    }
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

    /// Returns this configuration with `patch` applied, or the first rule it breaks: each
    /// field's own rule in `FIELDS` order, then the rules between fields. The receiver is never
    /// changed, so a rejected update leaves the collector as it was.
    pub fn apply(&self, patch: ConfigPatch) -> Result<Self, ConfigError> {
        let mut next = self.clone();
        next.set_fields(patch)?;
        if next.retry_max_ms < next.retry_base_ms {
            return Err(ConfigError::Range {
                field: "retryMaxMs",
                rule: "at least retryBaseMs",
            });
        }
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

fn is_api_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 512 && !key.chars().any(|c| c.is_control())
}

fn non_empty(text: &str) -> bool {
    !text.is_empty()
}

fn no_empty_names(fields: &[String]) -> bool {
    !fields.iter().any(|f| f.is_empty())
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

    #[test]
    fn fields_keep_their_javascript_names_and_order() {
        assert_eq!(
            FIELDS,
            [
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
            ]
        );
    }

    #[test]
    fn a_patch_breaking_several_rules_reports_the_first_in_field_order() {
        let error = |patch: ConfigPatch| with(patch).unwrap_err().message();
        assert_eq!(
            error(ConfigPatch {
                retry_base_ms: Some(0.0),
                max_buffer_size: Some(0.0),
                ..Default::default()
            }),
            "maxBufferSize must be an integer between 1 and 1000"
        );
        // A field's own rule comes before the rules between fields.
        assert_eq!(
            error(ConfigPatch {
                retry_base_ms: Some(5000.0),
                retry_max_ms: Some(1000.0),
                service_name: Some(String::new()),
                ..Default::default()
            }),
            "serviceName must be a non-empty string"
        );
        assert_eq!(
            error(ConfigPatch {
                retry_base_ms: Some(5000.0),
                retry_max_ms: Some(1000.0),
                transport: Some(TransportKind::Beacon),
                ..Default::default()
            }),
            "retryMaxMs must be at least retryBaseMs"
        );
    }
}
