//! Symbolication at read time: a frame of a minified script is resolved with the source map
//! uploaded for the event's release (see [`crate::releases`]), with getsentry's `sourcemap`
//! crate. The frame keeps its minified location and gains
//! `original: { file, line, column, function, context }`. Because it happens when events are
//! read, a map uploaded after an error arrived still applies.
//!
//! A frame whose URL path is `P` is resolved with the map stored as `P.map`, or else with the one
//! that `P`'s `sourceMappingURL` comment names (relative to `P`, or inline as a `data:` URL).
//! The original function comes from the map's names at the minified function's declaration,
//! which needs the minified script itself, as Sentry's symbolicator does; without it the
//! function is `null`. `context` is the original line and two on each side, when the map
//! carries `sourcesContent`. Parsed maps and scripts are cached, within [`CACHE_BYTES`].

use crate::store::{Row, Store};
use serde_json::{json, Value};
use sourcemap::{DecodedMap, SourceView};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use wasm_telemetry_rules::events::ERROR_EVENT;

/// Bytes of scripts and maps (as uploaded) kept parsed in memory, least recently used first out.
pub const CACHE_BYTES: usize = 256 * 1024 * 1024;

/// Original lines shown on each side of a frame's line.
const CONTEXT_LINES: u32 = 2;

/// One release file, parsed: a map or a script; or none that parses, so that frames of a
/// script without a map do not read the store again each time.
enum Parsed {
    Map(Box<DecodedMap>),
    Script(SourceView),
    Absent,
}

/// What an absent file counts for in the cache's bound (names come from events, so they must
/// not pile up unbounded).
const ABSENT_BYTES: usize = 256;

struct Entry {
    parsed: Arc<Parsed>,
    bytes: usize,
    used: u64,
}

/// Parsed release files by (release, name), least recently used evicted beyond a byte bound.
pub struct Symbolicator {
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    entries: HashMap<(String, String), Entry>,
    bytes: usize,
    clock: u64,
}

impl Cache {
    fn get(&mut self, key: &(String, String)) -> Option<Arc<Parsed>> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|entry| {
            entry.used = clock;
            entry.parsed.clone()
        })
    }

    fn remove(&mut self, key: &(String, String)) {
        if let Some(entry) = self.entries.remove(key) {
            self.bytes -= entry.bytes;
        }
    }

    fn put(&mut self, key: (String, String), parsed: Arc<Parsed>, bytes: usize, bound: usize) {
        self.clock += 1;
        self.bytes += bytes;
        let used = self.clock;
        if let Some(old) = self.entries.insert(
            key,
            Entry {
                parsed,
                bytes,
                used,
            },
        ) {
            self.bytes -= old.bytes;
        }
        while self.bytes > bound && self.entries.len() > 1 {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone());
            if let Some(entry) = oldest.and_then(|key| self.entries.remove(&key)) {
                self.bytes -= entry.bytes;
            }
        }
    }
}

/// The cache's name for the map inline in the script `path` (a space: no URL path has one).
fn inline_key(path: &str) -> String {
    format!("{path} inline")
}

/// Where a frame's script lives: the path of its URL (`https://app.example/assets/a.js?v=1` is
/// `/assets/a.js`), or `None` for a frame that is no URL.
pub fn url_path(file: &str) -> Option<&str> {
    let rest = file.split_once("://")?.1;
    let path = &rest[rest.find('/')?..];
    Some(path.split(['?', '#']).next().unwrap_or(path))
}

/// `reference` resolved against the directory of `base` (both URL paths), `.` and `..` applied.
fn join(base: &str, reference: &str) -> String {
    let mut parts: Vec<&str> = if reference.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    if !reference.starts_with('/') {
        parts.pop();
    }
    for part in reference.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            part => parts.push(part),
        }
    }
    let joined: Vec<&str> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    format!("/{}", joined.join("/"))
}

/// An original source as a project path: a map's `sources` entry resolved against the map's own
/// path, without the leading `/` (`../../src/App.tsx` beside `/assets/x.js.map` is
/// `src/App.tsx`); a `webpack://app/./src/a.ts` URL is its path, `src/a.ts`.
fn source_path(map_path: &str, source: &str) -> String {
    match source.split_once("://") {
        Some((_, rest)) => join("/", rest.split_once('/').map_or(rest, |(_, path)| path)),
        None => join(map_path, source),
    }
    .trim_start_matches('/')
    .to_string()
}

impl Default for Symbolicator {
    fn default() -> Self {
        Self::new()
    }
}

impl Symbolicator {
    /// An empty cache.
    pub fn new() -> Self {
        Self {
            cache: Mutex::new(Cache::default()),
        }
    }

    /// Drops what is cached of `release`'s file `name` (and of a map inline in it), which was
    /// replaced or removed.
    pub fn forget(&self, release: &str, name: &str) {
        let mut cache = self.cache();
        for key in [name.to_string(), inline_key(name)] {
            cache.remove(&(release.to_string(), key));
        }
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `release`'s file `name`, parsed as a map (`as_map`) or a script; `None` when it is not
    /// stored or does not parse.
    fn load(&self, store: &Store, release: &str, name: &str, as_map: bool) -> Option<Arc<Parsed>> {
        let key = (release.to_string(), name.to_string());
        if let Some(parsed) = self.cache().get(&key) {
            return (!matches!(*parsed, Parsed::Absent)).then_some(parsed);
        }
        // A store that fails is not cached: the next read tries again.
        let body = store.release_file(release, name).ok()?;
        let bytes = body.as_ref().map_or(ABSENT_BYTES, Vec::len);
        let parsed = match body {
            Some(body) if as_map => sourcemap::decode_slice(&body)
                .map_or(Parsed::Absent, |map| Parsed::Map(Box::new(map))),
            Some(body) => String::from_utf8(body).map_or(Parsed::Absent, |text| {
                Parsed::Script(SourceView::from_string(text))
            }),
            None => Parsed::Absent,
        };
        let parsed = Arc::new(parsed);
        self.cache().put(key, parsed.clone(), bytes, CACHE_BYTES);
        (!matches!(*parsed, Parsed::Absent)).then_some(parsed)
    }

    /// The map for the script at `path`, and the path it was found under (for its sources): `P.map`,
    /// or the script's `sourceMappingURL`.
    fn map_for(
        &self,
        store: &Store,
        release: &str,
        path: &str,
        script: Option<&SourceView>,
    ) -> Option<(Arc<Parsed>, String)> {
        let beside = format!("{path}.map");
        if let Some(map) = self.load(store, release, &beside, true) {
            return Some((map, beside));
        }
        let reference = script?.sourcemap_reference().ok()??;
        if reference.get_url().starts_with("data:") {
            let key = (release.to_string(), inline_key(path));
            if let Some(map) = self.cache().get(&key) {
                return Some((map, path.to_string()));
            }
            let inline = reference.get_embedded_sourcemap().ok()??;
            let map = Arc::new(Parsed::Map(Box::new(inline)));
            let bytes = reference.get_url().len();
            self.cache().put(key, map.clone(), bytes, CACHE_BYTES);
            return Some((map, path.to_string()));
        }
        let url = reference.get_url();
        let named = url_path(url).map_or_else(|| join(path, url), String::from);
        let map = self.load(store, release, &named, true)?;
        Some((map, named))
    }

    /// Adds `original` to every frame (`{ function, file, line, column }`) that a map of
    /// `release` resolves; returns how many it resolved.
    pub fn resolve_frames(&self, store: &Store, release: &str, frames: &mut [Value]) -> usize {
        let mut resolved = 0;
        for frame in frames.iter_mut() {
            let (Some(path), Some(line), Some(column)) = (
                frame["file"].as_str().and_then(url_path).map(String::from),
                frame["line"].as_u64(),
                frame["column"].as_u64(),
            ) else {
                continue;
            };
            let script = self.load(store, release, &path, false);
            let view = match script.as_deref() {
                Some(Parsed::Script(view)) => Some(view),
                _ => None,
            };
            let Some((map, map_path)) = self.map_for(store, release, &path, view) else {
                continue;
            };
            let Parsed::Map(map) = &*map else { continue };
            // A place past what a map can hold resolves nothing (it is not cut down to one).
            let (Ok(line), Ok(column)) = (
                u32::try_from(line.saturating_sub(1)),
                u32::try_from(column.saturating_sub(1)),
            ) else {
                continue;
            };
            let Some(token) = map.lookup_token(line, column) else {
                continue;
            };
            let Some(source) = token.get_source() else {
                continue;
            };
            let minified = frame["function"].as_str().unwrap_or("?");
            let minified = minified.rsplit(['.', ' ']).next().unwrap_or(minified);
            let function = map.get_original_function_name(line, column, Some(minified), view);
            let mut original = json!({
                "file": source_path(&map_path, source),
                "line": u64::from(token.get_src_line()) + 1,
                "column": u64::from(token.get_src_col()) + 1,
                "function": function,
            });
            if let Some(context) = context(map, token.get_src_id(), token.get_src_line()) {
                original["context"] = context;
            }
            frame["original"] = original;
            resolved += 1;
        }
        resolved
    }
}

/// The original line `line` (0-based) of source `source` and up to two lines on each side:
/// `{ pre, line, post }`, when the map carries the source's content.
fn context(map: &DecodedMap, source: u32, line: u32) -> Option<Value> {
    let DecodedMap::Regular(map) = map else {
        return None;
    };
    let view = map.get_source_view(source)?;
    let text = |at: u32| view.get_line(at).map(String::from);
    let current = text(line)?;
    let pre: Vec<String> = (line.saturating_sub(CONTEXT_LINES)..line)
        .filter_map(text)
        .collect();
    let post: Vec<String> = (line.saturating_add(1)..=line.saturating_add(CONTEXT_LINES))
        .filter_map(text)
        .collect();
    Some(json!({ "pre": pre, "line": current, "post": post }))
}

impl Symbolicator {
    /// Resolves the frames of an error's `data` (its `frames`) with `release`'s maps.
    fn resolve_data(&self, store: &Store, release: &str, data: &mut Value) {
        if let Some(Value::Array(frames)) = data.get_mut("frames") {
            self.resolve_frames(store, release, frames);
        }
    }
}

/// Symbolicates the frames of every error event of `events` (wire-format objects) whose
/// context names a release.
pub fn resolve_events(symbolicator: &Symbolicator, store: &Store, events: &mut [Value]) {
    for event in events
        .iter_mut()
        .filter(|event| event["type"] == ERROR_EVENT)
    {
        if let Some(release) = event["context"]["release"].as_str().map(String::from) {
            symbolicator.resolve_data(store, &release, &mut event["data"]);
        }
    }
}

/// Symbolicates the frames of every error row of `rows` that names a release.
pub fn resolve_rows(symbolicator: &Symbolicator, store: &Store, rows: &mut [Row]) {
    for row in rows.iter_mut().filter(|row| row.kind == ERROR_EVENT) {
        if let Some(release) = row.release.clone() {
            symbolicator.resolve_data(store, &release, &mut row.data);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::releases::FileKind;
    use sourcemap::SourceMapBuilder;

    /// `function a(){throw new Error("x")}` on line 1 of the minified script, mapped to
    /// `checkout` in src/cart.ts, whose third line throws.
    const SCRIPT: &str =
        "function a(){throw new Error(\"x\")}\n//# sourceMappingURL=app-3f.js.map\n";
    const SOURCE: &str =
        "// cart\nexport function checkout() {\n  throw new Error(\"x\");\n}\n// end\n";

    fn map() -> Vec<u8> {
        let mut builder = SourceMapBuilder::new(Some("app-3f.js"));
        let source = builder.add_source("../../src/cart.ts");
        builder.set_source_contents(source, Some(SOURCE));
        builder.add(0, 0, 1, 7, Some("../../src/cart.ts"), None, false);
        builder.add(
            0,
            9,
            1,
            16,
            Some("../../src/cart.ts"),
            Some("checkout"),
            false,
        );
        builder.add(0, 13, 2, 2, Some("../../src/cart.ts"), None, false);
        let mut out = Vec::new();
        builder.into_sourcemap().to_writer(&mut out).unwrap();
        out
    }

    fn frames() -> Vec<Value> {
        vec![
            json!({ "function": "a", "file": "https://shop.example/assets/app-3f.js?v=[REDACTED]", "line": 1, "column": 14 }),
            json!({ "function": "?", "file": "https://shop.example/other.js", "line": 1, "column": 1 }),
            json!({ "function": "Array.map", "file": "<anonymous>" }),
        ]
    }

    #[test]
    fn a_frame_gets_its_original_place_function_and_context_from_the_map_beside_its_script() {
        let store = Store::in_memory().unwrap();
        let put = |name: &str, kind, body: &[u8]| {
            store.put_release_file("r1", name, kind, body, 1).unwrap()
        };
        put("/assets/app-3f.js", FileKind::Script, SCRIPT.as_bytes());
        put("/assets/app-3f.js.map", FileKind::SourceMap, &map());
        let symbolicator = Symbolicator::new();
        let mut frames = frames();
        assert_eq!(symbolicator.resolve_frames(&store, "r1", &mut frames), 1);
        assert_eq!(
            frames[0]["original"],
            json!({
                "file": "src/cart.ts", "line": 3, "column": 3, "function": "checkout",
                "context": { "pre": ["// cart", "export function checkout() {"], "line": "  throw new Error(\"x\");", "post": ["}", "// end"] },
            })
        );
        assert_eq!(frames[0]["line"], 1, "the minified place stays");
        assert!(frames[1].get("original").is_none() && frames[2].get("original").is_none());
        let mut other_release = self::frames();
        assert_eq!(
            symbolicator.resolve_frames(&store, "r2", &mut other_release),
            0
        );
    }

    #[test]
    fn the_script_names_its_map_and_without_the_script_the_function_is_unknown() {
        let store = Store::in_memory().unwrap();
        let renamed = SCRIPT.replace("app-3f.js.map", "maps/app.map");
        store
            .put_release_file(
                "r1",
                "/assets/app-3f.js",
                FileKind::Script,
                renamed.as_bytes(),
                1,
            )
            .unwrap();
        store
            .put_release_file("r1", "/assets/maps/app.map", FileKind::SourceMap, &map(), 1)
            .unwrap();
        let mut frames = frames();
        assert_eq!(
            Symbolicator::new().resolve_frames(&store, "r1", &mut frames),
            1
        );
        assert_eq!(
            frames[0]["original"]["file"], "src/cart.ts",
            "sources resolve against the map's path"
        );

        let alone = Store::in_memory().unwrap();
        alone
            .put_release_file(
                "r1",
                "/assets/app-3f.js.map",
                FileKind::SourceMap,
                &map(),
                1,
            )
            .unwrap();
        let mut frames = self::frames();
        assert_eq!(
            Symbolicator::new().resolve_frames(&alone, "r1", &mut frames),
            1
        );
        assert_eq!(frames[0]["original"]["function"], Value::Null);
        assert_eq!(frames[0]["original"]["line"], 3);
    }

    #[test]
    fn places_at_the_limits_of_a_map_resolve_without_overflow_or_truncation() {
        let store = Store::in_memory().unwrap();
        let mut builder = SourceMapBuilder::new(Some("app-3f.js"));
        builder.add(0, 0, u32::MAX, u32::MAX, Some("src/far.ts"), None, false);
        let mut map = Vec::new();
        builder.into_sourcemap().to_writer(&mut map).unwrap();
        store
            .put_release_file("r1", "/assets/app-3f.js.map", FileKind::SourceMap, &map, 1)
            .unwrap();
        let frame = |line: u64| json!({ "function": "a", "file": "https://shop.example/assets/app-3f.js", "line": line, "column": 1 });
        let mut frames = vec![frame(1), frame(u64::from(u32::MAX) + 2)];
        assert_eq!(
            Symbolicator::new().resolve_frames(&store, "r1", &mut frames),
            1,
            "a line past 2^32 is not taken for line 1"
        );
        assert_eq!(frames[0]["original"]["line"], u64::from(u32::MAX) + 1);
        assert_eq!(frames[0]["original"]["column"], u64::from(u32::MAX) + 1);
        assert!(frames[1].get("original").is_none());
    }

    #[test]
    fn a_map_inline_in_the_script_resolves_it_and_a_replaced_file_is_read_again() {
        let store = Store::in_memory().unwrap();
        let inline = format!(
            "function a(){{throw new Error(\"x\")}}\n//# sourceMappingURL=data:application/json;base64,{}\n",
            base64(&map())
        );
        store
            .put_release_file(
                "r1",
                "/assets/app-3f.js",
                FileKind::Script,
                inline.as_bytes(),
                1,
            )
            .unwrap();
        let symbolicator = Symbolicator::new();
        let mut frames = frames();
        assert_eq!(symbolicator.resolve_frames(&store, "r1", &mut frames), 1);
        assert_eq!(frames[0]["original"]["function"], "checkout");

        // How many frames of a fresh copy resolve now.
        let resolved = || symbolicator.resolve_frames(&store, "r1", &mut self::frames());
        let put = |name: &str, kind: FileKind, body: &[u8], uploaded_at: i64| {
            store
                .put_release_file("r1", name, kind, body, uploaded_at)
                .unwrap();
        };
        put("/assets/app-3f.js", FileKind::Script, b"function a(){}", 2);
        assert_eq!(resolved(), 1, "still cached");
        symbolicator.forget("r1", "/assets/app-3f.js");
        assert_eq!(resolved(), 0, "the new script has no map");
        put("/assets/app-3f.js.map", FileKind::SourceMap, &map(), 3);
        assert_eq!(resolved(), 0, "its absence is cached");
        symbolicator.forget("r1", "/assets/app-3f.js.map");
        assert_eq!(resolved(), 1, "until it is uploaded");
    }

    /// Standard base64, for an inline map.
    fn base64(bytes: &[u8]) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..4 {
                out.push(if i <= chunk.len() {
                    ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char
                } else {
                    '='
                });
            }
        }
        out
    }

    #[test]
    fn url_paths_and_source_paths() {
        assert_eq!(
            url_path("https://a.example/assets/x.js?v=[REDACTED]"),
            Some("/assets/x.js")
        );
        assert_eq!(url_path("app.js"), None);
        assert_eq!(
            source_path("/assets/x.js.map", "../../src/App.tsx"),
            "src/App.tsx"
        );
        assert_eq!(
            source_path("/assets/x.js.map", "./lib/a.ts"),
            "assets/lib/a.ts"
        );
        assert_eq!(
            source_path("/x.js.map", "webpack://app/./src/a.ts"),
            "src/a.ts"
        );
        assert_eq!(join("/assets/x.js", "../maps/x.map"), "/maps/x.map");
        assert_eq!(join("/assets/x.js", "/abs/x.map"), "/abs/x.map");
    }

    #[test]
    fn the_cache_keeps_within_its_bound_dropping_the_least_recently_used() {
        let mut cache = Cache::default();
        let parsed = || Arc::new(Parsed::Script(SourceView::from_string(String::new())));
        let key = |n: &str| (String::from("r"), String::from(n));
        cache.put(key("a"), parsed(), 40, 100);
        cache.put(key("b"), parsed(), 40, 100);
        assert!(cache.get(&key("a")).is_some());
        cache.put(key("c"), parsed(), 40, 100);
        assert!(cache.get(&key("b")).is_none(), "b was used least recently");
        assert!(cache.get(&key("a")).is_some() && cache.get(&key("c")).is_some());
        assert_eq!(cache.bytes, 80);
        cache.remove(&key("a"));
        assert!(cache.get(&key("a")).is_none());
        assert_eq!(cache.bytes, 40);
    }
}
