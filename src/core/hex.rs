//! Bytes written as lower-case hex digits: hashes, UUIDs and JSON escapes.

use crate::core::text::push_ascii;
use alloc::string::String;

/// Appends `byte` as two lower-case hex digits.
pub fn push_hex(out: &mut String, byte: u8) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    push_ascii(out, DIGITS[usize::from(byte >> 4)]);
    push_ascii(out, DIGITS[usize::from(byte & 0x0f)]);
}

/// `bytes` as lower-case hex digits.
pub fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        push_hex(&mut out, byte);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_become_two_lower_case_digits_each() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(&[]), "");
    }
}
