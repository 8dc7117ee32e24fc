//! Minimal JSON writing helpers. Event payloads arrive already serialised by the host's
//! `JSON.stringify`; the core only needs to write strings and integers into the wire format.

use alloc::borrow::Cow;
use alloc::string::String;

/// Reads the JSON string literal whose opening quote is at byte `at` of `text`. Returns its
/// decoded text (borrowed when it has no escapes) and the position after the closing quote, or
/// `None` when it is not a valid literal. `\uXXXX` escapes join surrogate pairs; a lone
/// surrogate becomes U+FFFD.
pub fn read_string(text: &str, at: usize) -> Option<(Cow<'_, str>, usize)> {
    let bytes = text.as_bytes();
    let peek = |at: usize| bytes.get(at).copied();
    if peek(at) != Some(b'"') {
        return None;
    }
    let start = at + 1;
    let mut at = start;
    loop {
        match peek(at)? {
            b'"' => return Some((Cow::Borrowed(text.get(start..at)?), at + 1)),
            b'\\' => break,
            _ => at += 1,
        }
    }
    let mut decoded = String::from(text.get(start..at)?);
    let hex4 = |at: usize| u32::from_str_radix(text.get(at..at + 4)?, 16).ok();
    loop {
        match peek(at)? {
            b'"' => return Some((Cow::Owned(decoded), at + 1)),
            b'\\' => {
                let escaped = peek(at + 1)?;
                at += 2;
                let c = match escaped {
                    b'"' => '"',
                    b'\\' => '\\',
                    b'/' => '/',
                    b'b' => '\u{8}',
                    b'f' => '\u{c}',
                    b'n' => '\n',
                    b'r' => '\r',
                    b't' => '\t',
                    b'u' => {
                        let first = hex4(at)?;
                        at += 4;
                        let mut code = first;
                        let pair = (0xd800..0xdc00).contains(&first)
                            && text.get(at..at + 2) == Some("\\u");
                        if let Some(second) =
                            hex4(at + 2).filter(|second| pair && (0xdc00..0xe000).contains(second))
                        {
                            code = 0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00);
                            at += 6;
                        }
                        char::from_u32(code).unwrap_or('\u{fffd}')
                    }
                    _ => return None,
                };
                decoded.push(c);
            }
            _ => {
                let rest = text.get(at..)?;
                let next = rest.find(['"', '\\'])?;
                decoded.push_str(rest.get(..next)?);
                at += next;
            }
        }
    }
}

/// Appends `value` to `out` as a JSON string literal, quotes included.
pub fn write_string(out: &mut String, value: &str) {
    out.push('"');
    let mut start = 0;
    for (index, byte) in value.bytes().enumerate() {
        let escape: Option<&str> = match byte {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x00..=0x1f => None,
            _ => continue,
        };
        // `start..index` always falls on ASCII bytes, so `get` never fails; it avoids a
        // panicking slice in the wasm build.
        out.push_str(value.get(start..index).unwrap_or_default());
        match escape {
            Some(text) => out.push_str(text),
            None => push_unicode_escape(out, byte),
        }
        start = index + 1;
    }
    out.push_str(value.get(start..).unwrap_or_default());
    out.push('"');
}

fn push_unicode_escape(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u00");
    out.push(char::from(HEX[usize::from(byte >> 4)]));
    out.push(char::from(HEX[usize::from(byte & 0x0f)]));
}

/// Rounds a non-negative, finite measure below 2^53 to the nearest integer (halves up), without
/// libm.
pub fn round_non_negative(value: f64) -> i64 {
    (value + 0.5) as i64
}

/// Appends a whole number of milliseconds (or any integer-valued measure) to `out`.
pub fn write_integer(out: &mut String, value: i64) {
    // `itoa`-style formatting without pulling in float or generic formatting machinery.
    if value == 0 {
        out.push('0');
        return;
    }
    if value < 0 {
        out.push('-');
    }
    // u64::MAX has 20 digits; filling from the end needs no bounds-checked indexing.
    let mut digits = [0u8; 20];
    let mut remaining = value.unsigned_abs();
    let mut used = 0;
    for slot in digits.iter_mut().rev() {
        if remaining == 0 {
            break;
        }
        *slot = b'0' + (remaining % 10) as u8;
        remaining /= 10;
        used += 1;
    }
    for digit in digits.iter().skip(digits.len() - used) {
        out.push(char::from(*digit));
    }
}

/// Appends a finite number to `out` with up to 9 decimals (trailing zeros dropped); numbers of
/// a billion or more are written whole. Non-finite numbers become `0`. No float formatting
/// machinery is pulled in.
pub fn write_decimal(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push('0');
        return;
    }
    if value.abs() >= 1e9 {
        let rounded = if value < 0.0 {
            value - 0.5
        } else {
            value + 0.5
        };
        write_integer(out, rounded as i64);
        return;
    }
    let negative = value < 0.0;
    let nanos = round_non_negative(value.abs() * 1e9);
    if negative && nanos != 0 {
        out.push('-');
    }
    write_integer(out, nanos / 1_000_000_000);
    let mut fraction = nanos % 1_000_000_000;
    if fraction == 0 {
        return;
    }
    out.push('.');
    let mut width = 9;
    while fraction % 10 == 0 {
        fraction /= 10;
        width -= 1;
    }
    let mut digits = String::new();
    write_integer(&mut digits, fraction);
    for _ in digits.len()..width {
        out.push('0');
    }
    out.push_str(&digits);
}

/// Appends a finite number to `out` in as few decimals as read back as exactly that number (as
/// `JSON.stringify` writes it, without an exponent); non-finite numbers become `0`. Numbers too
/// large or too small for that (2^53 and more, below about 1e-4) are written as
/// [`write_decimal`] writes them.
pub fn write_number(out: &mut String, value: f64) {
    let bits = value.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // value = mantissa / 2^shift, exactly.
    let shift = 1075 - exponent;
    if exponent == 0 || exponent == 0x7ff || !(1..=120).contains(&shift) {
        write_decimal(out, value);
        return;
    }
    let mantissa = u128::from(fraction | (1 << 52));
    let mut scale: u128 = 1;
    for places in 0..=21 {
        // The nearest number of `places` decimals, digits / 10^places, and how far it is from
        // the value, in units of 2^-shift / 10^places.
        let scaled = mantissa * scale;
        let digits = (scaled + (1 << (shift - 1))) >> shift;
        let back = digits << shift;
        let error = back.abs_diff(scaled);
        // It reads back as the value when it lies within half a unit in the last place (a
        // quarter below a power of two, where the next number down is closer).
        let below_power_of_two = fraction == 0 && back < scaled;
        if (if below_power_of_two { 4 } else { 2 }) * error < scale {
            if value < 0.0 {
                out.push('-');
            }
            let digits = digits as u64;
            let unit = scale as u64;
            write_integer(out, (digits / unit) as i64);
            if places > 0 {
                out.push('.');
                let mut decimals = String::new();
                write_integer(&mut decimals, (digits % unit) as i64);
                for _ in decimals.len()..places {
                    out.push('0');
                }
                out.push_str(&decimals);
            }
            return;
        }
        scale *= 10;
    }
    write_decimal(out, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(value: &str) -> String {
        let mut out = String::new();
        write_string(&mut out, value);
        out
    }

    fn integer(value: i64) -> String {
        let mut out = String::new();
        write_integer(&mut out, value);
        out
    }

    #[test]
    fn plain_text_is_only_quoted() {
        assert_eq!(string("page.view"), "\"page.view\"");
    }

    #[test]
    fn quotes_backslashes_and_controls_are_escaped() {
        assert_eq!(
            string("a\"b\\c\nd\te\u{1}"),
            "\"a\\\"b\\\\c\\nd\\te\\u0001\""
        );
    }

    #[test]
    fn non_ascii_text_passes_through_unchanged() {
        assert_eq!(string("café ✓ 日本"), "\"café ✓ 日本\"");
    }

    #[test]
    fn decimals_keep_nine_places_and_drop_trailing_zeros() {
        let decimal = |value: f64| {
            let mut out = String::new();
            write_decimal(&mut out, value);
            out
        };
        assert_eq!(decimal(0.0), "0");
        assert_eq!(decimal(1.5), "1.5");
        assert_eq!(decimal(0.01), "0.01");
        assert_eq!(decimal(-2.000000001), "-2.000000001");
        assert_eq!(decimal(0.8125), "0.8125");
        assert_eq!(decimal(123456.789), "123456.789");
        assert_eq!(decimal(-0.0000000001), "0");
        assert_eq!(decimal(3e12), "3000000000000");
        assert_eq!(decimal(f64::NAN), "0");
    }

    #[test]
    fn integers_cover_zero_negative_and_extremes() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(1_700_000_000_123), "1700000000123");
        assert_eq!(integer(-42), "-42");
        assert_eq!(integer(i64::MIN), i64::MIN.to_string());
        assert_eq!(integer(i64::MAX), i64::MAX.to_string());
    }

    #[test]
    fn numbers_read_back_exactly_and_are_as_short_as_the_shortest_reading() {
        let number = |value: f64| {
            let mut out = String::new();
            write_number(&mut out, value);
            out
        };
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(233.89999999999998), "233.89999999999998");
        assert_eq!(number(-1.5), "-1.5");
        assert_eq!(number(1234.0), "1234");
        assert_eq!(number(0.001), "0.001");
        assert_eq!(number(f64::NAN), "0");
        let mut rng = crate::core::random::Rng::from_seed([41; 32]);
        for round in 0..20_000 {
            let magnitude = [1e-2, 0.3, 1.0, 100.0, 5000.0, 1e6, 1e12][round % 7];
            let mut value = rng.next_f64() * magnitude;
            if round % 3 == 0 {
                value = (value * 10.0).round() / 10.0;
            }
            if value < 1e-3 {
                continue;
            }
            let text = number(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "{value}: {text}");
            assert_eq!(text, std::format!("{value}"), "{value}");
        }
    }
}
