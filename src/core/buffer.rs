//! The in-memory queue of encoded events waiting to be sent, with fixed bounds.

use crate::core::batch::WRAPPER_BYTES;
use crate::core::journal::Entry;
use alloc::vec::Vec;

/// Most events held in memory; beyond it the oldest are dropped and counted.
pub const MAX_BUFFERED_EVENTS: usize = 1000;
/// Most bytes of encoded events held in memory.
pub const MAX_BUFFERED_BYTES: usize = 1024 * 1024;

/// A bounded FIFO of encoded events with the time each was accepted, oldest first. A plain
/// `Vec`: at most 1000 entries move when the front is taken, and a ring buffer's code would
/// cost more wasm than that ever costs time.
#[derive(Debug, Default)]
pub struct EventBuffer {
    queue: Vec<Entry>,
    bytes: usize,
}

impl EventBuffer {
    /// Number of events waiting.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// True when nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Bytes of encoded events waiting.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Appends an event; returns how many of the oldest events were dropped to stay in bounds.
    pub fn push(&mut self, entry: Entry) -> usize {
        self.bytes += entry.event.len();
        self.queue.push(entry);
        self.enforce_bounds()
    }

    /// Takes the oldest events that fit in one request body of `max_bytes`, at most
    /// `max_events` of them. Returns an empty list only when the buffer is empty.
    pub fn take_batch(&mut self, max_events: usize, max_bytes: usize) -> Vec<Entry> {
        let mut size = WRAPPER_BYTES;
        let mut count = 0;
        for entry in &self.queue {
            let next = size + entry.event.len() + 1;
            if count == max_events || (count > 0 && next > max_bytes) {
                break;
            }
            size = next;
            count += 1;
        }
        let rest = self.queue.split_off(count.min(self.queue.len()));
        let taken = core::mem::replace(&mut self.queue, rest);
        self.bytes -= taken.iter().map(|e| e.event.len()).sum::<usize>();
        taken
    }

    /// Puts a batch that could not be delivered back at the front, oldest first; returns how
    /// many events were dropped to stay in bounds.
    pub fn restore(&mut self, entries: Vec<Entry>) -> usize {
        self.bytes += entries.iter().map(|e| e.event.len()).sum::<usize>();
        let mut queue = entries;
        queue.append(&mut self.queue);
        self.queue = queue;
        self.enforce_bounds()
    }

    /// The waiting entries, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.queue.iter()
    }

    /// Drops everything; returns how many events were dropped.
    pub fn clear(&mut self) -> usize {
        let dropped = self.queue.len();
        self.queue.clear();
        self.bytes = 0;
        dropped
    }

    fn enforce_bounds(&mut self) -> usize {
        let mut dropped = 0;
        let mut bytes = self.bytes;
        for oldest in &self.queue {
            if self.queue.len() - dropped <= MAX_BUFFERED_EVENTS && bytes <= MAX_BUFFERED_BYTES {
                break;
            }
            bytes -= oldest.event.len();
            dropped += 1;
        }
        // Usually one event: moving the rest down once each is cheaper than a new vector.
        for _ in 0..dropped {
            self.queue.remove(0);
        }
        self.bytes = bytes;
        dropped
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::batch::MAX_BODY_BYTES;

    fn event(n: usize) -> Entry {
        Entry {
            stored_at_ms: 0,
            event: std::format!("{{\"n\":{n}}}"),
        }
    }

    #[test]
    fn batches_are_taken_oldest_first_up_to_the_count() {
        let mut buffer = EventBuffer::default();
        for n in 0..5 {
            assert_eq!(buffer.push(event(n)), 0);
        }
        assert_eq!(
            buffer.take_batch(3, MAX_BODY_BYTES),
            vec![event(0), event(1), event(2)]
        );
        assert_eq!(buffer.len(), 2);
        assert_eq!(buffer.bytes(), event(3).event.len() + event(4).event.len());
    }

    #[test]
    fn a_batch_never_exceeds_the_body_limit() {
        let mut buffer = EventBuffer::default();
        let big = Entry {
            stored_at_ms: 0,
            event: "x".repeat(20 * 1024),
        };
        for _ in 0..5 {
            buffer.push(big.clone());
        }
        let batch = buffer.take_batch(50, MAX_BODY_BYTES);
        assert_eq!(batch.len(), 2);
        assert!(
            WRAPPER_BYTES + batch.iter().map(|e| e.event.len() + 1).sum::<usize>()
                <= MAX_BODY_BYTES
        );
        assert_eq!(buffer.len(), 3);
    }

    #[test]
    fn restored_events_go_back_to_the_front_in_order() {
        let mut buffer = EventBuffer::default();
        for n in 0..4 {
            buffer.push(event(n));
        }
        let batch = buffer.take_batch(2, MAX_BODY_BYTES);
        buffer.push(event(4));
        assert_eq!(buffer.restore(batch), 0);
        assert_eq!(
            buffer.take_batch(10, MAX_BODY_BYTES),
            (0..5).map(event).collect::<Vec<_>>()
        );
        assert!(buffer.is_empty());
        assert_eq!(buffer.bytes(), 0);
    }

    #[test]
    fn overflow_drops_the_oldest_and_reports_how_many() {
        let mut buffer = EventBuffer::default();
        let mut dropped = 0;
        for n in 0..MAX_BUFFERED_EVENTS + 7 {
            dropped += buffer.push(event(n));
        }
        assert_eq!(dropped, 7);
        assert_eq!(buffer.len(), MAX_BUFFERED_EVENTS);
        assert_eq!(buffer.take_batch(1, MAX_BODY_BYTES), vec![event(7)]);
    }

    #[test]
    fn byte_bound_holds_for_large_events() {
        let mut buffer = EventBuffer::default();
        let big = Entry {
            stored_at_ms: 0,
            event: "y".repeat(40 * 1024),
        };
        let dropped: usize = (0..40).map(|_| buffer.push(big.clone())).sum();
        assert!(buffer.bytes() <= MAX_BUFFERED_BYTES);
        assert_eq!(dropped + buffer.len(), 40);
        assert!(dropped > 0);
    }

    #[test]
    fn clear_reports_what_it_dropped() {
        let mut buffer = EventBuffer::default();
        buffer.push(event(1));
        buffer.push(event(2));
        assert_eq!(buffer.clear(), 2);
        assert!(buffer.is_empty() && buffer.bytes() == 0);
    }
}
