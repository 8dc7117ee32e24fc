//! Every price component against the bundled table, with usage objects in each provider's
//! documented shape. Every cost is exact to 1e-9 USD.

use serde_json::{json, Value};
use wasm_telemetry_prices::bundled::bundled;
use wasm_telemetry_prices::cost::{cost, Cost};
use wasm_telemetry_prices::json::usage_field;
use wasm_telemetry_prices::price::find;
use wasm_telemetry_prices::usage::{Provider, Usage};

/// The cost of a call with the raw `usage` object of `provider` on `model`.
fn call(provider: Provider, model: &str, usage: Value, batch: bool) -> Cost {
    let table = bundled();
    let field = |path: &str| usage_field(&usage, path);
    let usage = Usage::from_raw(provider, &field);
    cost(find(&table, model), &usage, provider, batch)
}

/// `tokens` at `rate` USD per million.
fn at(tokens: f64, rate: f64) -> f64 {
    tokens * rate / 1e6
}

fn exact(figure: Option<f64>, expected: f64) {
    let figure = figure.expect("a priced figure");
    assert!((figure - expected).abs() < 1e-9, "{figure} vs {expected}");
}

fn exact_total(c: &Cost, parts: [f64; 4]) {
    exact(c.input, parts[0]);
    exact(c.cache_read, parts[1]);
    exact(c.cache_write, parts[2]);
    exact(c.output, parts[3]);
    exact(c.total, parts.iter().sum());
}

#[test]
fn openai_chat_completions_with_cached_and_reasoning_tokens() {
    let usage = json!({
        "prompt_tokens": 1000, "completion_tokens": 500, "total_tokens": 1500,
        "prompt_tokens_details": { "cached_tokens": 400, "audio_tokens": 0 },
        "completion_tokens_details": { "reasoning_tokens": 300, "audio_tokens": 0,
            "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0 }
    });
    let c = call(Provider::OpenAi, "gpt-4o-2024-08-06", usage, false);
    // Reasoning tokens are inside completion_tokens and priced as output.
    exact_total(&c, [at(600.0, 2.5), at(400.0, 1.25), 0.0, at(500.0, 10.0)]);
}

#[test]
fn openai_responses_api_and_the_272k_tier_of_gpt_5_4() {
    let usage = |input: u64| {
        json!({ "input_tokens": input, "input_tokens_details": { "cached_tokens": 2048 },
            "output_tokens": 150, "output_tokens_details": { "reasoning_tokens": 64 },
            "total_tokens": input + 150 })
    };
    let c = call(Provider::OpenAi, "gpt-5.4-2026-03-05", usage(3000), false);
    exact_total(&c, [at(952.0, 2.5), at(2048.0, 0.25), 0.0, at(150.0, 15.0)]);
    // Above 272k input tokens every token pays the long-context rates.
    let c = call(Provider::OpenAi, "gpt-5.4", usage(272_000), false);
    exact_total(
        &c,
        [at(269_952.0, 5.0), at(2048.0, 0.5), 0.0, at(150.0, 22.5)],
    );
    let c = call(Provider::OpenAi, "gpt-5.4", usage(271_999), false);
    exact(c.input, at(269_951.0, 2.5));
}

#[test]
fn openai_audio_tokens_pay_the_audio_rates() {
    let usage = json!({
        "prompt_tokens": 1200, "completion_tokens": 700,
        "prompt_tokens_details": { "cached_tokens": 0, "audio_tokens": 1000 },
        "completion_tokens_details": { "reasoning_tokens": 0, "audio_tokens": 600 }
    });
    let c = call(Provider::OpenAi, "gpt-audio-mini", usage, false);
    // gpt-audio-mini: text 0.6 / 2.4, audio 10 / 20 per million.
    exact_total(
        &c,
        [
            at(200.0, 0.6) + at(1000.0, 10.0),
            0.0,
            0.0,
            at(100.0, 2.4) + at(600.0, 20.0),
        ],
    );
}

#[test]
fn openai_cache_writes_where_a_model_prices_them() {
    // gpt-5.6-sol since 2026-08-21: input 4, cache write 5, cache read 0.4, output 20.
    let usage = json!({ "inputTokens": 10_000, "outputTokens": 1000,
        "cacheReadTokens": 6000, "cacheWrite5mTokens": 3000 });
    let c = call(Provider::OpenAi, "gpt-5.6", usage, false);
    exact_total(
        &c,
        [
            at(1000.0, 4.0),
            at(6000.0, 0.4),
            at(3000.0, 5.0),
            at(1000.0, 20.0),
        ],
    );
}

#[test]
fn anthropic_messages_with_5_minute_and_1_hour_cache_writes_and_reads() {
    let usage = json!({
        "input_tokens": 2, "output_tokens": 500,
        "cache_read_input_tokens": 4862, "cache_creation_input_tokens": 33_874,
        "cache_creation": { "ephemeral_5m_input_tokens": 2000, "ephemeral_1h_input_tokens": 31_874 }
    });
    // claude-opus-4-7: input 5, output 25, read 0.5, 5-minute write 6.25, 1-hour write 10.
    let c = call(Provider::Anthropic, "claude-opus-4-7", usage.clone(), false);
    let normal = [
        at(2.0, 5.0),
        at(4862.0, 0.5),
        at(2000.0, 6.25) + at(31_874.0, 10.0),
        at(500.0, 25.0),
    ];
    exact_total(&c, normal);
    // In a batch the discounts stack: every part at half.
    let c = call(Provider::Anthropic, "claude-opus-4-7", usage, true);
    exact_total(&c, normal.map(|part| part / 2.0));
}

#[test]
fn anthropic_long_context_prices_every_token_of_a_long_request() {
    let usage = json!({ "input_tokens": 150_000, "output_tokens": 1000,
        "cache_read_input_tokens": 50_000, "cache_creation_input_tokens": 10_000,
        "cache_creation": { "ephemeral_5m_input_tokens": 4000, "ephemeral_1h_input_tokens": 6000 } });
    let c = call(
        Provider::Anthropic,
        "claude-sonnet-4-5-20250929",
        usage,
        false,
    );
    exact_total(
        &c,
        [
            at(150_000.0, 6.0),
            at(50_000.0, 0.6),
            at(4000.0, 7.5) + at(6000.0, 12.0),
            at(1000.0, 22.5),
        ],
    );
}

#[test]
fn gemini_cached_image_prompt_with_thinking_tokens() {
    // A gemini-2.5-flash response with a cache hit, as the API returns it.
    let usage = json!({
        "promptTokenCount": 326, "candidatesTokenCount": 63, "totalTokenCount": 543,
        "cachedContentTokenCount": 173,
        "promptTokensDetails": [{ "modality": "TEXT", "tokenCount": 68 }, { "modality": "IMAGE", "tokenCount": 258 }],
        "cacheTokensDetails": [{ "modality": "IMAGE", "tokenCount": 137 }, { "modality": "TEXT", "tokenCount": 36 }],
        "thoughtsTokenCount": 154
    });
    // 2.5 Flash: input 0.3 (images too), cache read 0.03, output 2.5 (thinking included).
    let c = call(Provider::Gemini, "gemini-2.5-flash", usage, false);
    exact_total(&c, [at(153.0, 0.3), at(173.0, 0.03), 0.0, at(217.0, 2.5)]);
}

#[test]
fn gemini_audio_prompt_and_cached_audio_pay_the_audio_rates() {
    let usage = json!({
        "promptTokenCount": 1440, "candidatesTokenCount": 62, "cachedContentTokenCount": 500,
        "promptTokensDetails": [{ "modality": "AUDIO", "tokenCount": 1200 }, { "modality": "TEXT", "tokenCount": 240 }],
        "cacheTokensDetails": [{ "modality": "AUDIO", "tokenCount": 400 }, { "modality": "TEXT", "tokenCount": 100 }],
        "candidatesTokensDetails": [{ "modality": "TEXT", "tokenCount": 62 }]
    });
    // 2.5 Flash: audio 1.00 against 0.30 for text; cached audio 0.10 against 0.03.
    let c = call(
        Provider::Gemini,
        "models/gemini-2.5-flash",
        usage.clone(),
        false,
    );
    let normal = [
        at(140.0, 0.3) + at(800.0, 1.0),
        at(100.0, 0.03) + at(400.0, 0.1),
        0.0,
        at(62.0, 2.5),
    ];
    exact_total(&c, normal);
    // Gemini's batch mode halves input and output; cached tokens keep their normal rate.
    let c = call(Provider::Gemini, "gemini-2.5-flash", usage, true);
    exact_total(&c, [normal[0] / 2.0, normal[1], 0.0, normal[3] / 2.0]);
}

#[test]
fn gemini_2_5_cache_reads_are_current_and_pro_has_its_long_context_tier() {
    let usage = |prompt: u64| {
        json!({ "promptTokenCount": prompt, "cachedContentTokenCount": 100_000,
        "candidatesTokenCount": 1000 })
    };
    for (model, read) in [
        ("gemini-2.5-pro", 0.125),
        ("gemini-2.5-flash", 0.03),
        ("gemini-2.5-flash-lite", 0.01),
    ] {
        exact(
            call(Provider::Gemini, model, usage(150_000), false).cache_read,
            at(100_000.0, read),
        );
    }
    let c = call(Provider::Gemini, "gemini-2.5-pro", usage(250_000), false);
    exact_total(
        &c,
        [
            at(150_000.0, 2.5),
            at(100_000.0, 0.25),
            0.0,
            at(1000.0, 15.0),
        ],
    );
}

#[test]
fn openai_batch_halves_cached_input_too() {
    let usage = json!({ "prompt_tokens": 10_000, "completion_tokens": 2000,
        "prompt_tokens_details": { "cached_tokens": 4000 } });
    let c = call(Provider::OpenAi, "gpt-5", usage, true);
    exact_total(
        &c,
        [at(6000.0, 0.625), at(4000.0, 0.0625), 0.0, at(2000.0, 5.0)],
    );
}

#[test]
fn the_current_generations_are_priced_and_near_misses_are_not() {
    let table = bundled();
    for model in [
        "gpt-5.2",
        "gpt-5.3",
        "gpt-5.4",
        "gpt-5.4-mini",
        "gpt-5.5",
        "gpt-5.5-pro",
        "gpt-5.6-luna",
        "gpt-5.6-terra",
        "claude-sonnet-4-6",
        "claude-opus-4-7",
        "claude-opus-4-8",
        "claude-opus-5",
        "claude-sonnet-5",
        "claude-haiku-4-5-20251001",
        "gemini-3-pro-preview",
        "gemini-3.1-pro-preview",
        "gemini-3.5-flash",
        "gemini-3.1-flash-lite",
        "o3-2025-04-16",
        "o4-mini",
    ] {
        assert!(find(&table, model).is_some(), "{model} is unpriced");
    }
    for model in [
        "gpt-5.7",
        "claude-opus-9",
        "gemini-4-pro",
        "text-embedding-3-large",
        "whisper-1",
    ] {
        assert!(find(&table, model).is_none(), "{model} is priced");
    }
    let unknown = call(
        Provider::OpenAi,
        "mystery-model-9",
        json!({ "prompt_tokens": 10 }),
        false,
    );
    assert_eq!((unknown.priced, unknown.total), (false, None));
    let no_usage = call(Provider::OpenAi, "gpt-4o", json!({}), false);
    assert_eq!((no_usage.priced, no_usage.total), (true, None));
}
