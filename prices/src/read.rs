//! Price tables in three formats, told apart entry by entry:
//! - the SDK's own: `{ model: { input, output, cacheRead?, …, longContext?, batch?, aliases? } }`
//!   in USD per million tokens;
//! - LiteLLM's `model_prices_and_context_window.json`: `{ model: { input_cost_per_token, … } }`
//!   in USD per token, with `_above_<N>k_tokens` tiers and `_batches` rates;
//! - genai-prices' data: an array of providers (`{ id, models: [...] }`), one provider, or an
//!   array of models (`{ id, match, prices }`), in USD per million tokens.
//!
//! A value that is not a non-negative number is an error naming the model and the field.
//! LiteLLM and genai-prices entries without token prices (images, embeddings, search) are left
//! out, so that a whole downloaded table loads.

use crate::bundled::whole_number;
use crate::json::{members, Json};
use crate::part::Part;
use crate::price::{Price, Rates, Tier};
use alloc::string::String;
use alloc::vec::Vec;
use wasm_telemetry_rules::calendar::date_text;
use wasm_telemetry_rules::find;

/// The threshold of the own format's `longContext` when it names none.
pub const DEFAULT_LONG_CONTEXT: u64 = 200_000;

/// LiteLLM modes whose entries are priced by token.
const LITELLM_MODES: [&str; 4] = ["chat", "completion", "responses", "realtime"];

/// Why a table was refused: the model and field at fault, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceError {
    /// The model entry, empty for the table itself.
    pub model: String,
    /// The field within it, dotted (`longContext.input`), empty for the entry itself.
    pub field: String,
    /// What is wrong.
    pub problem: &'static str,
}

impl PriceError {
    fn new(model: &str, field: &str, problem: &'static str) -> Self {
        PriceError {
            model: String::from(model),
            field: String::from(field),
            problem,
        }
    }

    /// The message a `TypeError` carries: `pricing.<model>.<field> <problem>`.
    pub fn message(&self) -> String {
        let mut text = String::from("pricing");
        for name in [&self.model, &self.field] {
            if !name.is_empty() {
                text.push('.');
                text.push_str(name);
            }
        }
        text.push(' ');
        text.push_str(self.problem);
        text
    }
}

const NOT_A_RATE: &str = "must be a non-negative number";
const ARRAY_ITEM: &str =
    "is an array, so each item must be a genai-prices provider or model with a string id";

/// A rate: a finite non-negative number; else an error naming `model` and the field `key`
/// (within `prefix`, when not empty).
fn rate<J: Json>(value: &J, model: &str, prefix: &str, key: &str) -> Result<f64, PriceError> {
    match value.number() {
        Some(n) if n.is_finite() && n >= 0.0 => Ok(n),
        _ => {
            let mut error = PriceError::new(model, prefix, NOT_A_RATE);
            if !prefix.is_empty() {
                error.field.push('.');
            }
            error.field.push_str(key);
            Err(error)
        }
    }
}

/// The own format's rate keys of `entry`.
fn own_rates<J: Json>(entry: &J, model: &str, prefix: &str) -> Result<Rates, PriceError> {
    let mut rates = Rates::default();
    for part in Part::ALL {
        if let Some(value) = entry.get(part.own_key()) {
            rates.set(part, rate(value, model, prefix, part.own_key())?);
        }
    }
    Ok(rates)
}

/// An entry of the SDK's own format.
fn own<J: Json>(model: &str, entry: &J) -> Result<Price, PriceError> {
    let rates = own_rates(entry, model, "")?;
    for part in [Part::Input, Part::Output] {
        if rates.given(part).is_none() {
            return Err(PriceError::new(model, part.own_key(), "is required"));
        }
    }
    let mut price = Price::new(model, rates);
    if let Some(long) = entry.get("longContext") {
        let single = core::slice::from_ref(long);
        for tier in long.items().unwrap_or(single) {
            let above = match tier.get("above") {
                None => DEFAULT_LONG_CONTEXT,
                Some(value) => rate(value, model, "longContext", "above")? as u64,
            };
            *tier_at(&mut price, above) = own_rates(tier, model, "longContext")?;
        }
    }
    if let Some(batch) = entry.get("batch") {
        price.batch = own_rates(batch, model, "batch")?;
    }
    if let Some(aliases) = entry.get("aliases") {
        for alias in aliases.items().unwrap_or_default() {
            let alias = alias
                .text()
                .ok_or_else(|| PriceError::new(model, "aliases", "must be strings"))?;
            price.aliases.push(String::from(alias));
        }
    }
    Ok(inherited(price))
}

/// `key` without a LiteLLM `_above_<N>k_tokens` suffix, and the threshold it names.
fn litellm_tier(key: &str) -> (&str, Option<u64>) {
    let Some((base, tail)) = find::rsplit_once(key, "_above_") else {
        return (key, None);
    };
    let Some(thousands) = tail.strip_suffix("k_tokens") else {
        return (key, None);
    };
    match whole_number(thousands).filter(|_| thousands.len() < 10) {
        Some(n) => (base, Some(n * 1000)),
        None => (key, None),
    }
}

/// An entry of LiteLLM's table; `None` when it is not priced by token.
fn litellm<J: Json>(model: &str, entry: &J) -> Result<Option<Price>, PriceError> {
    if let Some(mode) = entry.get("mode").and_then(J::text) {
        if !LITELLM_MODES.contains(&mode) {
            return Ok(None);
        }
    }
    let mut price = Price::new(model, Rates::default());
    for (key, value) in members(entry) {
        let (base, batch) = match key.strip_suffix("_batches") {
            Some(base) => (base, true),
            None => (key, false),
        };
        let (base, above) = litellm_tier(base);
        let Some(part) = Part::ALL.into_iter().find(|p| p.litellm_key() == base) else {
            continue;
        };
        let per_million = rate(value, model, "", key)? * 1_000_000.0;
        match (batch, above) {
            (true, None) => price.batch.set(part, per_million),
            (false, Some(above)) => tier_at(&mut price, above).set(part, per_million),
            (false, None) => price.rates.set(part, per_million),
            // Batch rates of a long-context tier are not modelled.
            (true, Some(_)) => {}
        }
    }
    Ok(token_priced(price))
}

/// The rates of `price`'s tier above `above`, added in threshold order if new.
fn tier_at(price: &mut Price, above: u64) -> &mut Rates {
    let at = price.tiers.iter().take_while(|t| t.above < above).count();
    if price.tiers.get(at).is_none_or(|t| t.above != above) {
        let rates = Rates::default();
        price.tiers.insert(at, Tier { above, rates });
    }
    &mut price.tiers[at].rates
}

/// `price` with each tier giving every rate a lower tier gave, so that the highest tier a
/// request exceeds is the only one that applies.
fn inherited(mut price: Price) -> Price {
    for at in 1..price.tiers.len() {
        let lower = price.tiers[at - 1].rates;
        price.tiers[at].rates.fill_from(&lower);
    }
    price
}

/// `price`, if it has the input and output rates of a token-priced model.
fn token_priced(price: Price) -> Option<Price> {
    let priced =
        price.rates.given(Part::Input).is_some() && price.rates.given(Part::Output).is_some();
    priced.then(|| inherited(price))
}

/// The names a genai-prices `match` accepts exactly: its `equals` and `starts_with` strings
/// (a snapshot or dated name reaches them through [`crate::price::canonical_model`]).
fn match_names<J: Json>(logic: &J, names: &mut Vec<String>) {
    for key in ["or", "and"] {
        for clause in logic.get(key).and_then(J::items).unwrap_or_default() {
            match_names(clause, names);
        }
    }
    for key in ["equals", "starts_with"] {
        if let Some(name) = logic.get(key).and_then(J::text) {
            // A prefix that ends in a separator (`gpt-5-nano-`) names no model by itself.
            let whole = name
                .bytes()
                .last()
                .is_some_and(|b| b.is_ascii_alphanumeric());
            if whole && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
                names.push(String::from(name));
            }
        }
    }
}

/// The prices in force on `today` (`YYYY-MM-DD`) of a genai-prices model: the latest
/// `start_date` constraint that has begun, else the unconstrained prices.
fn prices_on<'j, J: Json>(prices: &'j J, today: &str) -> Option<&'j J> {
    let Some(items) = prices.items() else {
        return Some(prices);
    };
    let began = |item: &J| match item.get("constraint") {
        None => true,
        Some(c) => c
            .get("start_date")
            .and_then(J::text)
            .is_some_and(|start| start <= today),
    };
    items
        .iter()
        .rev()
        .find(|item| began(item))
        .or(items.first())?
        .get("prices")
}

/// A genai-prices model; `None` when it is not priced by token.
fn dataset_model<J: Json>(entry: &J, today: &str) -> Result<Option<Price>, PriceError> {
    let id = entry
        .get("id")
        .and_then(J::text)
        .ok_or_else(|| PriceError::new("", "", ARRAY_ITEM))?;
    let mut price = Price::new(id, Rates::default());
    if let Some(logic) = entry.get("match") {
        match_names(logic, &mut price.aliases);
        price.aliases.retain(|name| !name.eq_ignore_ascii_case(id));
    }
    let Some(prices) = entry.get("prices").and_then(|p| prices_on(p, today)) else {
        return Ok(None);
    };
    for (key, value) in members(prices) {
        let Some(part) = Part::ALL.into_iter().find(|p| p.dataset_key() == key) else {
            continue;
        };
        let Some(tiers) = value.get("tiers") else {
            price.rates.set(part, rate(value, id, "", key)?);
            continue;
        };
        let base = value
            .get("base")
            .ok_or_else(|| PriceError::new(id, key, "needs a base"))?;
        price.rates.set(part, rate(base, id, "", key)?);
        for tier in tiers.items().unwrap_or_default() {
            let start = tier.get("start").and_then(J::number).filter(|n| *n >= 0.0);
            let (Some(start), Some(value)) = (start, tier.get("price")) else {
                return Err(PriceError::new(id, key, "tiers need a start and a price"));
            };
            let value = rate(value, id, "", key)?;
            tier_at(&mut price, start as u64).set(part, value);
        }
    }
    Ok(token_priced(price))
}

/// The models of a genai-prices provider.
fn dataset_provider<J: Json>(
    provider: &J,
    today: &str,
    prices: &mut Vec<Price>,
) -> Result<(), PriceError> {
    for model in provider
        .get("models")
        .and_then(J::items)
        .unwrap_or_default()
    {
        prices.extend(dataset_model(model, today)?);
    }
    Ok(())
}

/// Reads a table in any of the three formats, on `today` (`YYYY-MM-DD`, for genai-prices' dated
/// prices). The first entry of a model id wins, and a LiteLLM entry named without a provider
/// prefix wins over the prefixed ones (`azure/gpt-4o`).
pub fn read<J: Json>(table: &J, today: &str) -> Result<Vec<Price>, PriceError> {
    let mut prices = Vec::new();
    let mut prefixed = Vec::new();
    if let Some(items) = table.items() {
        for item in items {
            if item.get("models").is_some() {
                dataset_provider(item, today, &mut prices)?;
            } else {
                prices.extend(dataset_model(item, today)?);
            }
        }
    } else if table.get("models").is_some() && table.get("id").is_some() {
        dataset_provider(table, today, &mut prices)?;
    } else if table.is_object() {
        for (model, entry) in members(table) {
            if !entry.is_object() {
                return Err(PriceError::new(model, "", "must be an object of rates"));
            }
            let litellm_shaped = [
                "input_cost_per_token",
                "output_cost_per_token",
                "litellm_provider",
                "mode",
            ]
            .iter()
            .any(|key| entry.get(key).is_some());
            if litellm_shaped {
                // `gemini/gemini-2.5-flash` prices `gemini-2.5-flash`, unless an entry without
                // a provider prefix does (below).
                let id = find::rsplit_once(model, "/").map_or(model, |(_, id)| id);
                if let Some(price) = litellm(id, entry)? {
                    let slot = if id.len() == model.len() {
                        &mut prices
                    } else {
                        &mut prefixed
                    };
                    slot.push(price);
                }
            } else {
                prices.push(own(model, entry)?);
            }
        }
    } else {
        return Err(PriceError::new(
            "",
            "",
            "must be an object of model rates, a LiteLLM table or genai-prices data",
        ));
    }
    let mut unique: Vec<Price> = Vec::with_capacity(prices.len());
    for price in prices.into_iter().chain(prefixed) {
        if !unique
            .iter()
            .any(|p| p.model.eq_ignore_ascii_case(&price.model))
        {
            unique.push(price);
        }
    }
    Ok(unique)
}

/// The UTC date (`YYYY-MM-DD`) of a Unix time in ms.
pub fn iso_date(unix_ms: f64) -> String {
    let text = date_text((unix_ms as i64).div_euclid(86_400_000));
    text.iter().map(|b| char::from(*b)).collect()
}
