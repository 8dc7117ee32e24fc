//! Texts built up without the standard library's slow paths: parts joined end to end (its
//! `concat` copies through slice splits that carry length checks and their panics), and ASCII
//! bytes appended (its `String::push` encodes any character).

use alloc::string::String;

/// `parts`, one after another.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends the ASCII byte `byte` (its low seven bits): cheaper than `String::push`, which
/// encodes any character.
pub fn push_ascii(out: &mut String, byte: u8) {
    out.reserve(1);
    // SAFETY: there is room for one more byte, and a byte below 0x80 is a whole UTF-8
    // character.
    unsafe {
        let bytes = out.as_mut_vec();
        let length = bytes.len();
        bytes.as_mut_ptr().add(length).write(byte & 0x7f);
        bytes.set_len(length + 1);
    }
}

/// How many UTF-16 code units the UTF-8 `bytes` (whole characters) take: one per character,
/// two for a character beyond U+FFFF.
pub fn utf16_units(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|b| usize::from(b & 0xc0 != 0x80) + usize::from(*b >= 0xf0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_units_count_surrogate_pairs_twice() {
        for text in ["", "abc", "é", "日本語", "a😀b", "€5,310.90 ✓"] {
            assert_eq!(
                utf16_units(text.as_bytes()),
                text.encode_utf16().count(),
                "{text}"
            );
        }
    }

    #[test]
    fn parts_are_joined_in_order() {
        assert_eq!(concat(&["a", "", "bc", "é"]), "abcé");
        assert_eq!(concat(&[]), "");
    }

    #[test]
    fn ascii_bytes_are_appended_as_characters() {
        let mut out = String::from("é");
        for byte in *b"{\"a\":1}" {
            push_ascii(&mut out, byte);
        }
        assert_eq!(out, "é{\"a\":1}");
    }
}
