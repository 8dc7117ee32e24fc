//! The exact cost of one call: its usage split into priced parts, each at its rate.

use crate::part::{Group, Part};
use crate::price::Price;
use crate::usage::{Provider, Usage};

/// What a call cost, by group, in USD. `None` figures are unknown (unpriced model or usage).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// Uncached input of every modality.
    pub input: Option<f64>,
    /// Cache reads.
    pub cache_read: Option<f64>,
    /// Cache writes.
    pub cache_write: Option<f64>,
    /// Output of every modality, reasoning included.
    pub output: Option<f64>,
    /// Everything.
    pub total: Option<f64>,
    /// Whether the model was found in the price table.
    pub priced: bool,
}

impl Cost {
    /// The cost of a call whose model is unpriced (`priced` false) or whose usage is unknown.
    pub const fn unknown(priced: bool) -> Self {
        Cost {
            input: None,
            cache_read: None,
            cache_write: None,
            output: None,
            total: None,
            priced,
        }
    }

    /// The names of a cost object's figures (`{ inputCost, cacheReadCost, cacheWriteCost,
    /// outputCost, totalCost, currency, priced }`), in the order of [`Cost::figures`], for the
    /// SDK and the collector to write alike.
    pub const KEYS: [&'static str; 5] = [
        "inputCost",
        "cacheReadCost",
        "cacheWriteCost",
        "outputCost",
        "totalCost",
    ];

    /// The figures, in the order of [`Cost::KEYS`].
    pub fn figures(&self) -> [Option<f64>; 5] {
        [
            self.input,
            self.cache_read,
            self.cache_write,
            self.output,
            self.total,
        ]
    }
}

/// The currency every cost is in.
pub const CURRENCY: &str = "USD";

/// The share of the normal rate a batch call pays, by provider and group, where the table gives
/// no batch rate. All three halve input and output; Anthropic and OpenAI halve cache reads and
/// writes too (the discounts stack), while Gemini's batch mode keeps the normal cache rates.
pub fn batch_share(provider: Provider, group: Group) -> f64 {
    match (provider, group) {
        (Provider::Gemini, Group::CacheRead | Group::CacheWrite) => 1.0,
        _ => 0.5,
    }
}

/// The tokens of each part of `usage`: every modality and cache split out of the totals, so
/// that the parts add up to input plus output.
pub fn split(usage: &Usage) -> [(Part, u64); 10] {
    let n = |count: Option<u64>| count.unwrap_or(0);
    let read = n(usage.cache_read);
    let audio_read = n(usage.audio_cache_read).min(read);
    let audio_in = n(usage.audio_input).saturating_sub(audio_read);
    let (w5m, w1h) = (n(usage.cache_write_5m), n(usage.cache_write_1h));
    // A cached image is a cache read; only the rest is image input.
    let image_in = n(usage.image_input).saturating_sub(n(usage.image_cache_read));
    let text_in = n(usage.input)
        .saturating_sub(read)
        .saturating_sub(w5m)
        .saturating_sub(w1h)
        .saturating_sub(audio_in)
        .saturating_sub(image_in);
    let (audio_out, image_out) = (n(usage.audio_output), n(usage.image_output));
    let text_out = n(usage.output)
        .saturating_sub(audio_out)
        .saturating_sub(image_out);
    [
        (Part::Input, text_in),
        (Part::Output, text_out),
        (Part::CacheRead, read - audio_read),
        (Part::CacheWrite5m, w5m),
        (Part::CacheWrite1h, w1h),
        (Part::AudioInput, audio_in),
        (Part::AudioCacheRead, audio_read),
        (Part::AudioOutput, audio_out),
        (Part::ImageInput, image_in),
        (Part::ImageOutput, image_out),
    ]
}

/// The cost of `usage` at `price` for a call to `provider`. A long request pays its tier's
/// rates for every token; a batch call pays the table's batch rate for a part, or the
/// provider's [`batch_share`] of the normal rate.
pub fn cost(price: Option<&Price>, usage: &Usage, provider: Provider, batch: bool) -> Cost {
    let Some(price) = price else {
        return Cost::unknown(false);
    };
    if usage.is_unknown() {
        return Cost::unknown(true);
    }
    let rates = price.rates_for(usage.input.unwrap_or(0));
    // One sum per group, in the order `Group` declares them.
    let mut sums = [0.0f64; 4];
    for (part, tokens) in split(usage) {
        if tokens == 0 {
            continue;
        }
        let group = part.group();
        let rate = match price.batch.given(part) {
            Some(rate) if batch => rate,
            _ => {
                let share = if batch {
                    batch_share(provider, group)
                } else {
                    1.0
                };
                rates.of(part).unwrap_or(0.0) * share
            }
        };
        sums[group as usize] += tokens as f64 * rate / 1_000_000.0;
    }
    let [input, cache_read, cache_write, output] = sums;
    Cost {
        input: Some(input),
        cache_read: Some(cache_read),
        cache_write: Some(cache_write),
        output: Some(output),
        total: Some(input + cache_read + cache_write + output),
        priced: true,
    }
}
