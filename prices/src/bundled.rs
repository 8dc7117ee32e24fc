//! The bundled price table, read from the generated text of [`crate::table`].

use crate::part::Part;
use crate::price::{Price, Rates, Tier};
use crate::table::TABLE;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_telemetry_rules::find::{split, split_once};

/// A plain decimal (`12`, `0.125`) as the table writes rates; `None` for anything else.
pub fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = split_once(text, ".").unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if text.is_empty() || text.len() > 18 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let number = text
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0u64, |n, b| n * 10 + u64::from(b - b'0'));
    Some(number as f64 / 10u64.pow(fraction.len() as u32) as f64)
}

/// Rates written as decimals in part order, empty where absent.
fn rates(text: &str) -> Rates {
    let mut rates = Rates::default();
    for (part, cell) in Part::ALL.into_iter().zip(split(text, ",")) {
        if let Some(rate) = decimal(cell) {
            rates.set(part, rate);
        }
    }
    rates
}

/// One line of the table: names, base rates, tiers.
fn model(line: &str) -> Price {
    let mut tiers = split(line, "|");
    let (names, base) = split_once(tiers.next().unwrap_or_default(), "=").unwrap_or_default();
    let mut names = split(names, " ");
    let id = names.next().unwrap_or_default();
    Price {
        aliases: names.map(String::from).collect(),
        tiers: tiers
            .filter_map(|tier| split_once(tier, "="))
            .map(|(above, text)| Tier {
                above: decimal(above).unwrap_or_default() as u64,
                rates: rates(text),
            })
            .collect(),
        ..Price::new(id, rates(base))
    }
}

/// The bundled table: every current text and chat model of OpenAI, Anthropic and Google that
/// the dataset of [`crate::table::SOURCE`] prices.
pub fn bundled() -> Vec<Price> {
    split(TABLE, "\n")
        .filter(|line| !line.is_empty())
        .map(model)
        .collect()
}
