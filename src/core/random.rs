//! A small seeded pseudo-random generator and random (version 4) UUIDs.
//!
//! The platform seeds it once from `crypto.getRandomValues`; after that, ids and sampling draws
//! cost no call into the browser.

use crate::core::hex::push_hex;
use crate::core::text::push_ascii;
use alloc::string::String;

/// xoshiro256** generator: fast, 256-bit state, good statistical quality (not for secrets).
#[derive(Debug, Clone)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// Builds a generator from 32 seed bytes. An all-zero seed (which would stall the generator)
    /// is replaced by a fixed non-zero state.
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let mut state = [0u64; 4];
        // Little-endian words, byte by byte: no chunk iterator, whose checks link panics.
        for (index, byte) in seed.iter().enumerate().rev() {
            if let Some(word) = state.get_mut(index / 8) {
                *word = (*word << 8) | u64::from(*byte);
            }
        }
        if state == [0; 4] {
            state = [
                0x9e37_79b9_7f4a_7c15,
                0xbf58_476d_1ce4_e5b9,
                0x94d0_49bb_1331_11eb,
                1,
            ];
        }
        Self { state }
    }

    /// Returns the next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.state;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s1 << 17;
        let mut next = [s0, s1, s2 ^ s0, s3 ^ s1];
        next[1] ^= next[2];
        next[0] ^= next[3];
        next[2] ^= t;
        next[3] = next[3].rotate_left(45);
        self.state = next;
        result
    }

    /// A generator of its own (for another kind of id), seeded from this one's next draws.
    pub fn fork(&mut self) -> Self {
        Self {
            state: [
                self.next_u64(),
                self.next_u64(),
                self.next_u64(),
                self.next_u64() | 1,
            ],
        }
    }

    /// Returns a uniform draw from `[0, 1)` with 53 bits of precision.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Returns a random version 4 UUID in its canonical lowercase hyphenated form.
    pub fn uuid_v4(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let mut out = String::with_capacity(36);
        for (index, byte) in bytes.iter().enumerate() {
            if matches!(index, 4 | 6 | 8 | 10) {
                push_ascii(&mut out, b'-');
            }
            push_hex(&mut out, *byte);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn seeded(byte: u8) -> Rng {
        Rng::from_seed([byte; 32])
    }

    #[test]
    fn uuid_has_version_4_and_rfc_variant_layout() {
        let mut rng = seeded(7);
        for _ in 0..1000 {
            let id = rng.uuid_v4();
            assert_eq!(id.len(), 36);
            let parts: Vec<&str> = id.split('-').collect();
            assert_eq!(
                parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(parts[2].starts_with('4'), "{id}");
            assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{id}");
            assert!(id
                .chars()
                .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        }
    }

    #[test]
    fn uuids_do_not_repeat_within_a_large_sample() {
        let mut rng = seeded(3);
        let ids: HashSet<String> = (0..100_000).map(|_| rng.uuid_v4()).collect();
        assert_eq!(ids.len(), 100_000);
    }

    #[test]
    fn different_seeds_give_different_streams_and_same_seed_repeats() {
        assert_ne!(seeded(1).next_u64(), seeded(2).next_u64());
        assert_eq!(seeded(5).uuid_v4(), seeded(5).uuid_v4());
    }

    #[test]
    fn all_zero_seed_still_produces_varied_output() {
        let mut rng = Rng::from_seed([0; 32]);
        let first = rng.next_u64();
        assert_ne!(first, rng.next_u64());
    }

    #[test]
    fn unit_draws_stay_in_range_and_average_near_half() {
        let mut rng = seeded(9);
        let draws: Vec<f64> = (0..100_000).map(|_| rng.next_f64()).collect();
        assert!(draws.iter().all(|d| (0.0..1.0).contains(d)));
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        assert!((mean - 0.5).abs() < 0.01, "mean {mean}");
    }
}
