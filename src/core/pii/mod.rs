//! Pattern-based PII redaction in guaranteed linear time.
//!
//! The scanner walks the text once. Detectors start only at token boundaries and either look at
//! a bounded window (emails, phone numbers, cards, IP addresses) or at one run of token
//! characters that is never examined twice (secrets, paths, URLs), so hostile input cannot make
//! it backtrack: the work is O(n) with a small constant.

mod network;
mod numbers;
mod paths;
mod secrets;

use alloc::string::String;
use alloc::vec::Vec;

/// The kinds of personal data the scanner replaces, each with its `[REDACTED_<TYPE>]` marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An email address.
    Email,
    /// A phone number (US or E.164).
    Phone,
    /// A US social security number.
    Ssn,
    /// A Luhn-valid payment card number.
    CreditCard,
    /// An IPv4 or IPv6 address.
    IpAddress,
    /// A secret: JWT, bearer token, known key prefix or long high-entropy token.
    ApiKey,
}

impl Kind {
    /// The replacement written in place of the match.
    pub fn marker(self) -> &'static str {
        match self {
            Self::Email => "[REDACTED_EMAIL]",
            Self::Phone => "[REDACTED_PHONE]",
            Self::Ssn => "[REDACTED_SSN]",
            Self::CreditCard => "[REDACTED_CREDIT_CARD]",
            Self::IpAddress => "[REDACTED_IP_ADDRESS]",
            Self::ApiKey => "[REDACTED_API_KEY]",
        }
    }
}

/// What replaces a match.
pub(crate) enum Replacement {
    /// The marker of a kind of PII.
    Marker(Kind),
    /// Rewritten text (a URL without query values, a path reduced to its file name).
    Text(String),
    /// The match needs no change; the scanner skips it so it is never examined twice.
    Keep,
}

/// A detector's verdict: the match ends at `end` (exclusive) and is replaced by `replacement`.
pub(crate) struct Found {
    pub end: usize,
    pub replacement: Replacement,
}

/// Options of one redaction pass.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Query parameters whose values survive URL minimisation (exact names).
    pub allowed_query_params: Vec<String>,
}

/// The byte at `index`, or 0 past the end (0 is a boundary for every detector). Detectors read
/// the text only through this function, so tests can count the work a scan does.
pub(crate) fn byte(text: &[u8], index: usize) -> u8 {
    #[cfg(test)]
    tests::READS.with(|reads| reads.set(reads.get() + 1));
    text.get(index).copied().unwrap_or(0)
}

/// Whether `prefix` occurs at `start`.
pub(crate) fn starts_with(bytes: &[u8], start: usize, prefix: &[u8]) -> bool {
    prefix
        .iter()
        .enumerate()
        .all(|(i, p)| byte(bytes, start + i) == *p)
}

/// Whether `prefix` occurs at `start`, ignoring ASCII case.
pub(crate) fn starts_with_ignore_case(bytes: &[u8], start: usize, prefix: &[u8]) -> bool {
    prefix
        .iter()
        .enumerate()
        .all(|(i, p)| byte(bytes, start + i).eq_ignore_ascii_case(p))
}

/// True for bytes that continue a word, so a detector must not start right after them.
pub(crate) fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Redacts every detected piece of PII in `text`. Returns `None` when nothing changed, so the
/// common case allocates nothing.
pub fn redact(text: &str, rules: &Rules) -> Option<String> {
    redact_with(text, rules, Scope::Text)
}

/// Where a scan runs: free text, or a part of a URL (where URLs and file paths cannot start).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Text,
    UrlPart,
}

pub(crate) fn redact_with(text: &str, rules: &Rules, scope: Scope) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `text` already copied to `out`
    let mut run_checked_until = 0; // token runs before this were examined by run detectors
    let mut next_at_sign = 0; // the first `@` at or after the scan position (len if none)
    let mut index = 0;
    while index < bytes.len() {
        let previous = if index == 0 {
            0
        } else {
            byte(bytes, index - 1)
        };
        let found = if is_word(previous) || !is_candidate_start(byte(bytes, index)) {
            None
        } else {
            while next_at_sign < index
                || (next_at_sign < bytes.len() && byte(bytes, next_at_sign) != b'@')
            {
                next_at_sign = next_at_sign.max(index)
                    + usize::from(byte(bytes, next_at_sign.max(index)) != b'@');
            }
            let email_in_reach = next_at_sign < bytes.len() && next_at_sign - index <= 64;
            detect(
                text,
                index,
                previous,
                rules,
                scope,
                email_in_reach,
                &mut run_checked_until,
            )
        };
        match found {
            Some(Found {
                end,
                replacement: Replacement::Keep,
            }) if end > index => index = end,
            Some(found) if found.end > index => {
                let target = out.get_or_insert_with(|| String::with_capacity(text.len()));
                target.push_str(text.get(copied..index).unwrap_or_default());
                match &found.replacement {
                    Replacement::Marker(kind) => target.push_str(kind.marker()),
                    Replacement::Text(replacement) => target.push_str(replacement),
                    Replacement::Keep => {}
                }
                copied = found.end;
                index = found.end;
            }
            _ => index += 1,
        }
    }
    out.map(|mut target| {
        target.push_str(text.get(copied..).unwrap_or_default());
        target
    })
}

/// Bytes at which some detector may start; everything else is skipped at once.
fn is_candidate_start(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'+' | b'(' | b'/' | b'\\' | b':' | b'.' | b'_' | b'%' | b'-'
        )
}

fn detect(
    text: &str,
    start: usize,
    previous: u8,
    rules: &Rules,
    scope: Scope,
    email_in_reach: bool,
    run_checked_until: &mut usize,
) -> Option<Found> {
    let bytes = text.as_bytes();
    if scope == Scope::Text {
        let found =
            network::url(text, start, rules).or_else(|| paths::file_path(text, start, previous));
        if found.is_some() {
            return found;
        }
    }
    let fixed = email_in_reach
        .then(|| network::email(bytes, start))
        .flatten()
        .or_else(|| secrets::bearer(text, start))
        .or_else(|| network::ipv6(bytes, start, previous))
        .or_else(|| network::ipv4(bytes, start, previous))
        .or_else(|| numbers::ssn(bytes, start, previous))
        .or_else(|| numbers::credit_card(bytes, start, previous))
        .or_else(|| numbers::phone(bytes, start, previous));
    if fixed.is_some() {
        return fixed;
    }
    if start < *run_checked_until {
        return None;
    }
    let (found, run_end) = secrets::token(bytes, start);
    *run_checked_until = run_end;
    found
}

/// `text` with the default rules applied, for the detectors' tests.
#[cfg(test)]
pub(crate) fn clean(text: &str) -> String {
    redact(text, &Rules::default()).unwrap_or_else(|| text.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_replaced_by_its_marker() {
        let cases = [
            (
                "mail jane.doe+tag@example.co.uk now",
                "mail [REDACTED_EMAIL] now",
            ),
            ("call (555) 123-4567 today", "call [REDACTED_PHONE] today"),
            ("call +44 20 7946 0958", "call [REDACTED_PHONE]"),
            ("ssn 123-45-6789.", "ssn [REDACTED_SSN]."),
            (
                "card 4111 1111 1111 1111 ok",
                "card [REDACTED_CREDIT_CARD] ok",
            ),
            ("from 192.168.1.20:8080", "from [REDACTED_IP_ADDRESS]:8080"),
            (
                "v6 2001:db8::8a2e:370:7334 end",
                "v6 [REDACTED_IP_ADDRESS] end",
            ),
            (
                "key sk-ant-api03-abcdefghijklmnop1234 x",
                "key [REDACTED_API_KEY] x",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected, "{input}");
        }
    }

    #[test]
    fn text_without_pii_is_returned_untouched_without_allocating() {
        for text in [
            "",
            "page.view",
            "Checkout completed in 3 steps",
            "café ✓ 日本語",
            "v1.2.3",
        ] {
            assert_eq!(redact(text, &Rules::default()), None, "{text}");
        }
    }

    #[test]
    fn several_matches_in_one_string_are_all_replaced() {
        assert_eq!(
            clean("a@b.io, 10.0.0.1 and 078-05-1120"),
            "[REDACTED_EMAIL], [REDACTED_IP_ADDRESS] and [REDACTED_SSN]"
        );
    }

    #[test]
    fn hostile_input_is_scanned_in_linear_time() {
        // Inputs that make backtracking regex engines crawl. The scanner's work, counted in
        // byte reads, must stay a small constant per input byte however long the input is.
        let shapes = [
            "a.",
            "1-",
            "a@",
            "+1 ",
            "::",
            "1.",
            "eyJ.",
            "aB3",
            "/home/",
            "x ",
            "4111 ",
            "a@b.",
            "(555) ",
            "1.1.",
            "http://a/?",
            "Bearer ",
            "sk-",
            "C:\\",
            "%",
            "a-",
            "9",
        ];
        for shape in shapes {
            let per_byte = |repeats: usize| {
                let text = shape.repeat(repeats);
                READS.with(|reads| reads.set(0));
                core::hint::black_box(redact(&text, &Rules::default()));
                READS.with(|reads| reads.get()) as f64 / text.len() as f64
            };
            let (small, large) = (per_byte(500), per_byte(20_000));
            std::println!("{shape:?}: {small:.1} -> {large:.1} reads per byte");
            assert!(large < 64.0, "{shape:?}: {large} reads per byte");
            assert!(
                large < small * 1.5 + 1.0,
                "{shape:?}: {small} then {large} reads per byte"
            );
        }
    }

    std::thread_local! {
        pub(crate) static READS: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
    }
}
