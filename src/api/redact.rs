//! `redact(text)`: the SDK's PII scanner as a function, for applications that want to clean
//! text themselves (and for measuring the scanner).

use crate::core::pii::{redact as redact_text, Rules};
use alloc::string::String;

/// Replaces emails, phone numbers, SSNs, card numbers, IP addresses, IBANs, wallet addresses,
/// MAC addresses and secrets in `text` with `[REDACTED_<TYPE>]` markers, strips query values
/// and fragments from URLs and reduces absolute file paths to file names. Runs in linear time.
pub fn redact(text: &str) -> String {
    redacted(text).unwrap_or_else(|| String::from(text))
}

/// [`redact`]'s text, or `None` when it leaves `text` as it was.
pub fn redacted(text: &str) -> Option<String> {
    redact_text(text, &Rules::default())
}
