//! Secrets: bearer and basic credentials, JWTs, well-known API key prefixes and long
//! high-entropy tokens.

use super::{byte, is_word, starts_with, starts_with_ignore_case, Found, Kind, Replacement};
use alloc::string::String;

/// Shortest token checked for entropy.
const MIN_ENTROPY_TOKEN: usize = 32;
/// Bits per character a long mixed token needs to be taken for a secret...
const MIN_BITS_PER_CHAR: f64 = 4.0;
/// ...together with this share of character-class changes (upper, lower, digit, other) between
/// neighbours, which random keys have (~0.6) and camelCase identifiers lack (~0.35)...
const MIN_CLASS_CHANGES: f64 = 0.4;
/// ...unless its entropy alone is this high. Calibrated on 7,000 random keys (99.9 % caught) and
/// 3,800 generated identifiers (0.1 % caught).
const SURE_BITS_PER_CHAR: f64 = 4.6;
/// Longest token whose character statistics are computed (the rest of a run is skipped).
const MAX_TOKEN_STATS: usize = 1024;

/// Prefixes of well-known credentials and the least number of characters after them.
const KEY_PREFIXES: [(&[u8], usize); 19] = [
    (b"sk-ant-", 16),
    (b"sk-proj-", 16),
    (b"sk-", 20),
    (b"sk_live_", 16),
    (b"sk_test_", 16),
    (b"rk_live_", 16),
    (b"AKIA", 16),
    (b"ASIA", 16),
    (b"ghp_", 20),
    (b"gho_", 20),
    (b"ghu_", 20),
    (b"ghs_", 20),
    (b"ghr_", 20),
    (b"github_pat_", 20),
    (b"xox", 12),
    (b"xapp-", 16),
    (b"glpat-", 16),
    (b"AIza", 30),
    (b"npm_", 30),
];

/// The fewest characters of any key: its prefix and the least number after it.
const SHORTEST_KEY: usize = {
    let mut shortest = usize::MAX;
    let mut i = 0;
    while i < KEY_PREFIXES.len() {
        let (prefix, least) = KEY_PREFIXES[i];
        if prefix.len() + least < shortest {
            shortest = prefix.len() + least;
        }
        i += 1;
    }
    shortest
};

/// The characters of the runs a secret is made of, one bit per kind of run ([`CHARS`]).
const KEY: u8 = 1; // letters, digits, `_` and `-`: a key after its prefix
const BASE64: u8 = 1 << 1; // and `+`, `/`
const WIDE: u8 = 1 << 2; // and `.`: the run the scanner examines once (JWTs have dots)
const CREDENTIAL: u8 = 1 << 3; // and `~`, `=`: what follows `Bearer `

/// The kinds of run `b` belongs to.
const fn runs(b: u8) -> u8 {
    let mut kinds = 0;
    if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
        kinds |= KEY | BASE64 | WIDE | CREDENTIAL;
    }
    if b == b'+' || b == b'/' {
        kinds |= BASE64 | WIDE | CREDENTIAL;
    }
    if b == b'.' {
        kinds |= WIDE | CREDENTIAL;
    }
    if b == b'~' || b == b'=' {
        kinds |= CREDENTIAL;
    }
    kinds
}

/// [`runs`] of every byte: a lookup per byte rather than a call through a function pointer.
static CHARS: [u8; 256] = byte_table!(runs);

/// End of the run of characters of `kind` starting at `start`.
fn run_end(bytes: &[u8], start: usize, kind: u8) -> usize {
    let mut end = start;
    while CHARS[usize::from(byte(bytes, end))] & kind != 0 {
        end += 1;
    }
    end
}

/// `Bearer <token>` or `Basic <credentials>` (any case): the scheme stays, the credential goes.
pub(crate) fn bearer(text: &str, start: usize) -> Option<Found> {
    let bytes = text.as_bytes();
    let scheme_length = [b"bearer".as_slice(), b"basic".as_slice()]
        .into_iter()
        .find(|scheme| starts_with_ignore_case(bytes, start, scheme))?
        .len();
    let mut token_start = start + scheme_length;
    if byte(bytes, token_start) != b' ' {
        return None;
    }
    while byte(bytes, token_start) == b' ' {
        token_start += 1;
    }
    let end = run_end(bytes, token_start, CREDENTIAL);
    if end - token_start < 8 {
        return None;
    }
    let scheme = text.get(start..start + scheme_length)?;
    let mut replacement = String::from(scheme);
    replacement.push(' ');
    replacement.push_str(Kind::ApiKey.marker());
    Some(Found {
        end,
        replacement: Replacement::Text(replacement),
    })
}

/// Examines the token run starting at `start` (JWT, known key prefix, high-entropy token).
/// Returns the verdict and the end of the run, which the scanner does not examine again.
pub(crate) fn token(bytes: &[u8], start: usize) -> (Option<Found>, usize) {
    // One pass over the run finds where its key characters and its base64 characters stop.
    let (mut key_end, mut base64_stop, mut wide_end) = (usize::MAX, usize::MAX, start);
    loop {
        let kinds = CHARS[usize::from(byte(bytes, wide_end))];
        if kinds & KEY == 0 {
            key_end = key_end.min(wide_end);
        }
        if kinds & BASE64 == 0 {
            base64_stop = base64_stop.min(wide_end);
        }
        if kinds & WIDE == 0 {
            break;
        }
        wide_end += 1;
    }
    let secret = |end: usize| {
        Some(Found {
            end,
            replacement: Replacement::Marker(Kind::ApiKey),
        })
    };
    let mut jwt_end = wide_end;
    while jwt_end > start && byte(bytes, jwt_end - 1) == b'.' {
        jwt_end -= 1;
    }
    if is_jwt(bytes, start, jwt_end) {
        return (secret(jwt_end), wide_end);
    }
    if key_end - start >= SHORTEST_KEY {
        let first = byte(bytes, start);
        for &(prefix, least) in &KEY_PREFIXES {
            if prefix.first() == Some(&first)
                && starts_with(bytes, start, prefix)
                && key_end - start >= prefix.len() + least
                && !is_word(byte(bytes, key_end))
            {
                return (secret(key_end), wide_end);
            }
        }
    }
    // Base64 characters are among the run's, and at most two `=` of padding follow them.
    if wide_end + 2 - start < MIN_ENTROPY_TOKEN {
        return (None, wide_end);
    }
    // At most two `=` of padding follow the base64 characters.
    let mut base64_end = base64_stop;
    for _ in 0..2 {
        if byte(bytes, base64_end) == b'=' {
            base64_end += 1;
        }
    }
    if base64_end - start >= MIN_ENTROPY_TOKEN && looks_random(bytes, start, base64_end) {
        return (secret(base64_end), wide_end.max(base64_end));
    }
    (None, wide_end)
}

/// `eyJ…` header, a payload and a signature, base64url segments separated by dots.
fn is_jwt(bytes: &[u8], start: usize, end: usize) -> bool {
    if !starts_with(bytes, start, b"eyJ") {
        return false;
    }
    let mut segment_lengths = [0usize; 3];
    let mut segment = 0;
    for at in start..end {
        if byte(bytes, at) == b'.' {
            segment += 1;
            if segment > 2 {
                return false;
            }
        } else if let Some(length) = segment_lengths.get_mut(segment) {
            *length += 1;
        }
    }
    segment == 2 && segment_lengths[0] >= 10 && segment_lengths[1] >= 10 && segment_lengths[2] >= 8
}

#[inline(always)]
fn class(b: u8) -> u8 {
    if b.is_ascii_uppercase() {
        0
    } else if b.is_ascii_lowercase() {
        1
    } else if b.is_ascii_digit() {
        2
    } else {
        3
    }
}

/// Upper case, lower case and digits all present, and character statistics of random keys (see
/// the thresholds above), which identifiers, hex hashes and UUIDs do not have.
#[inline(always)]
fn looks_random(bytes: &[u8], start: usize, end: usize) -> bool {
    let end = end.min(start + MAX_TOKEN_STATS);
    let mut counts = [0u16; 128];
    let (mut upper, mut lower, mut digits, mut changes) = (0, 0, 0, 0usize);
    let mut previous_class = class(byte(bytes, start));
    for at in start..end {
        let b = byte(bytes, at);
        let b_class = class(b);
        changes += usize::from(b_class != previous_class);
        previous_class = b_class;
        upper += usize::from(b.is_ascii_uppercase());
        lower += usize::from(b.is_ascii_lowercase());
        digits += usize::from(b.is_ascii_digit());
        if let Some(count) = counts.get_mut(usize::from(b & 0x7f)) {
            *count += 1;
        }
    }
    if upper == 0 || lower == 0 || digits == 0 {
        return false;
    }
    let total = (end - start) as f64;
    let entropy: f64 = counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / total;
            -p * log2(p)
        })
        .sum();
    let change_share = changes as f64 / (total - 1.0);
    entropy >= SURE_BITS_PER_CHAR
        || entropy >= MIN_BITS_PER_CHAR && change_share >= MIN_CLASS_CHANGES
}

/// Base-2 logarithm of a positive number, accurate to about 1e-4, without libm.
fn log2(x: f64) -> f64 {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mantissa = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000); // [1, 2)
                                                                                           // log2(m) for m in [1, 2) via the series of ln((1 + t) / (1 - t)), t = (m - 1) / (m + 1).
    let t = (mantissa - 1.0) / (mantissa + 1.0);
    let t2 = t * t;
    let ln = 2.0 * t * (1.0 + t2 * (1.0 / 3.0 + t2 * (1.0 / 5.0 + t2 * (1.0 / 7.0 + t2 / 9.0))));
    exponent as f64 + ln * core::f64::consts::LOG2_E
}

#[cfg(test)]
mod tests {
    use super::super::clean;
    use super::log2;

    #[test]
    fn log2_is_accurate() {
        for x in [0.001, 0.03125, 0.1, 0.5, 0.75, 1.0, 3.0, 1000.0] {
            assert!((log2(x) - x.log2()).abs() < 1e-4, "{x}");
        }
    }

    #[test]
    fn provider_keys_are_redacted() {
        for key in [
            "sk-ant-api03-AbCdEf0123456789xyzXYZ",
            "sk-proj-abcdEFGH1234ijklMNOP5678",
            "sk-abcdefghijklmnopqrstuvwxyz012345",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
            "xoxb-1234567890-abcdefghij",
            "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
            "AIzaSyA-1234567890abcdefghijklmnopqrs",
            "glpat-abcdefghij1234567890",
        ] {
            assert_eq!(
                clean(&["key=", key, ";"].concat()),
                "key=[REDACTED_API_KEY];",
                "{key}"
            );
        }
    }

    #[test]
    fn jwts_and_authorization_headers_are_redacted() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert_eq!(clean(&["t ", jwt, "."].concat()), "t [REDACTED_API_KEY].");
        assert_eq!(
            clean("Authorization: Bearer abc.DEF-123_xyz"),
            "Authorization: Bearer [REDACTED_API_KEY]"
        );
        assert_eq!(
            clean("authorization: basic dXNlcjpwYXNzd29yZA=="),
            "authorization: basic [REDACTED_API_KEY]"
        );
    }

    #[test]
    fn long_random_tokens_are_redacted_but_identifiers_and_hashes_survive() {
        assert_eq!(
            clean("s=q8Zr3Kd9XvLm2Pw7Tn4Yb6Hc1Jf5Gs0A"),
            "s=[REDACTED_API_KEY]"
        );
        assert_eq!(
            clean("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "[REDACTED_API_KEY]"
        );
        for text in [
            "550e8400-e29b-41d4-a716-446655440000",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "ThisIsAVeryLongCamelCaseIdentifierName2024",
            "getUserAccountSettingsFromServer2",
            "sk-learn",
            "task-list",
            "550E8400-E29B-41D4-A716-446655440000",
            "a1b2c3d",
            "Bearer",
            "the basic idea",
        ] {
            assert_eq!(clean(text), text);
        }
    }
}
