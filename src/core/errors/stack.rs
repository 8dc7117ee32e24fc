//! Stack traces from Chromium (`at fn (file:1:2)`), Firefox and Safari (`fn@file:1:2`) parsed
//! into frames, file locations minimised like every other string (absolute paths reduced to
//! file names, URLs without query values).

use crate::core::find;
use crate::core::json_object::objects;
use crate::core::pii::{redact, Rules};
use crate::core::text::concat;
use alloc::borrow::Cow;
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

/// Longest line read as a frame; longer ones are cut there (as Sentry's parsers do).
const MAX_LINE: usize = 1024;

/// `text` as a whole number in `radix` (10 or 16): digits only (no sign, unlike `str::parse`),
/// and none beyond `u32` (cheaper in wasm than the standard library's parser).
fn number(text: &str, radix: u32) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u32, |n, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'f' => b - b'a' + 10,
            b'A'..=b'F' => b - b'A' + 10,
            _ => return None,
        };
        let digit = Some(u32::from(digit)).filter(|d| *d < radix)?;
        n.checked_mul(radix)?.checked_add(digit)
    })
}

/// Splits `file:line:column` (either number may be missing) from the right.
fn location(text: &str) -> (&str, Option<u32>, Option<u32>) {
    let decimal = |s: &str| number(s, 10);
    let Some((rest, last)) = find::rsplit_once(text, ":") else {
        return (text, None, None);
    };
    let Some(last) = decimal(last) else {
        return (text, None, None);
    };
    match find::rsplit_once(rest, ":").and_then(|(file, line)| Some((file, decimal(line)?))) {
        Some((file, line)) => (file, Some(line), Some(last)),
        None => (rest, Some(last), None),
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

/// A frame of `function` at `file`, `line`, `column`; the file is minimised like every other
/// string, and an unnamed or `<anonymous>` function is `?`.
fn frame(function: &str, file: &str, line: Option<u32>, column: Option<u32>) -> Frame {
    let file = redact(file, &Rules::default()).unwrap_or_else(|| String::from(file));
    let function = match function.trim_ascii() {
        "" | "<anonymous>" => "?",
        name => name,
    };
    Frame {
        in_app: in_app(&file),
        function: String::from(function),
        file,
        line,
        column,
    }
}

/// A frame of `function` at `place`: a `file:line:column` location; a wasm function
/// (`module.wasm:wasm-function[12]:0x5aeb`) at its module, line 1, column the byte offset plus
/// one (as V8's call sites give it); code from a `data:` URL at `<data:type;encoding>`, without
/// the code.
fn frame_at(function: &str, place: &str) -> Frame {
    let place = place.trim_ascii();
    if let Some(data) = place.strip_prefix("data:") {
        let kind = find::split_once(data, ",").map_or(data, |(kind, _)| kind);
        return frame(function, &concat(&["<data:", kind, ">"]), None, None);
    }
    if let Some((module, function_index)) = find::split_once(place, ":wasm-function[") {
        let offset = find::split_once(function_index, "]:0x")
            .and_then(|(_, hex)| number(hex, 16))
            .and_then(|offset| offset.checked_add(1));
        return frame(function, module, offset.map(|_| 1), offset);
    }
    let (file, line, column) = location(place);
    frame(function, file, line, column)
}

/// Where the parenthesised group that ends `text` (its last byte a `)`) opens.
fn last_group(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, byte) in text.bytes().enumerate().rev() {
        match byte {
            b')' => depth += 1,
            b'(' if depth == 1 => return Some(at),
            b'(' => depth = depth.checked_sub(1)?,
            _ => {}
        }
    }
    None
}

/// The script that called `eval`: the first `(file:line:column)` in
/// `eval at f (eval at g (file:1:2)), <anonymous>:3:4`.
fn eval_origin(place: &str) -> Option<&str> {
    let mut rest = place;
    loop {
        let (_, after) = find::split_once(rest, "(")?;
        let (inside, _) = find::split_once(after, ")")?;
        let (_, line, column) = location(inside);
        if line.is_some() && column.is_some() && !inside.bytes().any(|b| b.is_ascii_whitespace()) {
            return Some(inside);
        }
        rest = after;
    }
}

/// A Chromium frame after its `at `: `fn (place)`, `fn(place)`, or a bare `place` (a line cut
/// at its limit may have lost the closing parenthesis). The place may start with `async ` or
/// React Native's `address at `; for `eval` frames it is the script that called eval.
fn chromium(rest: &str) -> Frame {
    let (function, place) = match rest.strip_suffix(')').zip(last_group(rest)) {
        Some((body, open)) => (
            rest.get(..open).unwrap_or_default(),
            body.get(open + 1..).unwrap_or_default(),
        ),
        None => find::split_once(rest, " (").unwrap_or(("", rest)),
    };
    let place = place.strip_prefix("address at ").unwrap_or(place);
    let place = place.strip_prefix("async ").unwrap_or(place);
    let place = match place.starts_with("eval") {
        true => eval_origin(place).unwrap_or(place),
        false => place,
    };
    // Safari extensions: `at fn@safari-extension:(//id/file.js:1:2)`.
    for scheme in ["safari-extension:", "safari-web-extension:"] {
        if let Some(named) = function.strip_suffix(scheme) {
            let name = named.strip_suffix('@').unwrap_or("?");
            return frame_at(name, &concat(&[scheme, place]));
        }
    }
    frame_at(function, place)
}

/// Whether `place` can be where a Firefox or Safari frame ran: a URL, an absolute path, native
/// code, or a bundle (`index.android.bundle:1:2`, `3.js:1:2`).
fn is_place(place: &str) -> bool {
    let (file, ..) = location(place);
    let numbered_script = file
        .strip_suffix(".js")
        .is_some_and(|name| name.bytes().last().is_some_and(|b| b.is_ascii_digit()));
    find::contains(place, ":/")
        || place.starts_with('/')
        || place == "[native code]"
        || file.ends_with("bundle")
        || numbered_script
}

/// A Firefox or Safari frame: `fn@place`, `@place` or a bare `place`. Firefox's eval frames
/// (`f@file.js line 26 > eval line 2 > eval:1:30`) are placed at the line that called eval,
/// without a column.
fn gecko_webkit(line: &str) -> Option<Frame> {
    // The function ends at the first `@` that a place follows (URLs may hold `@` too).
    let mut split = ("", line);
    let mut rest = line;
    while let Some((before, after)) = find::split_once(rest, "@") {
        if is_place(after) {
            split = (
                line.get(..line.len() - after.len() - 1).unwrap_or(before),
                after,
            );
            break;
        }
        rest = after;
    }
    let (function, place) = split;
    if !is_place(place) {
        return None;
    }
    // Old engines write the arguments: `f(1, 2)@place`.
    let function = match function.strip_suffix(')').zip(find::find(function, "(")) {
        Some((_, open)) => function.get(..open).unwrap_or(function),
        None => function,
    };
    if let Some((script, rest)) = find::split_once(place, " line ") {
        if find::contains(rest, " > eval") {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            let line = rest.get(..digits).and_then(|d| number(d, 10));
            let function = if function.is_empty() {
                "eval"
            } else {
                function
            };
            return Some(frame(function, script, line, None));
        }
    }
    Some(frame_at(function, place))
}

/// The line without webpack's `(error: …)` wrapper around a chunk's place: `(error: X)` up to
/// the line's last `)` becomes `X`.
fn unwrap_webpack(line: &str) -> Cow<'_, str> {
    let Some(open) = find::find(line, "(error: ") else {
        return Cow::Borrowed(line);
    };
    let close = find::rfind(line, ")").filter(|close| *close > open);
    let parts = close.and_then(|close| {
        Some([
            line.get(..open)?,
            line.get(open + 8..close)?,
            line.get(close + 1..)?,
        ])
    });
    match parts {
        Some(parts) => Cow::Owned(concat(&parts)),
        None => Cow::Borrowed(line),
    }
}

/// Parses a stack trace, innermost frame first. A line starting with `at ` is a Chromium frame,
/// any other a Firefox or Safari frame if it has a place. Lines are cut at 1024 bytes (unless
/// that falls inside a character); lines
/// that are not frames are skipped: the `Error: message` header, the message's further lines
/// and any line with `Error: ` in it. At most [`MAX_FRAMES`] frames are kept.
pub fn parse_stack(stack: &str) -> Vec<Frame> {
    let mut frames = Vec::new();
    for line in find::split(stack, "\n") {
        if frames.len() == MAX_FRAMES {
            break;
        }
        let line = unwrap_webpack(line.get(..MAX_LINE).unwrap_or(line).trim_ascii());
        if find::contains(&line, "Error: ") {
            continue;
        }
        let frame = match line.strip_prefix("at ") {
            Some(rest) => Some(chromium(rest)),
            None => gecko_webkit(&line),
        };
        frames.extend(frame);
    }
    frames
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
                    s("async load"),
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

/// The parser against corpora of real stacks, each frame with what an established SDK makes of
/// it: `tests/corpus/stacks-sentry.json` (the fixtures of Sentry's own parser tests, with its
/// expected frames), `tests/corpus/stacks-chromium.json` (55 shapes of code captured in
/// headless Chromium by `capture-chromium.mjs`, with what Sentry's parser makes of each stack
/// and V8's call sites) and `tests/corpus/stacks.json` (our own cases, including where we
/// differ from Sentry on purpose). A frame matches when function, line and column are equal and the
/// file is the expected one as this SDK minimises every URL and path.
#[cfg(test)]
mod corpus {
    use super::*;
    use crate::core::json_value::{parse, Value};
    use std::collections::BTreeMap;
    use std::format;
    use std::string::ToString;

    /// Stacks whose frames as Sentry parses them we do not share, and why; `stacks.json` has
    /// them (or ones like them) with ours.
    const DIFFERENCES: [(&str, &str); 4] = [
        (
            "WASM_ERROR",
            "Sentry ends a function name at its first parenthesis, so a C++ signature \
             (`MyClass::bar(int) const`) becomes a function `MyClass::bar` in a file \
             `int) const (http://…`; we keep the signature",
        ),
        (
            "wasm-unreachable",
            "Sentry keeps `:wasm-function[0]:0x21` in the file and gives no position; we place \
             the frame at the module, line 1, column the offset plus one, as V8's call sites do",
        ),
        (
            "wasm-calls-throwing-js-import",
            "the same, for wasm functions with names",
        ),
        (
            "redefined-function-name",
            "a function name with ` (` in it (`renamed (with spaces)`) ends at that parenthesis \
             for Sentry; the place is the last parenthesised group, as V8 writes it",
        ),
    ];

    /// Text of `key` in `object`.
    fn text<'a>(object: &'a Value, key: &str) -> &'a str {
        object.get(key).and_then(Value::as_str).unwrap_or_default()
    }

    /// Number of `key` in `object`, if any.
    fn number(object: &Value, key: &str) -> Option<u32> {
        object.get(key).and_then(Value::as_f64).map(|n| n as u32)
    }

    /// Per family, frames that matched and frames expected; and each mismatch, described.
    fn check(corpus: &str) -> (BTreeMap<String, (usize, usize)>, Vec<String>) {
        let corpus = parse(corpus).expect("the corpus is JSON");
        let Some(Value::Array(stacks)) = corpus.get("stacks") else {
            panic!("the corpus has stacks");
        };
        let mut counts = BTreeMap::<String, (usize, usize)>::new();
        let mut mismatches = Vec::new();
        for stack in stacks {
            let name = text(stack, "name");
            if DIFFERENCES.iter().any(|(differs, _)| *differs == name) {
                continue;
            }
            let mut ours = parse_stack(text(stack, "stack"));
            // Sentry drops its own wrapper of the page's callbacks, which we do not have.
            if ours
                .last()
                .is_some_and(|frame| frame.function == "sentryWrapped")
            {
                ours.pop();
            }
            let Some(Value::Array(expected)) = stack.get("frames") else {
                panic!("{name} has frames");
            };
            let count = counts.entry(text(stack, "family").to_string()).or_default();
            for (index, want) in expected.iter().enumerate() {
                let file = text(want, "file");
                let file = redact(file, &Rules::default()).unwrap_or_else(|| file.into());
                let want = (
                    text(want, "function").to_string(),
                    file,
                    number(want, "line"),
                    number(want, "column"),
                );
                let got = ours
                    .get(index)
                    .map(|f| (f.function.clone(), f.file.clone(), f.line, f.column));
                count.1 += 1;
                if got.as_ref() == Some(&want) {
                    count.0 += 1;
                } else {
                    mismatches.push(format!(
                        "{name} frame {index}: expected {want:?}, parsed {got:?}"
                    ));
                }
            }
            if ours.len() > expected.len() {
                count.1 += ours.len() - expected.len();
                mismatches.push(format!(
                    "{name}: {} frames beyond the {} expected",
                    ours.len() - expected.len(),
                    expected.len()
                ));
            }
        }
        (counts, mismatches)
    }

    fn assert_agrees(corpus: &str, families: &[&str]) {
        let (counts, mismatches) = check(corpus);
        for family in families {
            let (matched, expected) = counts.get(*family).copied().unwrap_or_default();
            assert!(expected > 0, "the corpus has {family} frames");
            std::println!("{family}: {matched} of {expected} frames match");
        }
        assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    }

    #[test]
    fn every_frame_of_our_own_cases_is_parsed_as_expected() {
        assert_agrees(
            include_str!("../../../tests/corpus/stacks.json"),
            &["chromium", "firefox", "safari", "react-native"],
        );
    }

    #[test]
    fn every_frame_captured_in_chromium_is_parsed_as_sentry_parses_it() {
        assert_agrees(
            include_str!("../../../tests/corpus/stacks-chromium.json"),
            &["chromium"],
        );
    }

    #[test]
    fn every_frame_of_sentrys_fixtures_is_parsed_as_sentry_parses_it() {
        assert_agrees(
            include_str!("../../../tests/corpus/stacks-sentry.json"),
            &["chromium", "firefox", "safari", "react-native", "other"],
        );
    }
}
