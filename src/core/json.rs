//! Minimal JSON writing helpers. Event payloads arrive already serialised by the host's
//! `JSON.stringify`; the core only needs to write strings and integers into the wire format.

use crate::core::hex::push_hex;
use crate::core::text::push_ascii;
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
    // Exactly four hex digits (no sign, unlike `u32::from_str_radix`).
    let hex4 = |at: usize| {
        let digits = bytes.get(at..at + 4)?;
        digits.iter().try_fold(0, |code, &digit| {
            Some(code << 4 | char::from(digit).to_digit(16)?)
        })
    };
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
                // Both delimiters are ASCII, so where one is found the text is cut cleanly.
                let rest = text.get(at..)?;
                let next = rest.bytes().position(|b| b == b'"' || b == b'\\')?;
                decoded.push_str(rest.get(..next)?);
                at += next;
            }
        }
    }
}

/// Appends `value` to `out` as a JSON string literal, quotes included.
pub fn write_string(out: &mut String, value: &str) {
    push_ascii(out, b'"');
    let mut start = 0;
    for (index, byte) in value.bytes().enumerate() {
        // Most bytes need no escape: one test passes them.
        if byte >= 0x20 && byte != b'"' && byte != b'\\' {
            continue;
        }
        let escape: Option<&str> = match byte {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            // The other control characters: only they are left after the test above.
            _ => None,
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
    push_ascii(out, b'"');
}

fn push_unicode_escape(out: &mut String, byte: u8) {
    out.push_str("\\u00");
    push_hex(out, byte);
}

/// Rounds a non-negative, finite measure below 2^53 to the nearest integer (halves up), without
/// libm.
pub fn round_non_negative(value: f64) -> i64 {
    (value + 0.5) as i64
}

/// Appends a whole number of milliseconds (or any integer-valued measure) to `out`.
pub fn write_integer(out: &mut String, value: i64) {
    if value < 0 {
        push_ascii(out, b'-');
    }
    write_scaled(out, value.unsigned_abs(), 0);
}

/// Appends a finite number to `out` with up to 9 decimals (trailing zeros dropped); numbers of
/// a billion or more are written whole. Non-finite numbers become `0`. No float formatting
/// machinery is pulled in.
pub fn write_decimal(out: &mut String, value: f64) {
    if !value.is_finite() {
        push_ascii(out, b'0');
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
    let nanos = round_non_negative(value.abs() * 1e9);
    if value < 0.0 && nanos != 0 {
        push_ascii(out, b'-');
    }
    write_scaled(out, nanos as u64, 9);
}

/// Appends `value` as the shortest decimal that reads back as exactly `value`, as JavaScript
/// prints numbers but never in exponent form; `null` when it is not finite (as
/// `JSON.stringify` writes it). Exact for magnitudes from about 1e-16 up to 2^63; other
/// magnitudes are written as [`write_decimal`] writes them. No float formatting machinery and
/// no 128-bit division are pulled in: the digits come from one 128-bit product and a shift.
pub fn write_number(out: &mut String, value: f64) {
    if !value.is_finite() {
        out.push_str("null");
        return;
    }
    if value == 0.0 {
        push_ascii(out, b'0');
        return;
    }
    let magnitude = value.abs();
    let bits = magnitude.to_bits();
    let biased = (bits >> 52) as i32;
    let significand = if biased == 0 {
        bits & ((1 << 52) - 1)
    } else {
        (bits & ((1 << 52) - 1)) | (1 << 52)
    };
    // magnitude = significand * 2^exponent
    let exponent = if biased == 0 { -1074 } else { biased - 1075 };
    if value < 0.0 {
        push_ascii(out, b'-');
    }
    if exponent >= 0 {
        if exponent <= 10 {
            write_integer(out, (significand << exponent) as i64);
        } else {
            write_decimal(out, magnitude);
        }
        return;
    }
    let shift = (-exponent) as u32;
    let Some((digits, scale)) = shortest(significand, shift, magnitude) else {
        write_decimal(out, magnitude);
        return;
    };
    write_scaled(out, digits, scale);
}

/// The fewest significant digits `d` and a scale `q` with `d / 10^q` reading back as
/// `significand / 2^shift`, or `None` outside the exact range.
fn shortest(significand: u64, shift: u32, magnitude: f64) -> Option<(u64, u32)> {
    // The decimal exponent of the leading digit: 10^lead <= magnitude < 10^(lead + 1).
    let mut lead: i32 = 0;
    while lead < 22 && magnitude >= pow10(lead + 1) {
        lead += 1;
    }
    while lead > -40 && magnitude < pow10(lead) {
        lead -= 1;
    }
    // The gap to the next smaller double is half as wide when the significand is a power of two.
    let narrow_below = significand == 1 << 52;
    for precision in 1..=17i32 {
        let Ok(scale) = u32::try_from(precision - 1 - lead) else {
            continue;
        };
        // magnitude * 10^scale = significand * 5^scale / 2^(shift - scale); 5^32 times a
        // significand (below 2^53) stays below 2^128.
        if scale > 32 {
            return None;
        }
        let five = (0..scale).fold(1u128, |power, _| power * 5);
        let scaled = u128::from(significand) * five;
        let Some(right) = shift.checked_sub(scale) else {
            // An integer: exact.
            let digits = scaled << (scale - shift);
            return Some((u64::try_from(digits).ok()?, scale));
        };
        if right == 0 || right > 127 {
            return None;
        }
        let (floor, rest) = (scaled >> right, scaled & ((1u128 << right) - 1));
        let (digits, gap, below) = if rest >= 1u128 << (right - 1) {
            (floor + 1, (1u128 << right) - rest, false)
        } else {
            (floor, rest, true)
        };
        // Within half a unit in the last place (a quarter below a power of two), strictly.
        let factor = if below && narrow_below { 4 } else { 2 };
        if gap.checked_mul(factor)? < five {
            return Some((u64::try_from(digits).ok()?, scale));
        }
    }
    None
}

/// 10^n as an `f64`, for finding the leading digit (exact for 0 <= n <= 22).
fn pow10(n: i32) -> f64 {
    if n < 0 {
        return 1.0 / pow10(-n);
    }
    let mut power = 1.0;
    for _ in 0..n {
        power *= 10.0;
    }
    power
}

/// Appends `digits / 10^scale` in positional notation, without trailing zeros.
fn write_scaled(out: &mut String, mut digits: u64, mut scale: u32) {
    while scale > 0 && digits % 10 == 0 {
        digits /= 10;
        scale -= 1;
    }
    // The digits, least significant first, padded with zeros up to the decimal point.
    let mut reversed = [b'0'; 40];
    let mut count = 0;
    while digits > 0 || count <= scale as usize {
        if let Some(slot) = reversed.get_mut(count) {
            *slot = b'0' + (digits % 10) as u8;
        }
        digits /= 10;
        count += 1;
    }
    for (position, digit) in reversed.iter().take(count).enumerate().rev() {
        push_ascii(out, *digit);
        if position == scale as usize && scale > 0 {
            push_ascii(out, b'.');
        }
    }
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
    fn unicode_escapes_take_exactly_four_hex_digits_of_either_case() {
        let read =
            |literal: &str| read_string(literal, 0).map(|(text, end)| (text.into_owned(), end));
        assert_eq!(read(r#""\u00e9\u00C9""#), Some(("éÉ".into(), 14)));
        assert_eq!(read(r#""a\ud83d\ude80b""#), Some(("a🚀b".into(), 16)));
        assert_eq!(read(r#""\ud83d""#), Some(("\u{fffd}".into(), 8)));
        for bad in [
            r#""\u+0e9""#,
            r#""\u-0e9""#,
            r#""\u00g9""#,
            r#""\u00e""#,
            r#""\x41""#,
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
        assert_eq!(read(r#""tail \"q\" é""#), Some(("tail \"q\" é".into(), 15)));
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

    fn number(value: f64) -> String {
        let mut out = String::new();
        write_number(&mut out, value);
        out
    }

    #[test]
    fn numbers_are_written_as_javascript_prints_them() {
        assert_eq!(number(2.0 / 3.0), "0.6666666666666666");
        assert_eq!(number(0.1), "0.1");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number(233.89999999999998), "233.89999999999998");
        assert_eq!(number(1234.0), "1234");
        assert_eq!(number(-1.5), "-1.5");
        assert_eq!(number(1234.5), "1234.5");
        assert_eq!(number(1_700_000_000_123.0), "1700000000123");
        assert_eq!(number(0.00024), "0.00024");
        assert_eq!(number(1.5e-7), "0.00000015");
        assert_eq!(number(2.5e-12), "0.0000000000025");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-0.0), "0");
        assert_eq!(number(f64::NAN), "null");
        assert_eq!(number(f64::INFINITY), "null");
    }

    /// On random doubles over the exact range, the text reads back as the same double and has
    /// as many significant digits as Rust's shortest round-trip form.
    #[test]
    fn random_numbers_read_back_exactly_with_the_fewest_digits() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for round in 0..60_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let value = match round % 6 {
                0 => unit,
                1 => unit * 1e6,
                2 => unit * 1e-9 + 1e-11,
                3 => unit * 1e-14 + 1e-15,
                4 => (unit * 1e15).floor() + 0.5,
                _ => (unit * 1e4).round() / 1e4,
            };
            let text = number(value);
            assert_eq!(text.parse::<f64>().unwrap(), value, "{value:e} as {text}");
            let significant = |t: &str| {
                let digits: String = t.chars().filter(char::is_ascii_digit).collect();
                digits.trim_start_matches('0').trim_end_matches('0').len()
            };
            let reference = std::format!("{value:e}");
            let mantissa = reference.split('e').next().unwrap();
            assert_eq!(
                significant(&text),
                significant(mantissa),
                "{value:e} as {text}"
            );
        }
    }

    #[test]
    fn integers_cover_zero_negative_and_extremes() {
        assert_eq!(integer(0), "0");
        assert_eq!(integer(1_700_000_000_123), "1700000000123");
        assert_eq!(integer(-42), "-42");
        assert_eq!(integer(i64::MIN), i64::MIN.to_string());
        assert_eq!(integer(i64::MAX), i64::MAX.to_string());
    }
}
