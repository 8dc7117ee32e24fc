//! Sorting with little code. The standard library's sorts are fast on any input but add a few
//! KB of wasm for every element type; the SDK sorts numbers (heapsort: O(n log n), no
//! allocation) and short lists of at most a few hundred items (insertion sort: stable).

/// Sorts `values` ascending in `f64::total_cmp` order.
pub fn sort_f64(values: &mut [f64]) {
    // Every index is in range; reading through `get` keeps bounds-check panics (and their
    // messages) out of the wasm.
    let greater = |values: &[f64], a: usize, b: usize| match (values.get(a), values.get(b)) {
        (Some(a), Some(b)) => a.total_cmp(b).is_gt(),
        _ => false,
    };
    let n = values.len();
    // Moves the value at `root` down until the heap of the first `end` values holds again.
    let sift_down = |values: &mut [f64], mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && greater(values, child + 1, child) {
            child += 1;
        }
        if !greater(values, child, root) {
            return;
        }
        swap(values, root, child);
        root = child;
    };
    for start in (0..n / 2).rev() {
        sift_down(values, start, n);
    }
    for end in (1..n).rev() {
        swap(values, 0, end);
        sift_down(values, 0, end);
    }
}

/// Swaps two items, if both are in range.
fn swap<T>(items: &mut [T], a: usize, b: usize) {
    if a < items.len() && b < items.len() {
        items.swap(a, b);
    }
}

/// Sorts `items` so that no item comes after one it is `before`; equal items keep their order.
/// Quadratic: for short lists only.
pub fn insertion_sort_by<T>(items: &mut [T], mut before: impl FnMut(&T, &T) -> bool) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0
            && match (items.get(j), items.get(j - 1)) {
                (Some(item), Some(previous)) => before(item, previous),
                _ => false,
            }
        {
            swap(items, j, j - 1);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::random::Rng;
    use alloc::vec::Vec;

    #[test]
    fn numbers_sort_like_the_standard_library_on_random_input() {
        let mut rng = Rng::from_seed([12; 32]);
        for round in 0..2_000 {
            let n = (rng.next_u64() % 300) as usize;
            let mut values: Vec<f64> = (0..n)
                .map(|_| match rng.next_u64() % 6 {
                    0 => (rng.next_u64() % 5) as f64, // many duplicates
                    1 => -rng.next_f64(),
                    2 if round % 7 == 0 => f64::INFINITY,
                    _ => rng.next_f64() * 1e6,
                })
                .collect();
            let mut expected = values.clone();
            expected.sort_by(f64::total_cmp);
            sort_f64(&mut values);
            assert_eq!(values, expected);
        }
        sort_f64(&mut []);
    }

    #[test]
    fn insertion_sort_is_stable_and_ordered() {
        let mut rng = Rng::from_seed([13; 32]);
        for _ in 0..500 {
            let mut items: Vec<(u64, usize)> = (0..(rng.next_u64() % 60) as usize)
                .map(|i| (rng.next_u64() % 6, i))
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|item| core::cmp::Reverse(item.0));
            insertion_sort_by(&mut items, |a, b| a.0 > b.0);
            assert_eq!(items, expected);
        }
    }
}
