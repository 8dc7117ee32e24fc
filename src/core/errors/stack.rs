//! Stack traces from Chromium (`at fn (file:1:2)`), Firefox and Safari (`fn@file:1:2`) parsed
//! into frames, file locations minimised like every other string (absolute paths reduced to
//! file names, URLs without query values).

use crate::core::find;
use crate::core::json_object::objects;
use crate::core::pii::{redact, Rules};
use alloc::string::String;
use alloc::vec::Vec;

/// Most frames kept from one stack.
pub const MAX_FRAMES: usize = 50;

/// One stack frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The function, or `?` when the engine gives none.
    pub function: String,
    /// The script (minimised), or empty for native code.
    pub file: String,
    /// 1-based line, if known.
    pub line: Option<u32>,
    /// 1-based column, if known.
    pub column: Option<u32>,
    /// Whether the frame is the application's own code (not a dependency, extension or native).
    pub in_app: bool,
}

/// Splits `file:line:column` (either number may be missing) from the right.
fn location(text: &str) -> (String, Option<u32>, Option<u32>) {
    let number = |s: &str| s.parse::<u32>().ok();
    let Some((rest, last)) = find::rsplit_once(text, ":") else {
        return (String::from(text), None, None);
    };
    let Some(last) = number(last) else {
        return (String::from(text), None, None);
    };
    match find::rsplit_once(rest, ":") {
        Some((file, line)) if number(line).is_some() => {
            (String::from(file), number(line), Some(last))
        }
        _ => (String::from(rest), Some(last), None),
    }
}

fn in_app(file: &str) -> bool {
    !(file.is_empty()
        || find::contains(file, "/node_modules/")
        || file.starts_with("chrome-extension://")
        || file.starts_with("moz-extension://")
        || file.starts_with("safari-extension://")
        || file == "<anonymous>"
        || file == "native"
        || file == "[native code]")
}

fn frame(function: &str, place: &str) -> Frame {
    let (file, line, column) = location(place.trim());
    let file = redact(&file, &Rules::default()).unwrap_or(file);
    let function = match function.trim() {
        "" => String::from("?"),
        name => String::from(name),
    };
    Frame {
        in_app: in_app(&file),
        function,
        file,
        line,
        column,
    }
}

/// A Chromium frame: `at fn (place)`, `at place`, `at async fn (place)`, `at new Foo (place)`;
/// for `eval` frames the outer location is used.
fn chromium(line: &str) -> Option<Frame> {
    let rest = line.trim().strip_prefix("at ")?;
    let rest = rest.strip_prefix("async ").unwrap_or(rest);
    if let Some(open) = find::find(rest, " (") {
        let function = rest.get(..open)?;
        let inner = rest.get(open + 2..)?.strip_suffix(')')?;
        // `eval at outer (url:1:2), <anonymous>:3:4`: the script that called eval is the place.
        let place = match inner.strip_prefix("eval at ") {
            Some(eval) => find::split_once(eval, " (")
                .and_then(|(_, r)| find::split_once(r, ")"))
                .map_or(inner, |(p, _)| p),
            None => inner,
        };
        Some(frame(function, place))
    } else {
        Some(frame("", rest))
    }
}

/// A Firefox or Safari frame: `fn@place`, `@place`, or a bare `place`.
fn gecko_webkit(line: &str) -> Option<Frame> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    match find::rsplit_once(line, "@") {
        Some((function, place)) if !find::contains(place, " ") || place == "[native code]" => {
            Some(frame(function, place))
        }
        None if find::contains(line, ":") && !find::contains(line, " ") => Some(frame("", line)),
        _ => None,
    }
}

/// Parses a stack trace. Lines that are not frames (the `Error: message` header) are skipped;
/// at most [`MAX_FRAMES`] frames are kept, outermost last.
pub fn parse_stack(stack: &str) -> Vec<Frame> {
    let lines = || find::split(stack, "\n");
    let chromium_style = lines().any(|l| l.trim_start().starts_with("at "));
    lines()
        .filter_map(|line| {
            if chromium_style {
                chromium(line)
            } else {
                gecko_webkit(line)
            }
        })
        .take(MAX_FRAMES)
        .collect()
}

/// `frames` as a JSON array of `{ function, file, line?, column?, inApp }`.
pub fn frames_json(frames: &[Frame]) -> String {
    objects(frames, |object, frame| {
        object
            .text("function", &frame.function)
            .text("file", &frame.file);
        if let Some(line) = frame.line {
            object.whole("line", i64::from(line));
        }
        if let Some(column) = frame.column {
            object.whole("column", i64::from(column));
        }
        object.flag("inApp", frame.in_app);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// function, file, line, column, in-app.
    type Row = (String, String, Option<u32>, Option<u32>, bool);

    fn summary(frames: &[Frame]) -> Vec<Row> {
        frames
            .iter()
            .map(|f| {
                (
                    f.function.clone(),
                    f.file.clone(),
                    f.line,
                    f.column,
                    f.in_app,
                )
            })
            .collect()
    }

    fn s(text: &str) -> String {
        String::from(text)
    }

    #[test]
    fn chromium_stacks() {
        let stack = "TypeError: x is undefined\n    at render (https://app.example/static/app.js?v=3:10:5)\n    at async load (https://app.example/static/app.js:20:1)\n    at new Widget (https://app.example/node_modules/lib/index.js:3:9)\n    at https://app.example/main.js:1:2\n    at eval (eval at run (https://app.example/a.js:4:5), <anonymous>:1:1)\n    at Array.map (<anonymous>)";
        assert_eq!(
            summary(&parse_stack(stack)),
            [
                (
                    s("render"),
                    s("https://app.example/static/app.js?v=[REDACTED]"),
                    Some(10),
                    Some(5),
                    true
                ),
                (
                    s("load"),
                    s("https://app.example/static/app.js"),
                    Some(20),
                    Some(1),
                    true
                ),
                (
                    s("new Widget"),
                    s("https://app.example/node_modules/lib/index.js"),
                    Some(3),
                    Some(9),
                    false
                ),
                (
                    s("?"),
                    s("https://app.example/main.js"),
                    Some(1),
                    Some(2),
                    true
                ),
                (
                    s("eval"),
                    s("https://app.example/a.js"),
                    Some(4),
                    Some(5),
                    true
                ),
                (s("Array.map"), s("<anonymous>"), None, None, false),
            ]
        );
    }

    #[test]
    fn firefox_and_safari_stacks() {
        let firefox = "render@https://app.example/app.js:10:5\nload/<@https://app.example/app.js:20:1\n@https://app.example/main.js:1:2\n";
        assert_eq!(
            summary(&parse_stack(firefox)),
            [
                (
                    s("render"),
                    s("https://app.example/app.js"),
                    Some(10),
                    Some(5),
                    true
                ),
                (
                    s("load/<"),
                    s("https://app.example/app.js"),
                    Some(20),
                    Some(1),
                    true
                ),
                (
                    s("?"),
                    s("https://app.example/main.js"),
                    Some(1),
                    Some(2),
                    true
                ),
            ]
        );
        let safari = "render@https://app.example/app.js:10:5\nglobal code@https://app.example/main.js:1:2\nmap@[native code]\nhttps://app.example/x.js:7:3";
        assert_eq!(
            summary(&parse_stack(safari)),
            [
                (
                    s("render"),
                    s("https://app.example/app.js"),
                    Some(10),
                    Some(5),
                    true
                ),
                (
                    s("global code"),
                    s("https://app.example/main.js"),
                    Some(1),
                    Some(2),
                    true
                ),
                (s("map"), s("[native code]"), None, None, false),
                (
                    s("?"),
                    s("https://app.example/x.js"),
                    Some(7),
                    Some(3),
                    true
                ),
            ]
        );
    }

    #[test]
    fn local_file_paths_are_reduced_to_file_names() {
        let frames = parse_stack("Error: boom\n    at f (/home/ana/project/src/main.js:3:4)\n    at g (file:///Users/bob/app/index.mjs:9:1)");
        assert_eq!(frames[0].file, "main.js");
        assert_eq!(frames[1].file, "index.mjs");
    }

    #[test]
    fn garbage_gives_no_frames_and_long_stacks_are_cut() {
        assert!(parse_stack("").is_empty());
        assert!(parse_stack("just a message with spaces").is_empty());
        let long: String = (0..200)
            .map(|i| std::format!("    at f{i} (https://x.io/a.js:{i}:1)\n"))
            .collect();
        assert_eq!(parse_stack(&long).len(), MAX_FRAMES);
    }
}
