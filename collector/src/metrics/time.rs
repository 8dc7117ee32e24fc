//! Time spans and UTC dates of the query APIs.

use wasm_telemetry_rules::calendar::date_text;

/// One minute, hour and day in ms.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in ms.
pub const HOUR_MS: i64 = 3_600_000;
/// One day in ms.
pub const DAY_MS: i64 = 86_400_000;
/// The UTC date of a day number (days since 1970-01-01), as `YYYY-MM-DD`.
pub fn date_of_day(day: i64) -> String {
    date_text(day).iter().map(|b| char::from(*b)).collect()
}
