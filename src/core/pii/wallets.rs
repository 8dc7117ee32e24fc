//! Cryptocurrency wallet addresses: Bitcoin base58check (P2PKH, P2SH) and segwit (bech32,
//! bech32m), and Ethereum.

use super::{byte, is_word, Found, Kind, Replacement};
use crate::core::sha256::sha256;

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

/// The value of each ASCII byte as a bech32 character, in either case (32: none).
static BECH32_VALUES: [u8; 128] = {
    let mut table = [32; 128];
    let mut value = 0;
    while value < 32 {
        let c = BECH32[value];
        table[c as usize] = value as u8;
        table[c.to_ascii_uppercase() as usize] = value as u8;
        value += 1;
    }
    table
};

/// The value of a base58 digit (`123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz`:
/// no `0`, `O`, `I` or `l`).
#[inline(always)]
fn base58_value(b: u8) -> Option<u32> {
    let value = match b {
        b'1'..=b'9' => b - b'1',
        b'A'..=b'H' => b - b'A' + 9,
        b'J'..=b'N' => b - b'J' + 17,
        b'P'..=b'Z' => b - b'P' + 22,
        b'a'..=b'k' => b - b'a' + 33,
        b'm'..=b'z' => b - b'm' + 44,
        _ => return None,
    };
    Some(u32::from(value))
}
/// What the bech32 checksum leaves for witness version 0 (BIP-173) and for later versions,
/// bech32m (BIP-350).
const BECH32_CONSTANT: u32 = 1;
const BECH32M_CONSTANT: u32 = 0x2bc8_30a3;

/// A Bitcoin or Ethereum address starting at `start`. An address-shaped string whose checksum
/// fails is kept as it is (and not taken for a random secret): it is no wallet.
pub(crate) fn wallet_address(bytes: &[u8], start: usize) -> Option<Found> {
    match byte(bytes, start) {
        b'0' => ethereum(bytes, start),
        b'b' | b'B' | b't' | b'T' => segwit(bytes, start),
        _ => base58check(bytes, start),
    }
}

/// `0x` and 40 hex digits, in any case.
fn ethereum(bytes: &[u8], start: usize) -> Option<Found> {
    if byte(bytes, start + 1) != b'x' {
        return None;
    }
    let end = start + 42;
    let hex = (start + 2..end).all(|at| byte(bytes, at).is_ascii_hexdigit());
    (hex && !is_word(byte(bytes, end))).then_some(Found {
        end,
        replacement: Replacement::Marker(Kind::Crypto),
    })
}

/// A P2PKH or P2SH address, main or test network: 25 to 35 base58 characters that decode to
/// a version byte, 20 bytes of hash and a checksum of 4, the first bytes of the payload's
/// double SHA-256.
fn base58check(bytes: &[u8], start: usize) -> Option<Found> {
    if !matches!(byte(bytes, start), b'1' | b'3' | b'm' | b'n' | b'2') {
        return None;
    }
    // The length first: most digit and letter runs are far shorter or longer, and a run whose
    // 25th character is no base58 digit is too short.
    base58_value(byte(bytes, start + 24))?;
    let end = (start..start + 36)
        .find(|at| base58_value(byte(bytes, *at)).is_none())
        .unwrap_or(start + 36);
    if !(25..=35).contains(&(end - start)) || is_word(byte(bytes, end)) {
        return None;
    }
    // The number in 32-bit limbs, most significant first: 224 bits, of which an address uses
    // 200.
    let mut limbs = [0u32; 7];
    for at in start..end {
        let mut carry = u64::from(base58_value(byte(bytes, at)).unwrap_or(0));
        for limb in limbs.iter_mut().rev() {
            carry += u64::from(*limb) * 58;
            *limb = carry as u32;
            carry >>= 32;
        }
    }
    if limbs[0] >> 8 != 0 {
        return None; // more than 25 bytes
    }
    let mut decoded = [0u8; 25];
    for (index, slot) in decoded.iter_mut().enumerate() {
        // Byte `index` of the 25 is byte `index + 3` of the limbs' 28.
        let at = index + 3;
        *slot = (limbs[at / 4] >> (8 * (3 - at % 4))) as u8;
    }
    // Each leading `1` stands for one leading zero byte, and only those are zero.
    let ones = (start..end).take_while(|i| byte(bytes, *i) == b'1').count();
    let zeros = decoded.iter().take_while(|b| **b == 0).count();
    if ones != zeros {
        return None;
    }
    if !matches!(decoded[0], 0x00 | 0x05 | 0x6f | 0xc4) {
        return None;
    }
    let (payload, checksum) = decoded.split_at(21);
    let verified = sha256(&sha256(payload)).starts_with(checksum);
    Some(Found::checked(end, Kind::Crypto, verified))
}

/// The bech32 checksum state after `value` (BIP-173).
#[inline(always)]
fn polymod(check: u32, value: u8) -> u32 {
    const GENERATOR: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let top = check >> 25;
    let mut check = ((check & 0x1ff_ffff) << 5) ^ u32::from(value);
    for (bit, generator) in GENERATOR.iter().enumerate() {
        if top >> bit & 1 == 1 {
            check ^= generator;
        }
    }
    check
}

/// A segwit address of the main (`bc1`) or test (`tb1`) network, all in lower or all in upper
/// case: a witness version, a program of 2 to 40 bytes (20 or 32 for version 0) and the
/// checksum of its version's variant.
fn segwit(bytes: &[u8], start: usize) -> Option<Found> {
    let lower = |at: usize| byte(bytes, at).to_ascii_lowercase();
    let hrp = [lower(start), lower(start + 1)];
    if !matches!(&hrp, b"bc" | b"tb") || byte(bytes, start + 2) != b'1' {
        return None;
    }
    // The checksum covers the human-readable part, expanded: high bits, 0, low bits.
    let mut check = hrp.iter().fold(1, |check, b| polymod(check, b >> 5));
    check = hrp
        .iter()
        .fold(polymod(check, 0), |check, b| polymod(check, b & 31));
    let (mut at, mut has_lower, mut has_upper) = (start + 3, false, false);
    loop {
        let b = byte(bytes, at);
        let Some(value) = bech32_value(b) else {
            break;
        };
        has_lower |= b.is_ascii_lowercase();
        has_upper |= b.is_ascii_uppercase();
        check = polymod(check, value);
        at += 1;
    }
    let values = at - start - 3;
    if values < 7 || at - start > 90 || is_word(byte(bytes, at)) {
        return None;
    }
    // The first value is the witness version; the program is the values before the 6 of the
    // checksum, 5 bits each, and at most 4 bits of zeros pad its last byte.
    let version = bech32_value(byte(bytes, start + 3)).unwrap_or(0);
    let program_bits = (values - 7) * 5;
    let (program, pad) = (program_bits / 8, program_bits % 8);
    let last = bech32_value(byte(bytes, at - 7)).unwrap_or(0);
    let variant = if version == 0 {
        BECH32_CONSTANT
    } else {
        BECH32M_CONSTANT
    };
    let valid = check == variant
        && !(has_lower && has_upper)
        && version <= 16
        && (2..=40).contains(&program)
        && (version != 0 || program == 20 || program == 32)
        && pad <= 4
        && last & ((1 << pad) - 1) == 0;
    Some(Found::checked(at, Kind::Crypto, valid))
}

/// The 5-bit value of a bech32 character, in either case.
#[inline(always)]
fn bech32_value(b: u8) -> Option<u8> {
    BECH32_VALUES
        .get(usize::from(b))
        .copied()
        .filter(|value| *value < 32)
}

#[cfg(test)]
mod tests {
    use super::super::{clean, tests::standard};
    use crate::core::json_value::Value;
    use alloc::string::String;
    use std::format;

    fn texts(path: &str, key: Option<&str>) -> std::vec::Vec<String> {
        standard(path)
            .iter()
            .map(|item| {
                let value = key.map_or(Some(item), |key| item.get(key));
                String::from(value.and_then(Value::as_str).expect("a string"))
            })
            .collect()
    }

    fn redacted(address: &str) {
        assert_eq!(
            clean(&format!("send to {address}.")),
            "send to [REDACTED_CRYPTO].",
            "{address}"
        );
    }

    fn kept(address: &str) {
        let text = format!("send to {address}.");
        assert_eq!(clean(&text), text, "{address}");
    }

    #[test]
    fn bip_173_and_bip_350_valid_addresses_are_redacted() {
        let valid = texts("bech32.valid_addresses", None);
        assert!(valid.len() >= 8);
        valid.iter().for_each(|a| redacted(a));
    }

    #[test]
    fn bip_173_and_bip_350_invalid_addresses_are_kept() {
        let invalid = texts("bech32.invalid_addresses", Some("address"));
        assert!(invalid.len() >= 20);
        invalid.iter().for_each(|a| kept(a));
    }

    #[test]
    fn base58check_addresses_are_redacted_and_checksum_failures_kept() {
        let valid = texts("base58check.valid", Some("address"));
        assert!(valid.len() >= 10);
        valid.iter().for_each(|a| redacted(a));
        for invalid in texts("base58check.invalid", None)
            .iter()
            .chain(&texts("base58check.invalid_constructed", None))
        {
            assert!(!clean(invalid).contains("[REDACTED_CRYPTO]"), "{invalid}");
        }
        texts("base58check.invalid_constructed", None)
            .iter()
            .for_each(|a| kept(a));
    }

    #[test]
    fn eip_55_addresses_are_redacted_in_any_case() {
        for address in texts("eip55", None) {
            redacted(&address);
            redacted(&address.to_lowercase().replace("0X", "0x"));
        }
    }

    #[test]
    fn hashes_and_hex_numbers_are_not_ethereum_addresses() {
        let tx = format!("0x{}", "ab".repeat(32));
        for text in [
            "0x52908400098527886E0F7030069857D2E4169EE",
            "0x52908400098527886E0F7030069857D2E4169EE7A",
            tx.as_str(),
            "0xff",
            "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        ] {
            assert!(!clean(text).contains("[REDACTED_CRYPTO]"), "{text}");
        }
    }
}
