//! Grouping equal keys in expected linear time, however many distinct keys there are: an
//! open-addressing table of FNV-1a hashes, with keys compared on every hash match.

use alloc::vec;
use alloc::vec::Vec;

/// Equal keys grouped together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Groups<'k> {
    /// The distinct keys, in order of first appearance.
    pub keys: Vec<&'k str>,
    /// For each input key, the index of its group in `keys`.
    pub group_of: Vec<u32>,
}

fn fnv1a(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Groups `keys` by equality.
pub fn group<'k>(keys: &[&'k str]) -> Groups<'k> {
    const EMPTY: u32 = u32::MAX;
    // At most half full, so every probe sequence is short and ends at an empty slot.
    let capacity = (keys.len() * 2).next_power_of_two().max(8);
    let mask = capacity - 1;
    let mut slots = vec![EMPTY; capacity];
    let mut groups = Groups {
        keys: Vec::new(),
        group_of: Vec::with_capacity(keys.len()),
    };
    for &key in keys {
        let mut slot = fnv1a(key) as usize & mask;
        // `slot` is always below the capacity: reading through `get` keeps bounds-check
        // panics out of the wasm.
        let index = loop {
            let Some(entry) = slots.get_mut(slot) else {
                break EMPTY;
            };
            match *entry {
                EMPTY => {
                    let index = groups.keys.len() as u32;
                    *entry = index;
                    groups.keys.push(key);
                    break index;
                }
                index if groups.keys.get(index as usize) == Some(&key) => break index,
                _ => slot = (slot + 1) & mask,
            }
        };
        groups.group_of.push(index);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;
    use alloc::format;
    use alloc::string::String;

    /// The definition: a linear search for each key among those seen so far.
    fn by_definition<'k>(keys: &[&'k str]) -> Groups<'k> {
        let mut groups = Groups {
            keys: Vec::new(),
            group_of: Vec::new(),
        };
        for &key in keys {
            let index = match groups.keys.iter().position(|&k| k == key) {
                Some(index) => index,
                None => {
                    groups.keys.push(key);
                    groups.keys.len() - 1
                }
            };
            groups.group_of.push(index as u32);
        }
        groups
    }

    #[test]
    fn random_keys_group_as_a_linear_search_groups_them() {
        let mut rng = Rng::from_seed([29; 32]);
        for round in 0..400 {
            let n = (rng.next_u64() % 600) as usize;
            let distinct = 1 + rng.next_u64() % [2, 20, 2_000][round % 3];
            let owned: Vec<String> = (0..n)
                .map(|_| format!("key-{}", rng.next_u64() % distinct))
                .collect();
            let keys: Vec<&str> = owned.iter().map(String::as_str).collect();
            assert_eq!(group(&keys), by_definition(&keys));
        }
    }

    #[test]
    fn empty_and_odd_keys_are_keys_like_any_other() {
        let keys = ["", "a", "", "\u{0}", "a", "é", "__proto__", "\u{0}"];
        let groups = group(&keys);
        assert_eq!(groups.keys, ["", "a", "\u{0}", "é", "__proto__"]);
        assert_eq!(groups.group_of, [0, 1, 0, 2, 1, 3, 4, 2]);
        assert_eq!(group(&[]).keys.len(), 0);
    }
}
