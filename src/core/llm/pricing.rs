//! A dated price table (USD per million tokens) and exact cost calculation.

use crate::core::find;
use crate::core::llm::usage::Usage;
use alloc::string::String;
use alloc::vec::Vec;

/// The date the bundled prices were taken.
pub const PRICES_AS_OF: &str = "2025-11-01";
/// Input tokens above which a model's long-context tier applies to the whole request.
pub const LONG_CONTEXT_TOKENS: u64 = 200_000;

/// Rates in USD per million tokens; cache rates default to the input rate when absent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// Uncached input.
    pub input: f64,
    /// Output (reasoning included).
    pub output: f64,
    /// Cache reads.
    pub cache_read: Option<f64>,
    /// Cache writes kept 5 minutes.
    pub cache_write_5m: Option<f64>,
    /// Cache writes kept 1 hour.
    pub cache_write_1h: Option<f64>,
}

/// A model's prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// Model id without provider prefix or date.
    pub model: String,
    /// Normal rates.
    pub rates: Rates,
    /// Rates for every token of a request with more than [`LONG_CONTEXT_TOKENS`] input tokens.
    pub long_context: Option<Rates>,
}

const fn rates(input: f64, output: f64, read: f64, w5m: Option<f64>, w1h: Option<f64>) -> Rates {
    Rates {
        input,
        output,
        cache_read: Some(read),
        cache_write_5m: w5m,
        cache_write_1h: w1h,
    }
}

const SONNET: Rates = rates(3.0, 15.0, 0.30, Some(3.75), Some(6.0));
const SONNET_LONG: Rates = rates(6.0, 22.5, 0.60, Some(7.5), Some(12.0));
const OPUS_4: Rates = rates(15.0, 75.0, 1.50, Some(18.75), Some(30.0));

/// The bundled prices: model, rates, long-context rates. Data in the wasm, not code that
/// builds it.
static BUNDLED: [(&str, Rates, Option<Rates>); 23] = [
    ("claude-sonnet-4-5", SONNET, Some(SONNET_LONG)),
    ("claude-sonnet-4", SONNET, Some(SONNET_LONG)),
    (
        "claude-haiku-4-5",
        rates(1.0, 5.0, 0.10, Some(1.25), Some(2.0)),
        None,
    ),
    (
        "claude-opus-4-5",
        rates(5.0, 25.0, 0.50, Some(6.25), Some(10.0)),
        None,
    ),
    ("claude-opus-4-1", OPUS_4, None),
    ("claude-opus-4", OPUS_4, None),
    ("claude-3-7-sonnet", SONNET, None),
    (
        "claude-3-5-haiku",
        rates(0.80, 4.0, 0.08, Some(1.0), Some(1.6)),
        None,
    ),
    ("gpt-5", rates(1.25, 10.0, 0.125, None, None), None),
    ("gpt-5-mini", rates(0.25, 2.0, 0.025, None, None), None),
    ("gpt-5-nano", rates(0.05, 0.40, 0.005, None, None), None),
    ("gpt-4o", rates(2.50, 10.0, 1.25, None, None), None),
    ("gpt-4o-mini", rates(0.15, 0.60, 0.075, None, None), None),
    ("gpt-4.1", rates(2.0, 8.0, 0.50, None, None), None),
    ("gpt-4.1-mini", rates(0.40, 1.60, 0.10, None, None), None),
    ("gpt-4.1-nano", rates(0.10, 0.40, 0.025, None, None), None),
    ("o3", rates(2.0, 8.0, 0.50, None, None), None),
    ("o3-mini", rates(1.10, 4.40, 0.55, None, None), None),
    ("o4-mini", rates(1.10, 4.40, 0.275, None, None), None),
    (
        "gemini-2.5-pro",
        rates(1.25, 10.0, 0.31, None, None),
        Some(rates(2.50, 15.0, 0.625, None, None)),
    ),
    (
        "gemini-2.5-flash",
        rates(0.30, 2.50, 0.075, None, None),
        None,
    ),
    (
        "gemini-2.5-flash-lite",
        rates(0.10, 0.40, 0.025, None, None),
        None,
    ),
    (
        "gemini-2.0-flash",
        rates(0.10, 0.40, 0.025, None, None),
        None,
    ),
];

/// The bundled table (see [`PRICES_AS_OF`]).
pub fn bundled() -> Vec<Price> {
    let mut table = Vec::with_capacity(BUNDLED.len());
    for (model, rates, long_context) in &BUNDLED {
        table.push(Price {
            model: String::from(*model),
            rates: *rates,
            long_context: *long_context,
        });
    }
    table
}

/// Strips a provider prefix (`openai/`, `models/`, …) and a trailing snapshot date
/// (`-20250929` or `-2024-08-06`), version (`-001`) or `-latest`.
pub fn canonical_model(model: &str) -> &str {
    let model = model.trim();
    let model = find::rsplit_once(model, "/").map_or(model, |(_, name)| name);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((base, tail)) = find::rsplit_once(model, "-") {
        // `-20250929` (Anthropic snapshots), `-001` (Gemini stable versions), `-latest` aliases.
        if (tail.len() == 8 || tail.len() == 3) && digits(tail) || tail == "latest" {
            return base;
        }
    }
    // `-YYYY-MM-DD`: checked slicing, since a model name may hold any characters.
    let dated = model
        .len()
        .checked_sub(11)
        .and_then(|cut| Some((model.get(..cut)?, model.get(cut..)?)));
    if let Some((base, tail)) = dated {
        let mut parts = find::split(tail, "-");
        let well_formed = parts.next() == Some("")
            && parts.next().is_some_and(|y| y.len() == 4 && digits(y))
            && parts.next().is_some_and(|m| m.len() == 2 && digits(m))
            && parts.next().is_some_and(|d| d.len() == 2 && digits(d))
            && parts.next().is_none();
        if well_formed {
            return base;
        }
    }
    model
}

/// The price of `model` in `table`: exact id first, then without prefix and date.
pub fn find<'t>(table: &'t [Price], model: &str) -> Option<&'t Price> {
    table
        .iter()
        .find(|p| p.model == model)
        .or_else(|| table.iter().find(|p| p.model == canonical_model(model)))
}

/// What a call cost, by part, in USD. `None` parts are unknown (unpriced model or usage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// Uncached input.
    pub input: Option<f64>,
    /// Cache reads.
    pub cache_read: Option<f64>,
    /// Cache writes.
    pub cache_write: Option<f64>,
    /// Output.
    pub output: Option<f64>,
    /// Everything.
    pub total: Option<f64>,
    /// Whether the model was found in the price table.
    pub priced: bool,
}

/// The cost of `usage` at `price`; a batch call pays half of input and output.
pub fn cost(price: Option<&Price>, usage: &Usage, batch: bool) -> Cost {
    let unknown = |priced| Cost {
        input: None,
        cache_read: None,
        cache_write: None,
        output: None,
        total: None,
        priced,
    };
    let Some(price) = price else {
        return unknown(false);
    };
    if usage.is_unknown() {
        return unknown(true);
    }
    let input_tokens = usage.input.unwrap_or(0);
    let rates = match price.long_context {
        Some(long) if input_tokens > LONG_CONTEXT_TOKENS => long,
        _ => price.rates,
    };
    let per = |tokens: u64, rate: f64| tokens as f64 * rate / 1_000_000.0;
    let read = usage.cache_read.unwrap_or(0);
    let (w5m, w1h) = (
        usage.cache_write_5m.unwrap_or(0),
        usage.cache_write_1h.unwrap_or(0),
    );
    let uncached = input_tokens
        .saturating_sub(read)
        .saturating_sub(w5m)
        .saturating_sub(w1h);
    let discount = if batch { 0.5 } else { 1.0 };
    let input = per(uncached, rates.input) * discount;
    let cache_read = per(read, rates.cache_read.unwrap_or(rates.input));
    let cache_write = per(w5m, rates.cache_write_5m.unwrap_or(rates.input))
        + per(w1h, rates.cache_write_1h.unwrap_or(rates.input));
    let output = per(usage.output.unwrap_or(0), rates.output) * discount;
    Cost {
        input: Some(input),
        cache_read: Some(cache_read),
        cache_write: Some(cache_write),
        output: Some(output),
        total: Some(input + cache_read + cache_write + output),
        priced: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(input: u64, output: u64, read: u64, w5m: u64, w1h: u64) -> Usage {
        Usage {
            input: Some(input),
            output: Some(output),
            cache_read: Some(read),
            cache_write_5m: Some(w5m),
            cache_write_1h: Some(w1h),
            reasoning: None,
        }
    }

    fn total(model: &str, usage: &Usage, batch: bool) -> Cost {
        let table = bundled();
        cost(find(&table, model), usage, batch)
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("priced");
        assert!((a - b).abs() < 1e-9, "{a} vs {b}");
    }

    #[test]
    fn anthropic_cache_reads_and_both_write_durations() {
        // input 1400 = 100 uncached + 1000 read + 100 (5 min) + 200 (1 h) writes.
        let c = total(
            "claude-sonnet-4-5-20250929",
            &usage(1400, 200, 1000, 100, 200),
            false,
        );
        close(c.input, 100.0 * 3.0 / 1e6);
        close(c.cache_read, 1000.0 * 0.30 / 1e6);
        close(c.cache_write, 100.0 * 3.75 / 1e6 + 200.0 * 6.0 / 1e6);
        close(c.output, 200.0 * 15.0 / 1e6);
        close(c.total, (300.0 + 300.0 + 375.0 + 1200.0 + 3000.0) / 1e6);
    }

    #[test]
    fn openai_cached_and_reasoning_tokens() {
        let u = Usage {
            reasoning: Some(300),
            ..usage(1000, 500, 400, 0, 0)
        };
        let c = total("openai/gpt-4o", &u, false);
        close(c.input, 600.0 * 2.5 / 1e6);
        close(c.cache_read, 400.0 * 1.25 / 1e6);
        close(c.output, 500.0 * 10.0 / 1e6);
        close(c.total, (1500.0 + 500.0 + 5000.0) / 1e6);
    }

    #[test]
    fn a_long_sonnet_prompt_pays_the_long_context_rates_for_every_token() {
        let c = total(
            "anthropic/claude-sonnet-4-5",
            &usage(250_000, 1000, 50_000, 0, 0),
            false,
        );
        close(c.input, 200_000.0 * 6.0 / 1e6);
        close(c.cache_read, 50_000.0 * 0.60 / 1e6);
        close(c.output, 1000.0 * 22.5 / 1e6);
        let at_limit = total("claude-sonnet-4-5", &usage(200_000, 0, 0, 0, 0), false);
        close(at_limit.input, 200_000.0 * 3.0 / 1e6);
    }

    #[test]
    fn the_current_generations_are_priced_from_their_snapshot_ids() {
        // (model as sent, input, output, cache read rate per million; 10k in of which 4k read).
        for (model, input, output, read) in [
            ("gpt-5-2025-08-07", 1.25, 10.0, 0.125),
            ("openai/gpt-5-mini", 0.25, 2.0, 0.025),
            ("gpt-5-nano-2025-08-07", 0.05, 0.40, 0.005),
            ("gpt-4.1-mini-2025-04-14", 0.40, 1.60, 0.10),
            ("gpt-4.1-nano", 0.10, 0.40, 0.025),
            ("o3-mini-2025-01-31", 1.10, 4.40, 0.55),
            ("claude-3-7-sonnet-20250219", 3.0, 15.0, 0.30),
            ("claude-3-5-haiku-20241022", 0.80, 4.0, 0.08),
            ("models/gemini-2.0-flash", 0.10, 0.40, 0.025),
        ] {
            let c = total(model, &usage(10_000, 1000, 4000, 0, 0), false);
            close(c.input, 6000.0 * input / 1e6);
            close(c.cache_read, 4000.0 * read / 1e6);
            close(c.output, 1000.0 * output / 1e6);
        }
        let haiku = total("claude-3-5-haiku", &usage(300, 0, 0, 100, 200), false);
        close(haiku.cache_write, (100.0 * 1.0 + 200.0 * 1.6) / 1e6);
    }

    #[test]
    fn a_batch_call_pays_half_of_input_and_output() {
        let c = total("gpt-4o-mini", &usage(10_000, 2000, 0, 0, 0), true);
        close(c.input, 10_000.0 * 0.15 / 1e6 * 0.5);
        close(c.output, 2000.0 * 0.60 / 1e6 * 0.5);
    }

    #[test]
    fn unknown_models_and_unknown_usage_are_not_zero() {
        let c = total("mystery-model-9", &usage(100, 100, 0, 0, 0), false);
        assert_eq!((c.priced, c.total), (false, None));
        let c = total("gpt-4o", &Usage::default(), false);
        assert_eq!((c.priced, c.total), (true, None));
    }

    #[test]
    fn model_names_are_matched_through_prefixes_and_dates_but_not_loosely() {
        assert_eq!(
            canonical_model("claude-sonnet-4-5-20250929"),
            "claude-sonnet-4-5"
        );
        assert_eq!(canonical_model("openai/gpt-4o-2024-08-06"), "gpt-4o");
        assert_eq!(canonical_model("models/gemini-2.5-pro"), "gemini-2.5-pro");
        assert_eq!(canonical_model("gemini-2.0-flash-001"), "gemini-2.0-flash");
        assert_eq!(
            canonical_model("claude-3-7-sonnet-latest"),
            "claude-3-7-sonnet"
        );
        assert_eq!(canonical_model("gpt-4o-mini"), "gpt-4o-mini");
        assert_eq!(canonical_model("o3-mini"), "o3-mini");
        let table = bundled();
        assert_eq!(
            find(&table, "gpt-4o-mini").map(|p| p.model.as_str()),
            Some("gpt-4o-mini")
        );
        assert_eq!(
            find(&table, "gpt-4o-mini-2024-07-18").map(|p| p.model.as_str()),
            Some("gpt-4o-mini")
        );
        assert_eq!(find(&table, "gpt-4o-audio-preview"), None);
        assert_eq!(canonical_model("modèle-été-ÿÿÿÿÿÿÿ"), "modèle-été-ÿÿÿÿÿÿÿ");
    }
}
