//! The most recent items of a stream, at most a fixed number of them, oldest first: a ring
//! over one `Vec`. It keeps the breadcrumb trail, the timing windows, the LLM call log and the
//! alert history.

use alloc::vec::Vec;

/// At most `capacity` items; pushing one more forgets the oldest.
#[derive(Debug, Clone, Default)]
pub struct Recent<T> {
    items: Vec<T>,
    /// Where the oldest item is, once the ring is full.
    oldest: usize,
    capacity: usize,
}

impl<T> Recent<T> {
    /// An empty ring keeping at most `capacity` items (none at all for 0).
    pub fn new(capacity: usize) -> Self {
        Self {
            items: Vec::new(),
            oldest: 0,
            capacity,
        }
    }

    /// Adds `item`, forgetting the oldest when the ring is full.
    pub fn push(&mut self, item: T) {
        if self.items.len() < self.capacity {
            self.items.push(item);
        } else if let Some(slot) = self.items.get_mut(self.oldest) {
            *slot = item;
            self.oldest += 1;
            if self.oldest == self.items.len() {
                self.oldest = 0;
            }
        }
    }

    /// The items, oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        let older = self.items.get(self.oldest..).unwrap_or_default();
        let newer = self.items.get(..self.oldest).unwrap_or_default();
        older.iter().chain(newer)
    }

    /// How many items are kept.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::VecDeque;

    #[test]
    fn it_keeps_the_latest_items_in_order_like_a_bounded_deque() {
        for capacity in 0..6 {
            let mut ring = Recent::new(capacity);
            let mut deque = VecDeque::new();
            for n in 0..20 {
                ring.push(n);
                if capacity > 0 {
                    if deque.len() == capacity {
                        deque.pop_front();
                    }
                    deque.push_back(n);
                }
                let kept: Vec<i32> = ring.iter().copied().collect();
                let expected: Vec<i32> = deque.iter().copied().collect();
                assert_eq!(kept, expected, "capacity {capacity} after {n}");
                assert_eq!(ring.len(), deque.len());
                assert_eq!(ring.is_empty(), deque.is_empty());
                let backwards: Vec<i32> = ring.iter().rev().copied().collect();
                assert_eq!(
                    backwards,
                    expected.iter().rev().copied().collect::<Vec<_>>()
                );
            }
        }
    }
}
