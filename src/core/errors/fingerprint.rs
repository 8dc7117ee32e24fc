//! Grouping: errors that differ only in volatile details (numbers, ids, hex, quoted values) get
//! one fingerprint.

use crate::core::errors::stack::Frame;
use crate::core::hex::hex;
use crate::core::sha256::sha256;
use alloc::string::String;

/// Frames of the application's own code that take part in the fingerprint.
pub const FINGERPRINT_FRAMES: usize = 3;

/// The message with volatile parts replaced: quoted values by `<q>`, runs of hex or digits
/// (numbers, ids, UUIDs, hashes) by `<n>`.
pub fn normalize_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    let mut previous_word = false;
    while let Some(c) = chars.next() {
        if matches!(c, '"' | '\'' | '`') {
            let mut closed = false;
            for inner in chars.by_ref() {
                if inner == c {
                    closed = true;
                    break;
                }
            }
            out.push_str(if closed { "<q>" } else { "<q" });
            previous_word = false;
            continue;
        }
        let starts_token = c.is_ascii_digit() && !previous_word;
        if starts_token {
            // A number, or an id mixing digits, hex letters and dashes (UUIDs, hashes).
            while chars
                .peek()
                .is_some_and(|n| n.is_ascii_hexdigit() || *n == '-' || *n == '.')
            {
                chars.next();
            }
            out.push_str("<n>");
            previous_word = false;
            continue;
        }
        if c.is_ascii_hexdigit() && !previous_word {
            // A hex run of 8 or more characters with a digit in it (a hash or an id).
            let mut run = String::from(c);
            while chars
                .peek()
                .is_some_and(|n| n.is_ascii_hexdigit() || *n == '-')
            {
                run.push(chars.next().unwrap_or('0'));
            }
            let id_like = run.len() >= 8 && run.chars().any(|r| r.is_ascii_digit());
            out.push_str(if id_like { "<n>" } else { &run });
            previous_word = !id_like;
            continue;
        }
        previous_word = c.is_ascii_alphanumeric() || c == '_';
        out.push(c);
    }
    out
}

/// The fingerprint of an error: type, normalised message and the top in-app frames (function
/// and file, not line numbers, which change with every release), as 16 hex digits.
pub fn fingerprint(kind: &str, message: &str, frames: &[Frame]) -> String {
    let mut material = String::from(kind);
    material.push('\n');
    material.push_str(&normalize_message(message));
    for frame in frames.iter().filter(|f| f.in_app).take(FINGERPRINT_FRAMES) {
        material.push('\n');
        material.push_str(&frame.function);
        material.push('@');
        material.push_str(&frame.file);
    }
    hex(&sha256(material.as_bytes())[..8])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::errors::stack::parse_stack;

    #[test]
    fn volatile_parts_are_normalised() {
        let cases = [
            ("Order 12345 not found", "Order <n> not found"),
            (
                "User 550e8400-e29b-41d4-a716-446655440000 missing",
                "User <n> missing",
            ),
            (
                "Cannot read properties of undefined (reading 'name')",
                "Cannot read properties of undefined (reading <q>)",
            ),
            ("hash deadbeef42 mismatch", "hash <n> mismatch"),
            ("took 3.5s at v2 on page", "took <n>s at v2 on page"),
            ("HTTP 503 from \"api\"", "HTTP <n> from <q>"),
            ("face cafe bead", "face cafe bead"),
        ];
        for (message, expected) in cases {
            assert_eq!(normalize_message(message), expected, "{message}");
        }
    }

    #[test]
    fn the_same_error_with_other_values_shares_a_fingerprint() {
        let stack = "TypeError: x\n    at load (https://app.example/app.js:10:5)\n    at main (https://app.example/app.js:99:1)";
        let frames = parse_stack(stack);
        let a = fingerprint("TypeError", "Order 1 failed for 'ann'", &frames);
        let b = fingerprint(
            "TypeError",
            "Order 2 failed for 'bob'",
            &parse_stack(&stack.replace(":10:5", ":11:7")),
        );
        assert_eq!(a, b);
        assert_eq!(a.len(), 16);
        assert_ne!(
            a,
            fingerprint("RangeError", "Order 1 failed for 'ann'", &frames)
        );
        assert_ne!(
            a,
            fingerprint("TypeError", "Order 1 refused for 'ann'", &frames)
        );
        let other_place =
            parse_stack("TypeError: x\n    at save (https://app.example/app.js:10:5)");
        assert_ne!(
            a,
            fingerprint("TypeError", "Order 1 failed for 'ann'", &other_place)
        );
    }
}
