//! Every reader of a text a page hands the SDK's core: the PII scanner, JSON, configuration,
//! stack traces and fingerprints, the JSON sanitiser, the journal, trace context, metrics and
//! price tables. None may panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wasm_telemetry::core::{
    config, errors, event, journal, json_value, llm, sanitize, trace::context,
};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = wasm_telemetry::api::redact::redact(text);
    let _ = config::ConfigPatch::from_json(text).map(config::Config::from_patch);
    let frames = errors::stack::parse_stack(text);
    let _ = errors::stack::frames_json(&frames);
    let _ = errors::fingerprint::fingerprint("TypeError", text, &frames);
    let policy = sanitize::Policy {
        patterns: true,
        fields: vec![String::from("email")],
        rules: Default::default(),
    };
    let mut out = String::new();
    let _ = sanitize::sanitize_json(text, &policy, &mut |_| None, &mut out);
    let _ = journal::decode(text, 1.7e12);
    let _ = context::TraceContext::parse(text);
    let _ = context::trace_state(text);
    let _ = event::metric_input(text);
    if let Some(value) = json_value::parse(text) {
        let _ = llm::options::read_pricing(&value, 1.7e12);
        let _ = llm::options::read_rules(&value);
    }
});
