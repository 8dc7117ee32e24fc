//! A model's prices: rates per part, long-context tiers and batch rates, and how a model name
//! is matched to them.

use crate::part::{Part, PARTS};
use alloc::string::String;
use alloc::vec::Vec;
use wasm_telemetry_rules::find;

/// Rates in USD per million tokens, one per [`Part`]; NaN where the table gives none (half the
/// size of `Option<f64>`).
#[derive(Debug, Clone, Copy)]
pub struct Rates([f64; PARTS]);

impl PartialEq for Rates {
    /// The same rates given for the same parts.
    fn eq(&self, other: &Self) -> bool {
        Part::ALL.iter().all(|p| self.given(*p) == other.given(*p))
    }
}

impl Default for Rates {
    /// No rates at all.
    fn default() -> Self {
        Rates([f64::NAN; PARTS])
    }
}

impl Rates {
    /// The rate of `part`, following its fallbacks when the table gives none.
    pub fn of(&self, part: Part) -> Option<f64> {
        let mut at = part;
        loop {
            if let Some(rate) = self.given(at) {
                return Some(rate);
            }
            at = at.fallback()?;
        }
    }

    /// The rate of `part` as given, without fallbacks.
    pub fn given(&self, part: Part) -> Option<f64> {
        let rate = self.0[part.index()];
        (!rate.is_nan()).then_some(rate)
    }

    /// Sets the rate of `part` (a number, not NaN).
    pub fn set(&mut self, part: Part, rate: f64) {
        self.0[part.index()] = rate;
    }

    /// Gives each part these rates leave out the rate `under` gives it.
    pub fn fill_from(&mut self, under: &Rates) {
        for part in Part::ALL {
            if self.given(part).is_none() {
                if let Some(rate) = under.given(part) {
                    self.set(part, rate);
                }
            }
        }
    }
}

/// Rates that replace the base rates for every token of a request with more than `above`
/// input tokens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tier {
    /// The input-token count the request must exceed.
    pub above: u64,
    /// The rates then; a part they leave out keeps its base rate.
    pub rates: Rates,
}

/// A model's prices.
#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    /// Model id, without provider prefix or date.
    pub model: String,
    /// Other names of the same model (snapshots, aliases), matched exactly.
    pub aliases: Vec<String>,
    /// Rates of a request that reaches no tier.
    pub rates: Rates,
    /// Long-context tiers, lowest threshold first.
    pub tiers: Vec<Tier>,
    /// Batch rates where the table gives them; other parts get the provider's batch discount.
    pub batch: Rates,
}

impl Price {
    /// A model priced at `rates`, with no aliases, tiers or batch rates.
    pub fn new(model: &str, rates: Rates) -> Self {
        Price {
            model: String::from(model),
            aliases: Vec::new(),
            rates,
            tiers: Vec::new(),
            batch: Rates::default(),
        }
    }

    /// The rates of a request with `input_tokens`: the highest tier it exceeds, over the base.
    pub fn rates_for(&self, input_tokens: u64) -> Rates {
        match self.tiers.iter().rev().find(|t| input_tokens > t.above) {
            Some(tier) => {
                let mut rates = tier.rates;
                rates.fill_from(&self.rates);
                rates
            }
            None => self.rates,
        }
    }

    /// Whether `name` is this model's id or one of its aliases (ASCII case ignored).
    pub fn is_named(&self, name: &str) -> bool {
        self.model.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }
}

/// Strips a provider prefix (`openai/`, `models/`, …) and a trailing snapshot date
/// (`-20250929` or `-2024-08-06`), version (`-001`) or `-latest`.
pub fn canonical_model(model: &str) -> &str {
    let model = model.trim_ascii();
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

/// The price of `model` in `table`: by id or alias as sent, then without prefix and date; the
/// latest entry first, so that a table loaded later wins. Nothing looser: a near-miss name
/// stays unpriced.
pub fn find<'t>(table: &'t [Price], model: &str) -> Option<&'t Price> {
    let model = model.trim_ascii();
    let named = |name: &str| table.iter().rev().find(|p| p.is_named(name));
    named(model).or_else(|| named(canonical_model(model)))
}

/// Adds `additions` to `table`, each replacing the entry of the same model id.
pub fn merge(table: &mut Vec<Price>, additions: Vec<Price>) {
    for price in additions {
        table.retain(|p| !p.model.eq_ignore_ascii_case(&price.model));
        table.push(price);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundled::bundled;

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
        assert_eq!(canonical_model("modèle-été-ÿÿÿÿÿÿÿ"), "modèle-été-ÿÿÿÿÿÿÿ");
        let table = bundled();
        let id = |name: &str| find(&table, name).map(|p| p.model.as_str());
        assert_eq!(id("gpt-4o-mini"), Some("gpt-4o-mini"));
        assert_eq!(id("gpt-4o-mini-2024-07-18"), Some("gpt-4o-mini"));
        assert_eq!(id("openai/gpt-5.4-2026-03-05"), Some("gpt-5.4"));
        assert_eq!(id("claude-opus-4-7-20260416"), Some("claude-opus-4-7"));
        assert_eq!(id("models/gemini-2.5-flash"), Some("gemini-2.5-flash"));
        assert_eq!(id("GPT-4O"), Some("gpt-4o"));
        // Near misses stay unpriced.
        for near in [
            "gpt-4o-turbo",
            "gpt-5.4x",
            "claude-sonnet",
            "gemini-2.5",
            "gpt-5.4-mini-huge",
        ] {
            assert_eq!(id(near), None, "{near}");
        }
    }

    #[test]
    fn the_highest_tier_a_request_exceeds_applies_to_every_part_it_names() {
        let mut base = Rates::default();
        base.set(Part::Input, 1.0);
        base.set(Part::Output, 2.0);
        base.set(Part::CacheRead, 0.1);
        let tier = |above: u64, input: f64| {
            let mut rates = Rates::default();
            rates.set(Part::Input, input);
            Tier { above, rates }
        };
        let price = Price {
            tiers: alloc::vec![tier(128_000, 3.0), tier(256_000, 5.0)],
            ..Price::new("m", base)
        };
        assert_eq!(price.rates_for(128_000).of(Part::Input), Some(1.0));
        assert_eq!(price.rates_for(128_001).of(Part::Input), Some(3.0));
        assert_eq!(price.rates_for(300_000).of(Part::Input), Some(5.0));
        assert_eq!(price.rates_for(300_000).of(Part::CacheRead), Some(0.1));
        assert_eq!(price.rates_for(0).of(Part::AudioCacheRead), Some(0.1));
        assert_eq!(price.rates_for(0).of(Part::ImageOutput), Some(2.0));
    }
}
