//! Texts joined end to end. The standard library's `concat` copies through slice splits that
//! carry length checks and their panics; pushing each part needs none.

use alloc::string::String;

/// `parts`, one after another.
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_joined_in_order() {
        assert_eq!(concat(&["a", "", "bc", "é"]), "abcé");
        assert_eq!(concat(&[]), "");
    }
}
