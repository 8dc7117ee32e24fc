//! Absolute file paths, reduced to their file name.

use super::{byte, starts_with, Found, Replacement};
use alloc::string::String;

/// Top-level directories that start an absolute path on Unix-like systems.
const ROOTS: [&[u8]; 16] = [
    b"home/",
    b"Users/",
    b"root/",
    b"var/",
    b"opt/",
    b"usr/",
    b"tmp/",
    b"private/",
    b"mnt/",
    b"srv/",
    b"Volumes/",
    b"etc/",
    b"Library/",
    b"nix/",
    b"workspace/",
    b"builds/",
];

fn ends_path(b: u8) -> bool {
    b <= b' '
        || matches!(
            b,
            b'"' | b'\''
                | b'`'
                | b'('
                | b')'
                | b'<'
                | b'>'
                | b'|'
                | b'['
                | b']'
                | b'{'
                | b'}'
                | b','
                | b';'
        )
}

fn is_separator(b: u8) -> bool {
    b == b'/' || b == b'\\'
}

/// Where the path proper starts, for `file://` URLs, Unix roots, drive letters and UNC shares.
fn path_start(bytes: &[u8], start: usize) -> Option<usize> {
    let b = byte(bytes, start);
    if starts_with(bytes, start, b"file://") {
        return Some(start + 7);
    }
    if b == b'/' && ROOTS.iter().any(|root| starts_with(bytes, start + 1, root)) {
        return Some(start);
    }
    if b.is_ascii_alphabetic()
        && byte(bytes, start + 1) == b':'
        && is_separator(byte(bytes, start + 2))
    {
        return Some(start);
    }
    if b == b'\\'
        && byte(bytes, start + 1) == b'\\'
        && byte(bytes, start + 2).is_ascii_alphanumeric()
    {
        return Some(start);
    }
    None
}

/// An absolute path (`/home/…`, `/Users/…`, `C:\…`, `\\server\…`, `file:///…`), replaced by
/// its last segment: `/home/ana/app/src/main.js:10:5` becomes `main.js:10:5`.
pub(crate) fn file_path(text: &str, start: usize, previous: u8) -> Option<Found> {
    let bytes = text.as_bytes();
    if is_separator(previous) || previous == b'.' {
        return None;
    }
    let from = path_start(bytes, start)?;
    let mut end = from;
    let mut last_segment = from;
    let mut separators = 0;
    while !ends_path(byte(bytes, end)) {
        if is_separator(byte(bytes, end)) {
            separators += 1;
            if !ends_path(byte(bytes, end + 1)) && !is_separator(byte(bytes, end + 1)) {
                last_segment = end + 1;
            }
        }
        end += 1;
    }
    if separators < 2 {
        return None;
    }
    let name = text.get(last_segment..end)?;
    // Trailing separators go; they are ASCII, so the cut falls between characters.
    let kept = name
        .bytes()
        .rposition(|b| !is_separator(b))
        .map_or(0, |last| last + 1);
    let name = name.get(..kept)?;
    Some(Found {
        end,
        replacement: Replacement::Text(String::from(name)),
    })
}

#[cfg(test)]
mod tests {
    use super::super::clean;

    #[test]
    fn absolute_paths_become_file_names() {
        let cases = [
            (
                "at f (/home/ana/app/src/main.js:10:5)",
                "at f (main.js:10:5)",
            ),
            (
                "open /Users/bob/Documents/tax-2024.pdf failed",
                "open tax-2024.pdf failed",
            ),
            (
                "C:\\Users\\carol\\AppData\\app.exe crashed",
                "app.exe crashed",
            ),
            (
                "at file:///Users/dan/project/index.mjs:3:1",
                "at index.mjs:3:1",
            ),
            ("\\\\fileserver\\share\\people\\eve.docx", "eve.docx"),
            ("in /var/lib/app/", "in app"),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input), expected);
        }
    }

    #[test]
    fn api_routes_and_relative_paths_survive() {
        for text in [
            "/api/users/42",
            "/checkout",
            "src/main.rs",
            "./index.js",
            "a/b/c",
            "/home",
            "https://x.io/home/a/b",
        ] {
            assert_eq!(clean(text), text);
        }
    }
}
