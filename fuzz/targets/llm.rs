//! Usage objects of every provider, priced with the tables `setPricing` reads from the same
//! input: normalising and costing may not panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use wasm_telemetry::core::json_value::parse;
use wasm_telemetry::core::llm::{options, usage};
use wasm_telemetry_prices::{cost, usage::Provider};

fuzz_target!(|data: &[u8]| {
    let Some(value) = std::str::from_utf8(data).ok().and_then(parse) else {
        return;
    };
    let table = options::read_pricing(&value, 1.7e12).unwrap_or_default();
    for provider in [
        Provider::OpenAi,
        Provider::Anthropic,
        Provider::Gemini,
        Provider::Other,
    ] {
        let usage = usage::usage_of(provider, Some(&value));
        let _ = usage::normalised_json(&usage, true);
        for price in table.iter().take(3) {
            for batch in [false, true] {
                let _ = cost::cost(Some(price), &usage, provider, batch).figures();
            }
        }
    }
    let _ = options::read_rules(&value);
});
