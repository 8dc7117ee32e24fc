//! The core's JSON reader: the arguments of every call, options, configurations, event data,
//! and the events the OTLP export reads back. Numbers keep their text, so they can be copied exactly; `as_f64` reads them without the
//! standard float parser, which would cost more wasm than this whole module.

use crate::core::json::read_string;
use alloc::borrow::Cow;
use alloc::vec::Vec;

/// Deepest nesting read; deeper documents are refused rather than risking the stack.
pub const MAX_DEPTH: usize = 64;

/// Why a document was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not valid JSON.
    Invalid,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// A JSON value, borrowing from the document it was read from wherever it can: numbers always,
/// strings and keys unless they hold escapes. Reading event data then allocates only for the
/// arrays and objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written.
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object, members in order.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    /// A boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number's value (to within a few units in the last place).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(text) => decimal(text),
            _ => None,
        }
    }
}

/// The reader's values as the shared price rules read tables and usage objects.
impl wasm_telemetry_prices::json::Json for Value<'_> {
    fn get(&self, key: &str) -> Option<&Self> {
        Value::get(self, key)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn text(&self) -> Option<&str> {
        self.as_str()
    }

    fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    fn member(&self, index: usize) -> Option<(&str, &Self)> {
        match self {
            Value::Object(members) => members.get(index).map(|(k, v)| (k.as_ref(), v)),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Self]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }
}

/// Reads a JSON number's text: sign, up to 19 significant digits, fraction and exponent.
fn decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let negative = bytes.first() == Some(&b'-');
    if negative {
        at += 1;
    }
    let mut mantissa: u64 = 0;
    let mut digits = 0;
    let mut exponent: i32 = 0;
    let mut seen_point = false;
    let mut any = false;
    while let Some(&b) = bytes.get(at) {
        match b {
            b'0'..=b'9' => {
                any = true;
                if digits < 19 {
                    if mantissa != 0 || b != b'0' {
                        digits += 1;
                    }
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    if seen_point {
                        exponent -= 1;
                    }
                } else if !seen_point {
                    exponent += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        at += 1;
    }
    if !any {
        return None;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        let sign = match bytes.get(at) {
            Some(b'-') => {
                at += 1;
                -1
            }
            Some(b'+') => {
                at += 1;
                1
            }
            _ => 1,
        };
        let mut e: i32 = 0;
        while let Some(&b @ b'0'..=b'9') = bytes.get(at) {
            e = e.saturating_mul(10).saturating_add(i32::from(b - b'0'));
            at += 1;
        }
        exponent = exponent.saturating_add(sign * e);
    }
    if at != bytes.len() {
        return None;
    }
    let mut value = mantissa as f64;
    // Powers of ten by squaring keep the error to a few ulps without libm.
    let mut power = 10.0f64;
    let mut remaining = exponent.unsigned_abs().min(400);
    let mut scale = 1.0f64;
    while remaining > 0 {
        if remaining & 1 == 1 {
            scale *= power;
        }
        power *= power;
        remaining >>= 1;
    }
    if exponent < 0 {
        value /= scale;
    } else {
        value *= scale;
    }
    Some(if negative { -value } else { value })
}

/// Parses a JSON document; `None` if it is not valid JSON or nests deeper than 64 levels.
pub fn parse(text: &str) -> Option<Value<'_>> {
    read(text).ok()
}

/// Parses a JSON document, telling why it was refused.
pub fn read(text: &str) -> Result<Value<'_>, Refusal> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        at: 0,
        too_deep: false,
    };
    let value = reader.value(0);
    reader.whitespace();
    match value {
        Some(value) if reader.at == reader.bytes.len() => Ok(value),
        _ if reader.too_deep => Err(Refusal::TooDeep),
        _ => Err(Refusal::Invalid),
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    at: usize,
    /// Whether reading stopped at the depth limit.
    too_deep: bool,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> u8 {
        self.bytes.get(self.at).copied().unwrap_or(0)
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.whitespace();
        (self.peek() == b).then(|| self.at += 1)
    }

    fn value(&mut self, depth: usize) -> Option<Value<'a>> {
        if depth > MAX_DEPTH {
            self.too_deep = true;
            return None;
        }
        self.whitespace();
        match self.peek() {
            b'{' => {
                self.at += 1;
                let mut members = Vec::new();
                if self.eat(b'}').is_some() {
                    return Some(Value::Object(members));
                }
                loop {
                    self.whitespace();
                    let key = self.string()?;
                    self.eat(b':')?;
                    members.push((key, self.value(depth + 1)?));
                    if self.eat(b',').is_none() {
                        self.eat(b'}')?;
                        return Some(Value::Object(members));
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.eat(b']').is_some() {
                    return Some(Value::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.eat(b',').is_none() {
                        self.eat(b']')?;
                        return Some(Value::Array(items));
                    }
                }
            }
            b'"' => self.string().map(Value::String),
            b't' => self.literal("true", Value::Bool(true)),
            b'f' => self.literal("false", Value::Bool(false)),
            b'n' => self.literal("null", Value::Null),
            b'-' | b'0'..=b'9' => {
                let start = self.at;
                while matches!(self.peek(), b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.at += 1;
                }
                let raw = self.text.get(start..self.at)?;
                decimal(raw)?;
                Some(Value::Number(raw))
            }
            _ => None,
        }
    }

    fn literal(&mut self, word: &str, value: Value<'a>) -> Option<Value<'a>> {
        let end = self.at + word.len();
        (self.text.get(self.at..end)? == word).then(|| {
            self.at = end;
            value
        })
    }

    fn string(&mut self) -> Option<Cow<'a, str>> {
        let (text, next) = read_string(self.text, self.at)?;
        self.at = next;
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;
    use alloc::format;
    use alloc::vec;

    #[test]
    fn documents_are_read_with_their_numbers_kept_as_written() {
        let value = parse(
            r#" {"a": [1, -2.5e3, true, null], "b": {"c": "x\"y\u00e9\ud83d\ude00"}, "d": 0.1} "#,
        )
        .unwrap();
        assert_eq!(
            value.get("a"),
            Some(&Value::Array(vec![
                Value::Number("1"),
                Value::Number("-2.5e3"),
                Value::Bool(true),
                Value::Null
            ]))
        );
        assert_eq!(
            value
                .get("b")
                .and_then(|b| b.get("c"))
                .and_then(Value::as_str),
            Some("x\"yé😀")
        );
        assert_eq!(value.get("d").and_then(Value::as_f64), Some(0.1));
        assert_eq!(parse("[]"), Some(Value::Array(vec![])));
    }

    #[test]
    fn only_escaped_strings_are_copied() {
        let Some(Value::Object(members)) = parse(r#"{"plain":"abc","a\nb":"x\u00e9"}"#) else {
            panic!("an object")
        };
        let [(plain, abc), (escaped, decoded)] = &members[..] else {
            panic!("two members")
        };
        assert!(matches!(
            (plain, abc),
            (Cow::Borrowed("plain"), Value::String(Cow::Borrowed("abc")))
        ));
        assert!(matches!(escaped, Cow::Owned(key) if key == "a\nb"));
        assert!(matches!(decoded, Value::String(Cow::Owned(text)) if text == "xé"));
    }

    #[test]
    fn broken_or_too_deep_documents_are_refused() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "tru",
            "1 2",
            "\"abc",
            "01x",
            "-",
            "[\"\\q\"]",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        let deep = format!("{}{}", "[".repeat(66), "]".repeat(66));
        assert_eq!(parse(&deep), None);
        assert_eq!(read(&deep), Err(Refusal::TooDeep));
        assert_eq!(read("[1,]"), Err(Refusal::Invalid));
        let fine = format!("{}{}", "[".repeat(60), "]".repeat(60));
        assert!(parse(&fine).is_some());
    }

    #[test]
    fn numbers_read_within_a_few_ulps_of_the_standard_parser() {
        let mut rng = Rng::from_seed([4; 32]);
        for _ in 0..20_000 {
            let x = (rng.next_f64() - 0.5) * 10f64.powi((rng.next_u64() % 30) as i32 - 15);
            for text in [format!("{x}"), format!("{x:e}"), format!("{:.3}", x)] {
                let expected: f64 = text.parse().unwrap();
                let got = decimal(&text).unwrap();
                let tolerance = expected.abs() * 1e-15;
                assert!(
                    (got - expected).abs() <= tolerance,
                    "{text}: {got} vs {expected}"
                );
            }
        }
        // Digits past the 19th are dropped, not rounded: still within 1e-15.
        let long = decimal("123456789012345678901234").unwrap();
        assert!((long - 1.2345678901234568e23).abs() <= 1.2345678901234568e23 * 1e-15);
        assert_eq!(decimal("1e400").map(f64::is_infinite), Some(true));
    }
}
