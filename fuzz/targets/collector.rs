//! The reference collector's readers of what clients send: an ingest body, and a release's
//! script and source map (split at the first two NUL bytes) that then resolve stack frames
//! (the rest: a line and a column byte, then frames as JSON). None may panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use wasm_telemetry_collector::releases::{check_file, FileKind};
use wasm_telemetry_collector::{ingest, store::Store, symbolicate::Symbolicator, traces};

fuzz_target!(|data: &[u8]| {
    let _ = ingest::parse_batch(data);
    let mut parts = data.splitn(3, |b| *b == 0);
    let (script, map, rest) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let store = Store::in_memory().expect("an in-memory store");
    let _ = store.put_release_file("r", "/a.js", FileKind::Script, script, 1);
    if check_file("/a.js.map", map).is_ok() {
        let _ = store.put_release_file("r", "/a.js.map", FileKind::SourceMap, map, 1);
    }
    let (line, column) = (rest.first().copied(), rest.get(1).copied());
    let mut frames = match serde_json::from_slice(rest.get(2..).unwrap_or_default()) {
        Ok(Value::Array(frames)) => frames,
        _ => vec![
            json!({ "function": "a", "file": "https://x.example/a.js", "line": line, "column": column }),
        ],
    };
    let _ = Symbolicator::new().resolve_frames(&store, "r", &mut frames);
    let _ = traces::assemble("0af7651916cd43dd8448eb211c80319c", frames);
});
