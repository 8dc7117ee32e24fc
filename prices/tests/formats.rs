//! The three table formats `setPricing` and the collector's `PUT /api/pricing` accept, and the
//! errors a bad entry gets.

use serde_json::{json, Value};
use wasm_telemetry_prices::cost::cost;
use wasm_telemetry_prices::part::Part;
use wasm_telemetry_prices::price::{find, Price};
use wasm_telemetry_prices::read::{iso_date, read};
use wasm_telemetry_prices::usage::{Provider, Usage};

const TODAY: &str = "2026-12-02";

fn table(value: Value) -> Vec<Price> {
    read(&value, TODAY).expect("the table reads")
}

fn error(value: Value) -> String {
    read(&value, TODAY)
        .expect_err("the table is refused")
        .message()
}

fn exact(figure: Option<f64>, expected: f64) {
    let figure = figure.expect("a priced figure");
    assert!((figure - expected).abs() < 1e-9, "{figure} vs {expected}");
}

fn usage(input: u64, output: u64, read: u64, w5m: u64, w1h: u64) -> Usage {
    Usage {
        input: Some(input),
        output: Some(output),
        cache_read: Some(read),
        cache_write_5m: Some(w5m),
        cache_write_1h: Some(w1h),
        ..Usage::default()
    }
}

#[test]
fn the_own_format_with_tiers_batch_rates_modalities_and_aliases() {
    let prices = table(json!({
        "house-model": {
            "input": 2, "output": 8, "cacheRead": 0.2, "cacheWrite5m": 2.5, "cacheWrite1h": 4,
            "audioInput": 16, "aliases": ["house-model-v2"],
            "longContext": { "above": 100000, "input": 4, "output": 12 },
            "batch": { "input": 0.5, "output": 2 }
        }
    }));
    let price = find(&prices, "house-model-v2-2026-01-01").expect("matched by alias and date");
    let c = cost(
        Some(price),
        &usage(1000, 100, 200, 100, 100),
        Provider::Other,
        false,
    );
    exact(c.input, 600.0 * 2.0 / 1e6);
    exact(c.cache_write, (100.0 * 2.5 + 100.0 * 4.0) / 1e6);
    let long = cost(
        Some(price),
        &usage(100_001, 100, 0, 0, 0),
        Provider::Other,
        false,
    );
    exact(long.input, 100_001.0 * 4.0 / 1e6);
    exact(long.output, 100.0 * 12.0 / 1e6);
    let batch = cost(
        Some(price),
        &usage(1000, 100, 200, 0, 0),
        Provider::Other,
        true,
    );
    exact(batch.input, 800.0 * 0.5 / 1e6);
    exact(batch.output, 100.0 * 2.0 / 1e6);
    // The part without a batch rate gets the provider's share.
    exact(batch.cache_read, 200.0 * 0.2 / 2.0 / 1e6);
    assert_eq!(price.rates.given(Part::AudioInput), Some(16.0));
    // Without `above`, the tier starts above 200k input tokens.
    let prices = table(json!({ "m": { "input": 1, "output": 1, "longContext": { "input": 2 } } }));
    assert_eq!(prices[0].tiers[0].above, 200_000);
}

#[test]
fn litellm_entries_price_their_model_exactly() {
    // Entries as LiteLLM's model_prices_and_context_window.json has them, keys unordered.
    let prices = table(json!({
        "gpt-4o": {
            "cache_read_input_token_cost": 1.25e-06, "cache_read_input_token_cost_priority": 2.125e-06,
            "input_cost_per_token": 2.5e-06, "input_cost_per_token_batches": 1.25e-06,
            "input_cost_per_token_priority": 4.25e-06, "litellm_provider": "openai",
            "max_input_tokens": 128000, "max_output_tokens": 16384, "max_tokens": 16384, "mode": "chat",
            "output_cost_per_token": 1e-05, "output_cost_per_token_batches": 5e-06,
            "output_cost_per_token_priority": 1.7e-05, "supports_vision": true
        },
        "claude-sonnet-4-5": {
            "cache_creation_input_token_cost": 3.75e-06,
            "cache_creation_input_token_cost_above_1hr": 6e-06,
            "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05,
            "cache_read_input_token_cost": 3e-07, "input_cost_per_token": 3e-06,
            "input_cost_per_token_above_200k_tokens": 6e-06,
            "output_cost_per_token_above_200k_tokens": 2.25e-05,
            "cache_creation_input_token_cost_above_200k_tokens": 7.5e-06,
            "cache_read_input_token_cost_above_200k_tokens": 6e-07,
            "litellm_provider": "anthropic", "mode": "chat", "output_cost_per_token": 1.5e-05,
            "search_context_cost_per_query": { "search_context_size_high": 0.01 }
        },
        "gemini/gemini-2.5-flash": {
            "cache_read_input_token_cost": 3e-08, "input_cost_per_audio_token": 1e-06,
            "input_cost_per_token": 3e-07, "litellm_provider": "gemini", "mode": "chat",
            "output_cost_per_reasoning_token": 2.5e-06, "output_cost_per_token": 2.5e-06,
            "supported_modalities": ["text", "image", "audio", "video"]
        },
        "sample_spec": { "input_cost_per_token": 0.0, "output_cost_per_token": 0.0,
            "mode": "one of: chat, embedding, completion, image_generation" },
        "dall-e-3": { "litellm_provider": "openai", "mode": "image_generation", "output_cost_per_pixel": 0.0 },
        "azure/gpt-4o": { "input_cost_per_token": 5e-06, "output_cost_per_token": 2e-05, "mode": "chat" },
        "azure/gpt-4o-mini": { "input_cost_per_token": 1.65e-07, "output_cost_per_token": 6.6e-07, "mode": "chat" }
    }));
    let mut names: Vec<&str> = prices.iter().map(|p| p.model.as_str()).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "claude-sonnet-4-5",
            "gemini-2.5-flash",
            "gpt-4o",
            "gpt-4o-mini"
        ]
    );

    let gpt = find(&prices, "gpt-4o").unwrap();
    let c = cost(
        Some(gpt),
        &usage(10_000, 2000, 4000, 0, 0),
        Provider::OpenAi,
        false,
    );
    exact(
        c.total,
        (6000.0 * 2.5 + 4000.0 * 1.25 + 2000.0 * 10.0) / 1e6,
    );
    let batch = cost(
        Some(gpt),
        &usage(10_000, 2000, 4000, 0, 0),
        Provider::OpenAi,
        true,
    );
    exact(batch.input, 6000.0 * 1.25 / 1e6);
    exact(batch.cache_read, 4000.0 * 1.25 / 2.0 / 1e6);
    exact(batch.output, 2000.0 * 5.0 / 1e6);

    let claude = find(&prices, "anthropic/claude-sonnet-4-5-20250929").unwrap();
    let short = cost(
        Some(claude),
        &usage(1400, 200, 1000, 100, 200),
        Provider::Anthropic,
        false,
    );
    exact(
        short.total,
        (100.0 * 3.0 + 1000.0 * 0.3 + 100.0 * 3.75 + 200.0 * 6.0 + 200.0 * 15.0) / 1e6,
    );
    let long = cost(
        Some(claude),
        &usage(260_000, 1000, 50_000, 4000, 6000),
        Provider::Anthropic,
        false,
    );
    exact(
        long.total,
        (200_000.0 * 6.0 + 50_000.0 * 0.6 + 4000.0 * 7.5 + 6000.0 * 12.0 + 1000.0 * 22.5) / 1e6,
    );

    let gemini = find(&prices, "gemini-2.5-flash").unwrap();
    let audio = Usage {
        audio_input: Some(800),
        ..usage(1000, 100, 0, 0, 0)
    };
    let c = cost(Some(gemini), &audio, Provider::Gemini, false);
    exact(c.input, (200.0 * 0.3 + 800.0 * 1.0) / 1e6);
}

#[test]
fn genai_prices_data_with_tiers_dated_prices_and_match_names() {
    let data = json!([{
        "id": "openai",
        "models": [
            { "id": "gpt-5.4",
              "match": { "or": [{ "equals": "gpt-5.4" }, { "equals": "gpt-5.4-2026-03-05" }, { "equals": "gpt-5-4" }] },
              "prices": { "input_mtok": { "base": 2.5, "tiers": [{ "start": 271999, "price": 5 }] },
                  "cache_read_mtok": { "base": 0.25, "tiers": [{ "start": 271999, "price": 0.5 }] },
                  "output_mtok": { "base": 15, "tiers": [{ "start": 271999, "price": 22.5 }] },
                  "web_searches_kcount": 10 } },
            { "id": "o3", "match": { "or": [{ "equals": "o3" }, { "equals": "o3-2025-04-16" }] },
              "prices": [
                  { "prices": { "input_mtok": 10, "cache_read_mtok": 0.5, "output_mtok": 40 } },
                  { "constraint": { "start_date": "2025-06-10", "type": "start_date" },
                    "prices": { "input_mtok": 2, "cache_read_mtok": 0.5, "output_mtok": 8 } },
                  { "constraint": { "start_date": "2099-01-01", "type": "start_date" },
                    "prices": { "input_mtok": 99, "output_mtok": 99 } }] },
            { "id": "text-embedding-3-small", "match": { "equals": "text-embedding-3-small" },
              "prices": { "input_mtok": 0.02 } },
            { "id": "gpt-5-nano", "match": { "or": [{ "equals": "gpt-5-nano" }, { "starts_with": "gpt-5-nano-" }] },
              "prices": { "input_mtok": 0.05, "output_mtok": 0.4 } }
        ]
    }]);
    let prices = table(data.clone());
    let names: Vec<&str> = prices.iter().map(|p| p.model.as_str()).collect();
    assert_eq!(names, ["gpt-5.4", "o3", "gpt-5-nano"]);
    let gpt = find(&prices, "gpt-5-4").unwrap();
    let long = cost(
        Some(gpt),
        &usage(300_000, 1000, 100_000, 0, 0),
        Provider::OpenAi,
        false,
    );
    exact(
        long.total,
        (200_000.0 * 5.0 + 100_000.0 * 0.5 + 1000.0 * 22.5) / 1e6,
    );
    // The prices in force on the day: o3's cut of 2025-06-10, not a future change.
    let o3 = find(&prices, "o3-2025-04-16").unwrap();
    assert_eq!(
        (o3.rates.given(Part::Input), o3.rates.given(Part::Output)),
        (Some(2.0), Some(8.0))
    );
    let before = read(&data, "2025-01-01").unwrap();
    assert_eq!(
        find(&before, "o3").unwrap().rates.given(Part::Input),
        Some(10.0)
    );
    // A prefix ending in a separator is not an alias; dated names reach the id anyway.
    assert_eq!(
        find(&prices, "gpt-5-nano").unwrap().aliases,
        Vec::<String>::new()
    );
    assert!(find(&prices, "gpt-5-nano-2025-08-07").is_some());
    // One provider, or a list of models, reads the same.
    assert_eq!(table(data[0].clone()), prices);
    assert_eq!(table(data[0]["models"].clone()), prices);
}

#[test]
fn a_bad_entry_names_the_model_and_the_field() {
    assert_eq!(
        error(json!({ "m": { "input": "1", "output": 1 } })),
        "pricing.m.input must be a non-negative number"
    );
    assert_eq!(
        error(json!({ "m": { "input": 1 } })),
        "pricing.m.output is required"
    );
    assert_eq!(
        error(json!({ "m": { "input": 1, "output": 1, "longContext": { "cacheRead": -1 } } })),
        "pricing.m.longContext.cacheRead must be a non-negative number"
    );
    assert_eq!(
        error(json!({ "m": { "input": 1, "output": 1, "batch": { "output": null } } })),
        "pricing.m.batch.output must be a non-negative number"
    );
    assert_eq!(
        error(json!({ "gpt-x": { "mode": "chat", "input_cost_per_token": -1e-6 } })),
        "pricing.gpt-x.input_cost_per_token must be a non-negative number"
    );
    assert_eq!(
        error(
            json!([{ "id": "g", "models": [{ "id": "g-1", "prices": { "output_mtok": { "base": 1, "tiers": [{ "start": 5 }] } } }] }])
        ),
        "pricing.g-1.output_mtok tiers need a start and a price"
    );
    assert_eq!(
        error(json!({ "m": 3 })),
        "pricing.m must be an object of rates"
    );
    assert_eq!(
        error(json!("gpt-4o")),
        "pricing must be an object of model rates, a LiteLLM table or genai-prices data"
    );
}

#[test]
fn the_first_entry_of_a_model_wins_and_dates_are_utc() {
    let prices = table(json!([
        { "id": "anthropic", "models": [{ "id": "claude-x", "prices": { "input_mtok": 3, "output_mtok": 15 } }] },
        { "id": "google", "models": [{ "id": "claude-x", "prices": { "input_mtok": 9, "output_mtok": 9 } }] }
    ]));
    assert_eq!(prices.len(), 1);
    assert_eq!(prices[0].rates.given(Part::Input), Some(3.0));
    assert_eq!(iso_date(0.0), "1970-01-01");
    assert_eq!(iso_date(1_796_169_600_000.0), "2026-12-02");
    assert_eq!(iso_date(-1.0), "1969-12-31");
}
