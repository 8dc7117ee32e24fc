//! `TelemetryCollector` configuration: defaults, validation and partial updates, with every
//! field declared once in one table (`config_table!`), and its JSON form.

use crate::core::json::write_string;
use crate::core::json_object::Object;
use crate::core::json_value::{self, Value};
use alloc::borrow::Cow;
use alloc::string::String;
use alloc::vec::Vec;

use crate::core::text::concat;
use crate::core::trace::propagation::TARGET_RULE;
use thiserror::Error;
use wasm_telemetry_rules::release::{is_printable, MAX_RELEASE_CHARS};

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
            Self::Type { field, expected } => concat(&[field, " must be ", expected]),
            Self::Range { field, rule } => concat(&[field, " must be ", rule]),
            Self::Missing { field, condition } => concat(&[field, " is required when ", condition]),
            Self::Unknown(field) => concat(&["unknown config field '", field, "'"]),
        }
    }
}

/// Declares the configuration fields, one row each in `FIELDS` order, and generates from the
/// rows `FIELDS`, `Config` with its `Default`, the `Field` names, the table of what each field
/// accepts (`SPECS`), the placing of a checked setting in its field, and `Config::to_json`. A
/// row is either
///
/// - `"jsName" rust_field: Kind = default, rule;` (the rule is optional), or
/// - `"jsName" => js;` for a field only the JS layer holds: it is in `FIELDS` and nowhere else.
///
/// The kind gives the `Config` type and what is read (see `config_kind!`). A rule is
/// `range(min, max, "text")` for numbers, or `rule(Check::…, "text")` for strings and lists;
/// a broken rule is a `ConfigError::Range` with the field's JS name and the text. Reading, checking and
/// placing go through the table, so each field costs a row of data and one arm of a match.
macro_rules! config_table {
    // Every row normalised: generate.
    (@rows [$($all:literal)*] [$({
        [$(#[$doc:meta])*] $js:literal $field:ident [$($kind:tt)*] [$($rule:tt)*] $default:expr
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

        /// A field the core keeps, named as its [`Config`] member.
        #[allow(non_camel_case_types)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Field {
            $( #[doc = concat!("`", $js, "`")] $field, )*
        }

        /// Every [`Field`], in order.
        const ORDER: [Field; [$($js),*].len()] = [$(Field::$field),*];

        /// What each [`Field`] accepts, in `Field` order.
        const SPECS: [Spec; [$($js),*].len()] = [
            $( Spec { js: $js, kind: config_kind!(@spec [$($kind)*] [$($rule)*]) }, )*
        ];

        impl Config {
            /// Puts a checked setting in its field. Out of line: inlined, its arms cost 0.1 KB
            /// gzipped more.
            #[inline(never)]
            fn place(&mut self, field: Field, setting: Setting) {
                match field {
                    $( Field::$field => config_kind!(@place [$($kind)*] self.$field, setting), )*
                }
            }

            /// The configuration as a JSON object with the JS field names, in `FIELDS` order,
            /// holding every field the core keeps (`customTransport`, `beforeSend` and
            /// `redactPatterns` are the JS layer's to add); an absent optional string is left
            /// out. Rates are written as the shortest decimal that reads back exactly (as JS
            /// prints them, but never in exponent form: 1e-7 is written `0.0000001`).
            pub fn to_json(&self) -> String {
                let mut out = Object::default();
                $( config_kind!(@write [$($kind)*] &mut out, $js, &self.$field); )*
                out.finish()
            }
        }
    };
    // A field only the JS layer holds.
    (@rows [$($all:literal)*] [$($rows:tt)*] $js:literal => js; $($rest:tt)*) => {
        config_table!(@rows [$($all)* $js] [$($rows)*] $($rest)*);
    };
    (@rows [$($all:literal)*] [$($rows:tt)*]
        $(#[$doc:meta])* $js:literal $field:ident : $kind:ident $(($($arg:tt)*))?
        = $default:expr $(, $rule:ident($($rule_arg:tt)*))?; $($rest:tt)*
    ) => {
        config_table!(@rows [$($all)* $js] [$($rows)* {
            [$(#[$doc])*] $js $field [$kind $(($($arg)*))?] [$($rule($($rule_arg)*))?]
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

/// What each kind of configuration field is: its `Config` type (`@config`), its row of the
/// table (`@spec`), how a checked setting is placed (`@place`) and how it is written
/// (`@write`).
///
/// `Flag` is a boolean; `Number` an `f64`; `Integer` a `u32`, read as a number so integrality
/// and range are checked; `Choice(Enum)` a `named_enum!` value, read from its name; `Text` a
/// string; `OptionalText` an `Option<String>`, read as a string; `List` an array of strings;
/// `OptionalList` an `Option<Vec<String>>`, read as an array of strings;
/// `Function` whether the application supplied a function (read from `true`, never written).
macro_rules! config_kind {
    (@config Flag) => { bool };
    (@config Number) => { f64 };
    (@config Integer) => { u32 };
    (@config Choice($enum:ty)) => { $enum };
    (@config Text) => { String };
    (@config OptionalText) => { Option<String> };
    (@config List) => { Vec<String> };
    (@config OptionalList) => { Option<Vec<String>> };
    (@config Function) => { bool };

    (@spec [Flag] []) => { Kind::Flag };
    (@spec [Function] []) => { Kind::Function };
    (@spec [Number] [range($min:expr, $max:expr, $rule:literal)]) => {
        Kind::Number { min: $min, max: $max, rule: $rule, whole: false }
    };
    (@spec [Integer] [range($min:expr, $max:expr, $rule:literal)]) => {
        Kind::Number { min: $min, max: $max, rule: $rule, whole: true }
    };
    (@spec [Choice($enum:ty)] []) => {
        Kind::Choice { known: <$enum>::LIST, names: <$enum>::NAMES }
    };
    (@spec [Text] $rule:tt) => { Kind::Text(config_kind!(@text_rule $rule)) };
    (@spec [OptionalText] $rule:tt) => { Kind::Text(config_kind!(@text_rule $rule)) };
    (@spec [List] []) => { Kind::List(None) };
    (@spec [List] [rule($check:expr, $rule:expr)]) => { Kind::List(Some(($check, $rule))) };
    (@spec [OptionalList] $rule:tt) => { config_kind!(@spec [List] $rule) };
    (@text_rule []) => { None };
    (@text_rule [rule($check:expr, $rule:expr)]) => { Some(($check, $rule)) };

    (@place [Flag] $slot:expr, $setting:ident) => {
        if let Setting::Flag(value) = $setting { $slot = value }
    };
    (@place [Function] $slot:expr, $setting:ident) => {
        config_kind!(@place [Flag] $slot, $setting)
    };
    (@place [Number] $slot:expr, $setting:ident) => {
        if let Setting::Number(value) = $setting { $slot = value }
    };
    (@place [Integer] $slot:expr, $setting:ident) => {
        if let Setting::Number(value) = $setting { $slot = value as u32 }
    };
    (@place [Choice($enum:ty)] $slot:expr, $setting:ident) => {
        if let Some(value) = $setting.text().and_then(<$enum>::parse) { $slot = value }
    };
    (@place [Text] $slot:expr, $setting:ident) => {
        if let Setting::Text(value) = $setting { $slot = value }
    };
    (@place [OptionalText] $slot:expr, $setting:ident) => {
        if let Setting::Text(value) = $setting { $slot = Some(value) }
    };
    (@place [List] $slot:expr, $setting:ident) => {
        if let Setting::List(value) = $setting { $slot = value }
    };
    (@place [OptionalList] $slot:expr, $setting:ident) => {
        if let Setting::List(value) = $setting { $slot = Some(value) }
    };

    (@write [Flag] $out:expr, $js:literal, $value:expr) => { $out.flag($js, *$value) };
    (@write [Number] $out:expr, $js:literal, $value:expr) => { $out.number($js, *$value) };
    (@write [Integer] $out:expr, $js:literal, $value:expr) => {
        $out.count($js, u64::from(*$value))
    };
    (@write [Choice($enum:ty)] $out:expr, $js:literal, $value:expr) => {
        $out.text($js, $value.name())
    };
    (@write [Text] $out:expr, $js:literal, $value:expr) => { $out.text($js, $value) };
    (@write [OptionalText] $out:expr, $js:literal, $value:expr) => {
        if let Some(text) = $value {
            $out.text($js, text);
        }
    };
    (@write [List] $out:expr, $js:literal, $value:expr) => {
        $out.raw($js, Some(&write_list($value)))
    };
    (@write [OptionalList] $out:expr, $js:literal, $value:expr) => {
        if let Some(list) = $value {
            config_kind!(@write [List] $out, $js, list);
        }
    };
    (@write [Function] $out:expr, $js:literal, $value:expr) => {};
}

/// A field's value as read from the JSON, before its rule is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    /// A boolean (and `customTransport`'s `true`).
    Flag(bool),
    /// A number.
    Number(f64),
    /// A string (and a choice's name).
    Text(String),
    /// An array of strings.
    List(Vec<String>),
}

impl Setting {
    fn text(&self) -> Option<&str> {
        match self {
            Setting::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// What one field accepts.
enum Kind {
    Flag,
    /// A number in `[min, max]` (a whole one when `whole`); `rule` says so.
    Number {
        min: f64,
        max: f64,
        rule: &'static str,
        whole: bool,
    },
    /// One of a `named_enum!`'s names (`known`; `names`, as error text).
    Choice {
        known: &'static [&'static str],
        names: &'static str,
    },
    /// A string, with its rule if it has one.
    Text(Option<(Check, &'static str)>),
    /// An array of strings, with its rule if it has one.
    List(Option<(Check, &'static str)>),
    Function,
}

/// The rules of string and list fields. A table of data rather than of function pointers:
/// an indirect call would keep every function of its signature in the wasm.
#[derive(Clone, Copy)]
enum Check {
    /// An absolute http(s) URL or a path starting with '/'.
    Endpoint,
    /// 1 to 512 characters without control characters.
    ApiKey,
    /// A release name (`wasm_telemetry_rules::release`).
    Release,
    /// Not empty.
    NonEmpty,
    /// No empty name in the list.
    NoEmptyNames,
    /// Every string a trace propagation target: the endpoint's rule (`core::trace::propagation`
    /// reads them).
    Targets,
}

impl Check {
    /// Whether `setting` keeps the rule.
    fn accepts(self, setting: &Setting) -> bool {
        match (self, setting) {
            (Check::Endpoint, Setting::Text(text)) => is_endpoint(text),
            (Check::ApiKey, Setting::Text(text)) => is_printable(text, 512),
            (Check::Release, Setting::Text(text)) => is_printable(text, MAX_RELEASE_CHARS),
            (Check::NonEmpty, Setting::Text(text)) => !text.is_empty(),
            (Check::NoEmptyNames, Setting::List(items)) => !items.iter().any(String::is_empty),
            (Check::Targets, Setting::List(items)) => items.iter().all(|t| is_endpoint(t)),
            _ => true,
        }
    }
}

/// One row of the table: a field's JS name and what it accepts.
struct Spec {
    js: &'static str,
    kind: Kind,
}

impl Spec {
    /// Reads `value` as this field's kind, or names the field and the type it needs.
    fn read(&self, value: &Value) -> Result<Setting, ConfigError> {
        let setting = match (&self.kind, value) {
            (Kind::Flag, Value::Bool(b)) => Some(Setting::Flag(*b)),
            (Kind::Function, Value::Bool(true)) => Some(Setting::Flag(true)),
            (Kind::Number { .. }, _) => value.as_f64().map(Setting::Number),
            (Kind::Choice { known, .. }, Value::String(name)) if known.contains(&name.as_ref()) => {
                Some(Setting::Text(String::from(name.as_ref())))
            }
            (Kind::Text(_), Value::String(text)) => {
                Some(Setting::Text(String::from(text.as_ref())))
            }
            (Kind::List(_), Value::Array(items)) => strings(items).map(Setting::List),
            _ => None,
        };
        setting.ok_or(ConfigError::Type {
            field: self.js,
            expected: match self.kind {
                Kind::Flag => "a boolean",
                Kind::Number { .. } => "a number",
                Kind::Choice { names, .. } => names,
                Kind::Text(_) => "a string",
                Kind::List(_) => "an array of strings",
                Kind::Function => "a function",
            },
        })
    }

    /// Checks this field's rule on `setting`.
    fn check(&self, setting: &Setting) -> Result<(), ConfigError> {
        let broken = match (&self.kind, setting) {
            (
                Kind::Number {
                    min,
                    max,
                    rule,
                    whole,
                },
                Setting::Number(n),
            ) => {
                let in_range = (*min..=*max).contains(n) && (!whole || *n == f64::from(*n as u32));
                (!in_range).then_some(*rule)
            }
            (Kind::Text(Some((check, rule))) | Kind::List(Some((check, rule))), _) => {
                (!check.accepts(setting)).then_some(*rule)
            }
            _ => None,
        };
        match broken {
            Some(rule) => Err(ConfigError::Range {
                field: self.js,
                rule,
            }),
            None => Ok(()),
        }
    }
}

/// A partial configuration as supplied by the application: the settings of the fields it
/// names, in `Field` order; the others keep their current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConfigPatch {
    settings: Vec<(Field, Setting)>,
}

impl ConfigPatch {
    /// Reads a configuration object serialised by `JSON.stringify` (without `beforeSend` and
    /// `redactPatterns`, whose values the core ignores if present, and with
    /// `customTransport: true` standing for a function). A key outside [`FIELDS`] is refused
    /// first, in key order; then each field, in `FIELDS` order, must have its JSON type
    /// (`null` has none). A document that is not an object is refused as
    /// `config must be an object`. Of repeated keys the last counts. Numbers of up to 15
    /// significant digits are read exactly; a longer one may come out one unit in the last
    /// place off.
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let members = config_members(text)?;
        let mut patch = Self::default();
        for (field, spec) in ORDER.into_iter().zip(&SPECS) {
            if let Some((_, value)) = members.iter().rev().find(|(key, _)| key == spec.js) {
                patch.settings.push((field, spec.read(value)?));
            }
        }
        Ok(patch)
    }

    /// This patch with `field` set to `setting` (replacing what it had).
    pub fn with(mut self, field: Field, setting: Setting) -> Self {
        self.set(field, setting);
        self
    }

    /// Sets `field` to `setting`, replacing what the patch had for it.
    pub fn set(&mut self, field: Field, setting: Setting) {
        match self.settings.binary_search_by(|(f, _)| f.cmp(&field)) {
            Ok(at) => self.settings[at].1 = setting,
            Err(at) => self.settings.insert(at, (field, setting)),
        }
    }

    /// The setting the patch has for `field`.
    pub fn get(&self, field: Field) -> Option<&Setting> {
        self.settings
            .iter()
            .find_map(|(f, setting)| (*f == field).then_some(setting))
    }

    /// Whether the patch names `field`.
    pub fn has(&self, field: Field) -> bool {
        self.get(field).is_some()
    }
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
        rule(Check::Endpoint, "an absolute http(s) URL or a path starting with '/'");
    /// Ingest key sent with each batch (header for fetch, `?key=` for beacons).
    "apiKey" api_key: OptionalText = None,
        rule(Check::ApiKey, "1 to 512 characters without control characters");
    /// Whether the application supplied a `customTransport` function.
    "customTransport" has_custom_transport: Function = false;
    /// Whether pattern-based PII redaction is on.
    "redactPII" redact_pii: Flag = true;
    /// Object keys whose values are replaced before storage or sending.
    "redactFields" redact_fields: List =
        DEFAULT_REDACT_FIELDS.map(String::from).into(),
        rule(Check::NoEmptyNames, "a list of non-empty field names");
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
        rule(Check::NonEmpty, "a non-empty string");
    /// The application's release (e.g. `shop@1.4.2`), sent in every event's context: the
    /// collector resolves stack frames with the source maps uploaded for it.
    "release" release: OptionalText = None,
        rule(Check::Release, "1 to 200 characters without control characters");
    /// The release's distribution (a build variant), sent beside it.
    "dist" dist: OptionalText = None,
        rule(Check::Release, "1 to 200 characters without control characters");
    /// Where requests carry the `traceparent` header (web and full entries): origins and URL
    /// prefixes here, the application's RegExps in the JS layer; absent, the page's own origin;
    /// `[]`, nowhere.
    "tracePropagationTargets" trace_propagation_targets: OptionalList = None,
        rule(Check::Targets, TARGET_RULE);
    /// Probability that the page view's trace is kept and its spans sent (web and full
    /// entries), decided once, when the collector is made; 0 sends no span, and requests carry
    /// `traceparent` with the sampled flag off.
    "tracesSampleRate" traces_sample_rate: Number = 0.0, range(0.0, 1.0, "between 0 and 1");
    /// `service.name` of the OTLP export's resource.
    "serviceName" service_name: Text = String::from("unknown_service"),
        rule(Check::NonEmpty, "a non-empty string");
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

impl Config {
    /// Builds a configuration from the defaults and `patch`. An endpoint given without a
    /// transport means "send it there" (`http`); with neither, batches go to the console.
    pub fn from_patch(mut patch: ConfigPatch) -> Result<Self, ConfigError> {
        if !patch.has(Field::transport) && patch.has(Field::endpoint) {
            let http = TransportKind::Http.name().into();
            patch.set(Field::transport, Setting::Text(http));
        }
        let mut config = Self::default();
        config.apply(patch)?;
        Ok(config)
    }

    /// Applies `patch` as a whole, or returns the first rule it breaks and changes nothing:
    /// each field's own rule in `FIELDS` order, then the rules between fields, judged on the
    /// values the patch would leave, then whether this entry has the transport.
    pub fn apply(&mut self, patch: ConfigPatch) -> Result<(), ConfigError> {
        for (field, setting) in &patch.settings {
            SPECS[*field as usize].check(setting)?;
        }
        let whole = |field, current: u32| match patch.get(field) {
            Some(Setting::Number(n)) => *n as u32,
            _ => current,
        };
        if whole(Field::retry_max_ms, self.retry_max_ms)
            < whole(Field::retry_base_ms, self.retry_base_ms)
        {
            return Err(ConfigError::Range {
                field: "retryMaxMs",
                rule: "at least retryBaseMs",
            });
        }
        let transport = patch
            .get(Field::transport)
            .and_then(Setting::text)
            .and_then(TransportKind::parse)
            .unwrap_or(self.transport);
        if transport.needs_endpoint() && self.endpoint.is_none() && !patch.has(Field::endpoint) {
            return Err(ConfigError::Missing {
                field: "endpoint",
                condition: "transport is 'http', 'beacon' or 'otlp'",
            });
        }
        let custom = match patch.get(Field::has_custom_transport) {
            Some(Setting::Flag(custom)) => *custom,
            _ => self.has_custom_transport,
        };
        if transport == TransportKind::Custom && !custom {
            return Err(ConfigError::Missing {
                field: "customTransport",
                condition: "transport is 'custom'",
            });
        }
        // The `otlp` transport is in the full build only; the smaller ones name the entry that
        // has it.
        if transport == TransportKind::Otlp && !cfg!(feature = "otlp") {
            return Err(ConfigError::Type {
                field: "transport",
                expected:
                    "one of this entry's transports: 'otlp' is in the full entry, wasm-telemetry",
            });
        }
        for (field, setting) in patch.settings {
            self.place(field, setting);
        }
        Ok(())
    }
}

/// Whether a request to `url` (as the page passed it, or `absolute`, resolved against the
/// page's address) is the SDK's own delivery to `endpoint`: such requests are neither
/// breadcrumbs nor traced.
pub fn is_own_request(endpoint: Option<&str>, url: &str, absolute: &str) -> bool {
    endpoint.is_some_and(|endpoint| url.starts_with(endpoint) || absolute.starts_with(endpoint))
}

pub(crate) fn is_endpoint(value: &str) -> bool {
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let well_formed = match rest {
        Some(rest) => !rest.is_empty() && !rest.starts_with('/'),
        None => value.starts_with('/') && !value.starts_with("//"),
    };
    well_formed && value.len() <= 2048 && !value.chars().any(|c| c.is_whitespace())
}

/// The members of a JSON configuration object, once every key is known to be a field.
fn config_members(text: &str) -> Result<Vec<(Cow<'_, str>, Value<'_>)>, ConfigError> {
    let Some(Value::Object(members)) = json_value::parse(text) else {
        return Err(ConfigError::Type {
            field: "config",
            expected: "an object",
        });
    };
    if let Some((key, _)) = members
        .iter()
        .find(|(key, _)| !FIELDS.contains(&key.as_ref()))
    {
        return Err(ConfigError::Unknown(String::from(key.as_ref())));
    }
    Ok(members)
}

/// The items as strings, or `None` when one is not a string.
fn strings(items: &[Value]) -> Option<Vec<String>> {
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        list.push(String::from(item.as_str()?));
    }
    Some(list)
}

/// A list of strings as a JSON array.
fn write_list(values: &[String]) -> String {
    let mut out = String::from("[");
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(&mut out, value);
    }
    out.push(']');
    out
}

#[cfg(test)]
mod tests {
    /// Every field, as the TypeScript declaration and the README spell it: the table above is
    /// the one declaration, and these two must not drift from it.
    #[test]
    fn the_typescript_interface_and_the_readme_name_every_field() {
        let typings = include_str!("../../js/telemetry-collector.d.ts");
        let start = typings.find("export interface TelemetryConfig").unwrap();
        let interface = &typings[start..start + typings[start..].find("\n}").unwrap()];
        let readme = include_str!("../../README.md");
        for field in FIELDS {
            let declared = ["  ", field, "?:"].concat();
            assert!(interface.contains(&declared), "{field} in TelemetryConfig");
            let documented = ["`", field].concat();
            assert!(readme.contains(&documented), "{field} in the README");
        }
        let members = interface.lines().filter(|line| {
            let member = line.strip_prefix("  ").unwrap_or_default();
            !member.starts_with([' ', '/', '*']) && member.contains("?:")
        });
        assert_eq!(members.count(), FIELDS.len(), "no field beyond the table");
    }

    use super::*;
    use crate::core::random::Rng;
    use alloc::vec;

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
        let error = with(
            ConfigPatch::default()
                .with(
                    Field::sampling,
                    Setting::Text(SamplingStrategy::Probabilistic.name().into()),
                )
                .with(Field::sampling_rate, Setting::Number(5.0)),
        )
        .unwrap_err();
        assert_eq!(error.to_string(), "samplingRate must be between 0 and 1");
        assert!(matches!(error, ConfigError::Range { .. }));
    }

    #[test]
    fn non_finite_and_negative_rates_are_rejected_and_bounds_accepted() {
        for bad in [f64::NAN, f64::INFINITY, -0.1, 1.000_001] {
            assert!(
                with(ConfigPatch::default().with(Field::sampling_rate, Setting::Number(bad)))
                    .is_err()
            );
        }
        for good in [0.0, 0.5, 1.0] {
            let config =
                with(ConfigPatch::default().with(Field::sampling_rate, Setting::Number(good)));
            assert_eq!(config.unwrap().sampling_rate, good);
        }
    }

    #[test]
    fn integer_fields_reject_fractions_zero_and_huge_values() {
        let error = with(ConfigPatch::default().with(Field::max_buffer_size, Setting::Number(2.5)));
        assert_eq!(
            error.unwrap_err().to_string(),
            "maxBufferSize must be an integer between 1 and 1000"
        );
        assert!(
            with(ConfigPatch::default().with(Field::max_buffer_size, Setting::Number(0.0)))
                .is_err()
        );
        assert!(
            with(ConfigPatch::default().with(Field::throttle_window_ms, Setting::Number(0.0)))
                .is_err()
        );
        assert!(with(
            ConfigPatch::default().with(Field::max_events_per_window, Setting::Number(-3.0))
        )
        .is_err());
        assert!(
            with(ConfigPatch::default().with(Field::flush_interval_ms, Setting::Number(1e12)))
                .is_err()
        );
        let zero =
            with(ConfigPatch::default().with(Field::flush_interval_ms, Setting::Number(0.0)));
        assert_eq!(zero.unwrap().flush_interval_ms, 0);
    }

    #[test]
    fn an_endpoint_alone_selects_http_and_http_requires_an_endpoint() {
        let config = with(ConfigPatch::default().with(
            Field::endpoint,
            Setting::Text("http://127.0.0.1:4318/v1/events".into()),
        ))
        .unwrap();
        assert_eq!(config.transport, TransportKind::Http);

        let error = with(ConfigPatch::default().with(
            Field::transport,
            Setting::Text(TransportKind::Http.name().into()),
        ))
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "endpoint is required when transport is 'http', 'beacon' or 'otlp'"
        );
    }

    #[test]
    fn own_requests_go_to_the_endpoint_as_given_or_as_resolved() {
        let page = "https://app.example";
        for (endpoint, url, absolute, own) in [
            (
                "/v1/events",
                "/v1/events",
                "https://app.example/v1/events",
                true,
            ),
            (
                "https://c.example/v1/events",
                "https://c.example/v1/events",
                "https://c.example/v1/events",
                true,
            ),
            (
                "https://app.example/v1/events",
                "/v1/events",
                "https://app.example/v1/events",
                true,
            ),
            (
                "/v1/events",
                "/v1/other",
                "https://app.example/v1/other",
                false,
            ),
            (
                "https://c.example/v1/events",
                "/v1/events",
                "https://app.example/v1/events",
                false,
            ),
        ] {
            assert_eq!(
                is_own_request(Some(endpoint), url, absolute),
                own,
                "{endpoint} {url}"
            );
        }
        assert!(!is_own_request(None, "/v1/events", page));
    }

    #[test]
    fn endpoints_must_be_http_urls_or_absolute_paths() {
        for good in [
            "https://x.example/e",
            "http://127.0.0.1:9/v1/events",
            "/api/telemetry",
        ] {
            let patch = ConfigPatch::default().with(Field::endpoint, Setting::Text(good.into()));
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
            let patch = ConfigPatch::default().with(Field::endpoint, Setting::Text(bad.into()));
            let error = with(patch).unwrap_err();
            assert!(
                error.to_string().starts_with("endpoint must be"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn custom_transport_needs_a_function() {
        let missing = with(ConfigPatch::default().with(
            Field::transport,
            Setting::Text(TransportKind::Custom.name().into()),
        ));
        assert_eq!(
            missing.unwrap_err().to_string(),
            "customTransport is required when transport is 'custom'"
        );
        let present = with(
            ConfigPatch::default()
                .with(
                    Field::transport,
                    Setting::Text(TransportKind::Custom.name().into()),
                )
                .with(Field::has_custom_transport, Setting::Flag(true)),
        );
        assert_eq!(present.unwrap().transport, TransportKind::Custom);
    }

    #[test]
    fn a_rejected_update_leaves_the_configuration_unchanged() {
        let mut config = Config::default();
        let before = config.clone();
        // A field's own rule, a rule between fields and the entry's transports are all judged
        // before anything changes, whatever else the patch sets.
        for patch in [
            ConfigPatch::default()
                .with(Field::debug, Setting::Flag(true))
                .with(Field::max_buffer_size, Setting::Number(1e9)),
            ConfigPatch::default()
                .with(Field::debug, Setting::Flag(true))
                .with(Field::retry_base_ms, Setting::Number(70_000.0)),
            ConfigPatch::default()
                .with(Field::debug, Setting::Flag(true))
                .with(Field::transport, Setting::Text("beacon".into())),
            ConfigPatch::default()
                .with(Field::debug, Setting::Flag(true))
                .with(Field::transport, Setting::Text("custom".into())),
        ] {
            assert!(config.apply(patch).is_err());
            assert_eq!(config, before);
        }
        config
            .apply(
                ConfigPatch::default()
                    .with(Field::max_buffer_size, Setting::Number(10.0))
                    .with(Field::debug, Setting::Flag(true)),
            )
            .unwrap();
        assert_eq!((config.max_buffer_size, config.debug), (10, true));
        // The rules between fields read what the patch gives and what it leaves.
        config
            .apply(
                ConfigPatch::default()
                    .with(Field::retry_max_ms, Setting::Number(500.0))
                    .with(Field::retry_base_ms, Setting::Number(100.0)),
            )
            .unwrap();
        assert!(config
            .apply(ConfigPatch::default().with(Field::retry_base_ms, Setting::Number(600.0)))
            .is_err());
        config
            .apply(
                ConfigPatch::default()
                    .with(Field::transport, Setting::Text("beacon".into()))
                    .with(Field::endpoint, Setting::Text("/v1/events".into())),
            )
            .unwrap();
        config
            .apply(ConfigPatch::default().with(Field::transport, Setting::Text("http".into())))
            .unwrap();
        assert_eq!(config.transport, TransportKind::Http, "the endpoint it has");
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
        let patch = ConfigPatch::default().with(
            Field::redact_fields,
            Setting::List(vec!["password".into(), String::new()]),
        );
        assert_eq!(
            with(patch).unwrap_err().to_string(),
            "redactFields must be a list of non-empty field names"
        );
    }

    #[test]
    fn trace_propagation_targets_are_origins_and_prefixes_and_absent_by_default() {
        assert_eq!(Config::default().trace_propagation_targets, None);
        let config = Config::from_patch(
            ConfigPatch::from_json(
                r#"{"tracePropagationTargets":["http://127.0.0.1:9090","/api/"]}"#,
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            config.trace_propagation_targets.as_deref(),
            Some(&[String::from("http://127.0.0.1:9090"), String::from("/api/")][..])
        );
        assert!(config
            .to_json()
            .contains(r#""tracePropagationTargets":["http://127.0.0.1:9090","/api/"]"#));
        let off = Config::from_patch(
            ConfigPatch::from_json(r#"{"tracePropagationTargets":[]}"#).unwrap(),
        )
        .unwrap();
        assert_eq!(
            off.trace_propagation_targets,
            Some(Vec::new()),
            "[] is kept: nowhere"
        );
        let error = Config::from_patch(
            ConfigPatch::from_json(r#"{"tracePropagationTargets":["api.example.com"]}"#).unwrap(),
        )
        .unwrap_err();
        assert_eq!(
            error.message(),
            concat(&["tracePropagationTargets must be ", TARGET_RULE])
        );
        assert!(matches!(error, ConfigError::Range { .. }));
        let error = ConfigPatch::from_json(r#"{"tracePropagationTargets":[1]}"#).unwrap_err();
        assert_eq!(
            error.message(),
            "tracePropagationTargets must be an array of strings"
        );
    }

    #[test]
    fn release_and_dist_are_one_to_two_hundred_characters_without_control_characters() {
        for field in ["release", "dist"] {
            let read = |value: &str| {
                let json = concat(&["{\"", field, "\":", value, "}"]);
                ConfigPatch::from_json(&json).and_then(Config::from_patch)
            };
            let long = concat(&["\"", &"é".repeat(200), "\""]);
            assert!(
                read(&long).is_ok(),
                "200 characters are more than 200 bytes"
            );
            for bad in ["\"\"", "\"a\\nb\"", &long.replacen('é', "éé", 1)] {
                let error = read(bad).unwrap_err();
                assert_eq!(
                    error.to_string(),
                    concat(&[
                        field,
                        " must be 1 to 200 characters without control characters"
                    ])
                );
                assert!(matches!(error, ConfigError::Range { .. }));
            }
            assert!(matches!(read("7"), Err(ConfigError::Type { .. })));
        }
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
                "release",
                "dist",
                "tracePropagationTargets",
                "tracesSampleRate",
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
            error(
                ConfigPatch::default()
                    .with(Field::retry_base_ms, Setting::Number(0.0))
                    .with(Field::max_buffer_size, Setting::Number(0.0))
            ),
            "maxBufferSize must be an integer between 1 and 1000"
        );
        // A field's own rule comes before the rules between fields.
        assert_eq!(
            error(
                ConfigPatch::default()
                    .with(Field::retry_base_ms, Setting::Number(5000.0))
                    .with(Field::retry_max_ms, Setting::Number(1000.0))
                    .with(Field::service_name, Setting::Text(String::new()))
            ),
            "serviceName must be a non-empty string"
        );
        assert_eq!(
            error(
                ConfigPatch::default()
                    .with(Field::retry_base_ms, Setting::Number(5000.0))
                    .with(Field::retry_max_ms, Setting::Number(1000.0))
                    .with(
                        Field::transport,
                        Setting::Text(TransportKind::Beacon.name().into())
                    )
            ),
            "retryMaxMs must be at least retryBaseMs"
        );
    }

    /// Every field the core reads, each with a value other than its default, written as
    /// `JSON.stringify` writes it (plus JS-only keys the core ignores).
    const EVERY_FIELD: &str = concat!(
        r#"{"enabled":false,"sampling":"probabilistic","samplingRate":0.25,"maxBufferSize":10,"#,
        r#""flushIntervalMs":0,"transport":"custom","endpoint":"https://x.example/e?q=\"b\"","#,
        r#""apiKey":"k-\u00e9","customTransport":true,"redactPII":false,"#,
        r#""redactFields":["pin","mot de passe"],"debug":true,"throttleWindowMs":1000,"#,
        r#""maxEventsPerWindow":7,"requireConsent":true,"respectDoNotTrack":false,"#,
        r#""redactPatterns":[{},"x"],"allowedQueryParams":["utm_source"],"#,
        r#""userIdSalt":"s\\\ud83d\ude00","tracePropagationTargets":["/api/"],"#,
        r#""tracesSampleRate":0.5,"serviceName":"shop\n","errorSamplingRate":0.1,"#,
        r#""maxErrorsPerWindow":3,"retryBaseMs":500,"retryMaxMs":86400000,"#,
        r#""breakerThreshold":2,"breakerCooldownMs":1}"#
    );

    #[test]
    fn every_field_is_read_from_json_and_written_back() {
        let patch = ConfigPatch::from_json(EVERY_FIELD).unwrap();
        assert_eq!(
            patch,
            ConfigPatch::default()
                .with(Field::enabled, Setting::Flag(false))
                .with(
                    Field::sampling,
                    Setting::Text(SamplingStrategy::Probabilistic.name().into())
                )
                .with(Field::sampling_rate, Setting::Number(0.25))
                .with(Field::max_buffer_size, Setting::Number(10.0))
                .with(Field::flush_interval_ms, Setting::Number(0.0))
                .with(
                    Field::transport,
                    Setting::Text(TransportKind::Custom.name().into())
                )
                .with(
                    Field::endpoint,
                    Setting::Text("https://x.example/e?q=\"b\"".into())
                )
                .with(Field::api_key, Setting::Text("k-é".into()))
                .with(Field::has_custom_transport, Setting::Flag(true))
                .with(Field::redact_pii, Setting::Flag(false))
                .with(
                    Field::redact_fields,
                    Setting::List(vec!["pin".into(), "mot de passe".into()])
                )
                .with(Field::debug, Setting::Flag(true))
                .with(Field::throttle_window_ms, Setting::Number(1000.0))
                .with(Field::max_events_per_window, Setting::Number(7.0))
                .with(Field::require_consent, Setting::Flag(true))
                .with(Field::respect_do_not_track, Setting::Flag(false))
                .with(
                    Field::allowed_query_params,
                    Setting::List(vec!["utm_source".into()])
                )
                .with(Field::user_id_salt, Setting::Text("s\\😀".into()))
                .with(
                    Field::trace_propagation_targets,
                    Setting::List(vec!["/api/".into()])
                )
                .with(Field::traces_sample_rate, Setting::Number(0.5))
                .with(Field::service_name, Setting::Text("shop\n".into()))
                .with(Field::error_sampling_rate, Setting::Number(0.1))
                .with(Field::max_errors_per_window, Setting::Number(3.0))
                .with(Field::retry_base_ms, Setting::Number(500.0))
                .with(Field::retry_max_ms, Setting::Number(86_400_000.0))
                .with(Field::breaker_threshold, Setting::Number(2.0))
                .with(Field::breaker_cooldown_ms, Setting::Number(1.0))
        );
        let config = Config::from_patch(patch).unwrap();
        let json = config.to_json();
        assert_eq!(
            json,
            concat!(
                r#"{"enabled":false,"sampling":"probabilistic","samplingRate":0.25,"#,
                r#""maxBufferSize":10,"flushIntervalMs":0,"transport":"custom","#,
                r#""endpoint":"https://x.example/e?q=\"b\"","apiKey":"k-é","redactPII":false,"#,
                r#""redactFields":["pin","mot de passe"],"debug":true,"throttleWindowMs":1000,"#,
                r#""maxEventsPerWindow":7,"requireConsent":true,"respectDoNotTrack":false,"#,
                r#""allowedQueryParams":["utm_source"],"userIdSalt":"s\\😀","#,
                r#""tracePropagationTargets":["/api/"],"tracesSampleRate":0.5,"#,
                r#""serviceName":"shop\n","errorSamplingRate":0.1,"maxErrorsPerWindow":3,"#,
                r#""retryBaseMs":500,"retryMaxMs":86400000,"breakerThreshold":2,"#,
                r#""breakerCooldownMs":1}"#
            )
        );
        assert_eq!(read_back(&config), config);
    }

    /// What the JS layer would get back from `to_json`, handed to the core again (with
    /// `customTransport`, which the JS layer adds).
    fn read_back(config: &Config) -> Config {
        let patch = ConfigPatch::from_json(&config.to_json()).unwrap().with(
            Field::has_custom_transport,
            Setting::Flag(config.has_custom_transport),
        );
        Config::from_patch(patch).unwrap()
    }

    #[test]
    fn the_default_configuration_is_written_in_field_order_and_reads_back_equal() {
        let config = Config::default();
        assert_eq!(
            config.to_json(),
            concat!(
                r#"{"enabled":true,"sampling":"always","samplingRate":1,"maxBufferSize":50,"#,
                r#""flushIntervalMs":30000,"transport":"console","redactPII":true,"#,
                r#""redactFields":["email","password","token","apiKey","secret","creditCard","#,
                r#""ssn"],"debug":false,"throttleWindowMs":60000,"maxEventsPerWindow":100,"#,
                r#""requireConsent":false,"respectDoNotTrack":true,"allowedQueryParams":[],"#,
                r#""userIdSalt":"wasm-telemetry","tracesSampleRate":0,"#,
                r#""serviceName":"unknown_service","#,
                r#""errorSamplingRate":1,"maxErrorsPerWindow":100,"retryBaseMs":1000,"#,
                r#""retryMaxMs":60000,"breakerThreshold":5,"breakerCooldownMs":30000}"#
            )
        );
        assert_eq!(read_back(&config), config);
        assert_eq!(
            ConfigPatch::from_json(" { } ").unwrap(),
            ConfigPatch::default()
        );
    }

    fn below(rng: &mut Rng, n: u64) -> u64 {
        rng.next_u64() % n
    }

    /// `first` and up to five random pieces: ASCII, non-ASCII, characters JSON escapes, and
    /// `extra` ones.
    fn random_text(rng: &mut Rng, first: &str, extra: &[&str]) -> String {
        let pieces = ["a", "Z", "é", "\"", "\\", "/", "😀", "%", "_"];
        let mut out = String::from(first);
        for _ in 0..below(rng, 6) {
            let at = below(rng, (pieces.len() + extra.len()) as u64) as usize;
            let piece = pieces.get(at).or_else(|| extra.get(at - pieces.len()));
            out.push_str(piece.unwrap());
        }
        out
    }

    /// A rate with up to nine decimals, the precision `to_json` keeps.
    fn random_rate(rng: &mut Rng) -> f64 {
        let scale = 10f64.powi(below(rng, 10) as i32);
        below(rng, scale as u64 + 1) as f64 / scale
    }

    /// Random valid configurations: every one survives `to_json` and `from_json` unchanged.
    #[test]
    fn random_configurations_read_back_equal() {
        let mut rng = Rng::from_seed([7; 32]);
        let rng = &mut rng;
        for _ in 0..2_000 {
            let salt = random_text(rng, "s", &["\n", "\u{1}", " ", "\u{7f}"]);
            let key = random_text(rng, "k", &[" "]);
            let endpoint = random_text(rng, "/e", &[]);
            let names: Vec<String> = ["p", "q", "r"]
                .iter()
                .map(|first| random_text(rng, first, &["\t"]))
                .collect();
            // The smaller builds refuse `otlp`, which only the full entry has.
            let transports = if cfg!(feature = "otlp") { 6 } else { 5 };
            let transport = TransportKind::ALL[below(rng, transports) as usize];
            let retry_base_ms = 1 + below(rng, 600_000) as u32;
            let config = Config {
                enabled: below(rng, 2) == 0,
                sampling: SamplingStrategy::ALL[below(rng, 4) as usize],
                sampling_rate: random_rate(rng),
                max_buffer_size: 1 + below(rng, 1000) as u32,
                flush_interval_ms: below(rng, 86_400_001) as u32,
                transport,
                endpoint: (transport.needs_endpoint() || below(rng, 2) == 0).then_some(endpoint),
                api_key: (below(rng, 2) == 0).then_some(key),
                has_custom_transport: transport == TransportKind::Custom || below(rng, 2) == 0,
                redact_pii: below(rng, 2) == 0,
                redact_fields: names[..below(rng, 4) as usize].to_vec(),
                debug: below(rng, 2) == 0,
                throttle_window_ms: 1 + below(rng, 86_400_000) as u32,
                max_events_per_window: 1 + below(rng, 1_000_000) as u32,
                require_consent: below(rng, 2) == 0,
                respect_do_not_track: below(rng, 2) == 0,
                allowed_query_params: names[below(rng, 4) as usize..].to_vec(),
                user_id_salt: salt.clone(),
                release: (below(rng, 2) == 0).then(|| random_text(rng, "r", &[" ", "@"])),
                dist: (below(rng, 2) == 0).then(|| random_text(rng, "d", &["+"])),
                traces_sample_rate: random_rate(rng),
                trace_propagation_targets: (below(rng, 2) == 0).then(|| {
                    let path = random_text(rng, "/a", &["?"]);
                    [String::from("https://api.test"), path][..below(rng, 3) as usize].to_vec()
                }),
                service_name: salt,
                error_sampling_rate: random_rate(rng),
                max_errors_per_window: 1 + below(rng, 1_000_000) as u32,
                retry_base_ms,
                retry_max_ms: retry_base_ms + below(rng, 86_400_000 - 600_000) as u32,
                breaker_threshold: 1 + below(rng, 1000) as u32,
                breaker_cooldown_ms: 1 + below(rng, 86_400_000) as u32,
            };
            assert_eq!(read_back(&config), config, "{}", config.to_json());
        }
    }

    fn json_error(text: &str) -> String {
        ConfigPatch::from_json(text).unwrap_err().message()
    }

    #[test]
    fn json_values_of_the_wrong_type_name_the_field_and_the_type() {
        for (text, message) in [
            (r#"{"debug":"yes"}"#, "debug must be a boolean"),
            (r#"{"debug":0}"#, "debug must be a boolean"),
            (
                r#"{"maxBufferSize":"50"}"#,
                "maxBufferSize must be a number",
            ),
            (r#"{"samplingRate":[0.5]}"#, "samplingRate must be a number"),
            (r#"{"serviceName":1}"#, "serviceName must be a string"),
            (r#"{"endpoint":{"url":"/e"}}"#, "endpoint must be a string"),
            (
                r#"{"redactFields":"password"}"#,
                "redactFields must be an array of strings",
            ),
            (
                r#"{"allowedQueryParams":["utm",1]}"#,
                "allowedQueryParams must be an array of strings",
            ),
            (
                r#"{"sampling":"sometimes"}"#,
                "sampling must be 'always', 'never', 'probabilistic' or 'throttled'",
            ),
            (
                r#"{"transport":"HTTP"}"#,
                "transport must be 'http', 'beacon', 'localStorage', 'console', 'custom' or 'otlp'",
            ),
            (
                r#"{"transport":2}"#,
                "transport must be 'http', 'beacon', 'localStorage', 'console', 'custom' or 'otlp'",
            ),
            (
                r#"{"customTransport":"f"}"#,
                "customTransport must be a function",
            ),
            (
                r#"{"customTransport":false}"#,
                "customTransport must be a function",
            ),
        ] {
            let error = ConfigPatch::from_json(text).unwrap_err();
            assert!(matches!(error, ConfigError::Type { .. }), "{text}");
            assert_eq!(error.message(), message, "{text}");
        }
    }

    /// `null` is no field's type; `JSON.stringify` also writes NaN and Infinity as `null`.
    #[test]
    fn json_null_is_a_type_error_for_every_kind_of_field() {
        for (field, expected) in [
            ("enabled", "a boolean"),
            ("samplingRate", "a number"),
            ("retryMaxMs", "a number"),
            ("sampling", SamplingStrategy::NAMES),
            ("apiKey", "a string"),
            ("userIdSalt", "a string"),
            ("redactFields", "an array of strings"),
            ("customTransport", "a function"),
        ] {
            let text = ["{\"", field, "\":null}"].concat();
            assert_eq!(
                ConfigPatch::from_json(&text),
                Err(ConfigError::Type { field, expected })
            );
        }
    }

    #[test]
    fn unknown_json_keys_are_refused_first_in_key_order() {
        let error = ConfigPatch::from_json(
            r#"{"debug":1,"smapling":"always","sampling":2,"flushInterval":5}"#,
        )
        .unwrap_err();
        assert_eq!(error, ConfigError::Unknown("smapling".into()));
        assert_eq!(error.message(), "unknown config field 'smapling'");
        assert_eq!(
            json_error(r#"{"Enabled":true}"#),
            "unknown config field 'Enabled'"
        );
        // Keys are compared after unescaping.
        assert_eq!(
            ConfigPatch::from_json(r#"{"\u0064ebug":true}"#)
                .unwrap()
                .get(Field::debug),
            Some(&Setting::Flag(true))
        );
    }

    #[test]
    fn type_errors_follow_field_order_not_key_order() {
        assert_eq!(
            json_error(r#"{"debug":1,"serviceName":2,"enabled":3}"#),
            "enabled must be a boolean"
        );
    }

    #[test]
    fn a_json_document_that_is_not_an_object_is_refused() {
        for text in [
            "null",
            "[]",
            "[{}]",
            "1",
            "\"{}\"",
            "true",
            "",
            "{",
            "{\"debug\":true,}",
            "{} {}",
        ] {
            assert_eq!(
                ConfigPatch::from_json(text),
                Err(ConfigError::Type {
                    field: "config",
                    expected: "an object"
                }),
                "{text}"
            );
        }
        assert_eq!(json_error("[]"), "config must be an object");
    }

    #[test]
    fn js_only_fields_are_accepted_and_ignored() {
        let patch = ConfigPatch::from_json(
            r#"{"beforeSend":{},"redactPatterns":[{},"x"],"customTransport":true}"#,
        )
        .unwrap();
        assert_eq!(
            patch,
            ConfigPatch::default().with(Field::has_custom_transport, Setting::Flag(true))
        );
        let json = Config::from_patch(patch).unwrap().to_json();
        for js_only in ["customTransport", "beforeSend", "redactPatterns"] {
            assert!(!json.contains(js_only), "{json}");
        }
    }

    #[test]
    fn json_strings_are_unescaped_and_a_repeated_key_keeps_the_last_value() {
        let patch = ConfigPatch::from_json(concat!(
            r#"{"serviceName":"first","serviceName":"caf\u00e9 \ud83d\ude00 \"\\\/\t","#,
            r#""debug":false,"debug":true}"#
        ))
        .unwrap();
        assert_eq!(
            patch.get(Field::service_name),
            Some(&Setting::Text("café 😀 \"\\/\t".into()))
        );
        assert_eq!(patch.get(Field::debug), Some(&Setting::Flag(true)));
        // A lone surrogate, which JSON.stringify escapes, becomes U+FFFD.
        let lone = ConfigPatch::from_json(r#"{"userIdSalt":"a\ud800b"}"#).unwrap();
        assert_eq!(
            lone.get(Field::user_id_salt),
            Some(&Setting::Text("a\u{fffd}b".into()))
        );
    }

    /// The JSON reader is exact for the numbers a configuration holds: integers, and decimals
    /// of up to 15 significant digits. A 16- or 17-digit rate may come out one unit in the
    /// last place off.
    #[test]
    fn json_numbers_are_read_exactly_up_to_fifteen_significant_digits() {
        let rate = |text: &str| {
            let json = ["{\"samplingRate\":", text, "}"].concat();
            match ConfigPatch::from_json(&json)
                .unwrap()
                .get(Field::sampling_rate)
            {
                Some(Setting::Number(rate)) => *rate,
                other => panic!("{other:?}"),
            }
        };
        for (text, value) in [
            ("1", 1.0),
            ("0", 0.0),
            ("0.1", 0.1),
            ("0.3", 0.3),
            ("1e-7", 1e-7),
            ("1e+21", 1e21),
            ("86400000", 86_400_000.0),
            ("0.123456789012345", 0.123456789012345),
        ] {
            assert_eq!(rate(text), value, "{text}");
        }
        let full = 0.21057487789162466_f64;
        assert!((rate("0.21057487789162466") - full).abs() <= f64::EPSILON * full);
    }

    /// Rates are written as the shortest decimal that reads back exactly: the digits JS would
    /// print (1e-7 comes out as 0.0000001, which JS reads as 1e-7).
    #[test]
    fn rates_are_written_exactly_with_the_fewest_digits() {
        for (rate, text) in [
            (1.0, "1"),
            (0.0, "0"),
            (0.1, "0.1"),
            (0.25, "0.25"),
            (0.3, "0.3"),
            (1e-7, "0.0000001"),
            (0.000000001, "0.000000001"),
            (0.123456789, "0.123456789"),
            (1.0 / 3.0, "0.3333333333333333"),
            (1e-10, "0.0000000001"),
        ] {
            let config = Config {
                sampling_rate: rate,
                ..Config::default()
            };
            let json = config.to_json();
            let written = ["\"samplingRate\":", text, ","].concat();
            assert!(json.contains(&written), "{rate}: {json}");
            if text != "0" && rate != 1.0 / 3.0 {
                assert_eq!(read_back(&config).sampling_rate, rate, "{text}");
            }
        }
    }
}
