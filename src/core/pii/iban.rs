//! International bank account numbers (ISO 13616).

use super::{byte, is_word, Found, Kind};

/// Every country of the SWIFT IBAN registry with its IBAN length: two letters, two digits.
const LENGTHS: &[u8] = b"AD24AE23AL28AT20AZ28BA20BE16BG22BH22BI27BR29BY28CH21CR22CY28CZ24DE22\
DJ27DK18DO28EE20EG29ES24FI18FK18FO18FR27GB22GE22GI23GL18GR27GT28HR21HU28IE22IL23IQ23IS26IT27\
JO30KW30KZ20LB28LC32LI21LT20LU20LV21LY25MC27MD24ME22MK19MN20MR27MT31MU30NI28NL18NO15OM23PK24\
PL28PS29PT25QA29RO24RS22RU33SA24SC31SD18SE24SI19SK24SM27SO23ST25SV28TL23TN24TR26UA29VA22VG24\
XK20YE30";

/// The IBAN length of the country `code` (upper case).
fn length_of(code: [u8; 2]) -> Option<usize> {
    // Rows are compared byte by byte: a slice comparison is a call per row.
    LENGTHS
        .chunks_exact(4)
        .find(|row| row[0] == code[0] && row[1] == code[1])
        .map(|row| usize::from(row[2] - b'0') * 10 + usize::from(row[3] - b'0'))
}

/// ISO 7064 MOD 97-10, one character further: a digit is itself, a letter 10 to 35.
#[inline(always)]
fn mod97(remainder: u32, b: u8) -> u32 {
    if b.is_ascii_digit() {
        (remainder * 10 + u32::from(b - b'0')) % 97
    } else {
        (remainder * 100 + u32::from(b - b'A') + 10) % 97
    }
}

/// The byte at `at` in upper case; a function, not a closure, so that it is always inlined.
#[inline(always)]
fn upper_at(bytes: &[u8], at: usize) -> u8 {
    byte(bytes, at).to_ascii_uppercase()
}

/// A country code of the registry, two check digits and the rest of that country's length in
/// letters and digits (either case), written without separators or with single spaces or
/// dashes (one kind) between its groups, whose MOD 97-10 remainder is 1. A checksum-invalid
/// look-alike is not an IBAN, and is kept as it is.
pub(crate) fn iban(bytes: &[u8], start: usize) -> Option<Found> {
    // Most starts are digits: they are turned away before the country code is read.
    if !byte(bytes, start).is_ascii_alphabetic() {
        return None;
    }
    if !(upper_at(bytes, start).is_ascii_uppercase()
        && upper_at(bytes, start + 1).is_ascii_uppercase()
        && upper_at(bytes, start + 2).is_ascii_digit()
        && upper_at(bytes, start + 3).is_ascii_digit())
    {
        return None;
    }
    let length = length_of([upper_at(bytes, start), upper_at(bytes, start + 1)])?;
    // The number is checked as if its first four characters came last.
    let mut remainder = 0;
    let (mut at, mut count, mut separator) = (start + 4, 4, 0);
    while count < length {
        let b = byte(bytes, at).to_ascii_uppercase();
        if b.is_ascii_alphanumeric() {
            remainder = mod97(remainder, b);
            count += 1;
        } else if matches!(b, b' ' | b'-')
            && (separator == 0 || separator == b)
            && byte(bytes, at + 1).is_ascii_alphanumeric()
        {
            separator = b;
        } else {
            return None;
        }
        at += 1;
    }
    let remainder = (0..4).fold(remainder, |remainder, at| {
        mod97(remainder, upper_at(bytes, start + at))
    });
    if is_word(byte(bytes, at)) {
        return None;
    }
    Some(Found::checked(at, Kind::Iban, remainder == 1))
}

#[cfg(test)]
mod tests {
    use super::super::{clean, tests::standard};
    use super::*;
    use crate::core::json_value::Value;
    use alloc::string::String;
    use std::format;

    /// Every country's example from the registry: code, length, IBAN.
    fn examples() -> std::vec::Vec<(String, usize, String)> {
        standard("iban")
            .iter()
            .map(|row| {
                let text = |key| String::from(row.get(key).and_then(Value::as_str).expect(key));
                let length = row.get("length").and_then(Value::as_f64).expect("length");
                (text("country"), length as usize, text("example"))
            })
            .collect()
    }

    #[test]
    fn the_registry_example_of_every_country_is_redacted_in_every_written_form() {
        let examples = examples();
        assert!(examples.len() >= 85, "{} countries", examples.len());
        for (country, length, example) in examples {
            let code = country.as_bytes();
            assert_eq!(length_of([code[0], code[1]]), Some(length), "{country}");
            assert_eq!(example.len(), length, "{country}");
            let grouped = |separator: &str| {
                let chars: std::vec::Vec<char> = example.chars().collect();
                chars
                    .chunks(4)
                    .map(|group| group.iter().collect::<String>())
                    .collect::<std::vec::Vec<_>>()
                    .join(separator)
            };
            for written in [
                example.clone(),
                grouped(" "),
                grouped("-"),
                example.to_lowercase(),
            ] {
                assert_eq!(
                    clean(&format!("pay to {written}, thanks")),
                    "pay to [REDACTED_IBAN], thanks",
                    "{written}"
                );
            }
        }
    }

    #[test]
    fn look_alikes_are_kept() {
        for text in [
            // One digit changed: the checksum fails.
            "DE89370400440532013001",
            "GB82 WEST 1234 5698 7654 33",
            // Wrong length for the country, unknown country, separators of two kinds.
            "DE8937040044053201300",
            "DE893704004405320130000",
            "XX89370400440532013000",
            "DE89 3704-0044 0532 0130 00",
            // Order and tracking numbers, and a product code.
            "INV-2024-00042",
            "LZ123456789DE",
            "AB12CD34",
        ] {
            assert!(!clean(text).contains("[REDACTED_IBAN]"), "{text}");
        }
        // A checksum-invalid IBAN is kept whole: its groups are not cards or phones.
        for text in ["DE96 6050 6343 3955 9396 19", "GB88 WEST 2136 0999 0515 33"] {
            assert_eq!(clean(text), text);
        }
    }

    #[test]
    fn a_longer_run_is_not_an_iban() {
        assert_eq!(
            clean("DE8937040044053201300012"),
            "DE8937040044053201300012"
        );
        assert_eq!(clean("xDE89370400440532013000"), "xDE89370400440532013000");
    }
}
