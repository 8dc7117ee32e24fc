//! The bundled price table, read from the generated text of [`crate::table`].

use crate::part::Part;
use crate::price::{Price, Rates, Tier};
use crate::table::TABLE;
use alloc::string::String;
use alloc::vec::Vec;
use wasm_telemetry_rules::find::{split, split_once};

/// The value of 1 to 18 ASCII digits; `None` for anything else.
pub(crate) fn whole_number(text: &str) -> Option<u64> {
    let digits = !text.is_empty() && text.len() <= 18 && text.bytes().all(|b| b.is_ascii_digit());
    digits.then(|| text.bytes().fold(0, |n, b| n * 10 + u64::from(b - b'0')))
}

/// A plain decimal (`12`, `0.125`, `.5`) as the table writes rates; `None` for anything else.
pub fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = split_once(text, ".").unwrap_or((text, ""));
    if text.is_empty() || text.len() > 18 {
        return None;
    }
    let part = |digits: &str| {
        if digits.is_empty() {
            Some(0)
        } else {
            whole_number(digits)
        }
    };
    let scale = 10u64.pow(fraction.len() as u32);
    Some((part(whole)? * scale + part(fraction)?) as f64 / scale as f64)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_plain_decimals_and_thresholds_whole_numbers() {
        assert_eq!(decimal("12"), Some(12.0));
        assert_eq!(decimal("0.125"), Some(0.125));
        assert_eq!(decimal("0.01875"), Some(0.01875));
        assert_eq!((decimal(".5"), decimal("5.")), (Some(0.5), Some(5.0)));
        for bad in ["", "-1", "1e3", "1.2.3", "0x10", "1234567890123456789"] {
            assert_eq!(decimal(bad), None, "{bad}");
        }
        assert_eq!(whole_number("271999"), Some(271_999));
        assert_eq!(
            whole_number("999999999999999999"),
            Some(999_999_999_999_999_999)
        );
        for bad in ["", "1.5", "1234567890123456789", "+1"] {
            assert_eq!(whole_number(bad), None, "{bad}");
        }
        let prices = bundled();
        assert_eq!(
            prices.len(),
            split(TABLE, "\n").filter(|l| !l.is_empty()).count()
        );
    }
}
