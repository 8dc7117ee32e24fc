//! The package's allocator: blocks of a few sizes, each size with its own free list.
//!
//! The sizes are the powers of two from 16 bytes and, from 48 bytes, the sizes halfway between
//! two of them (48, 96, 192, …), so a block is never more than a third larger than what it
//! holds. All are multiples of 16, so every block is 16-aligned. A request takes the smallest
//! size that holds its size and its alignment. A freed block goes on its size's list and serves the next request of that size;
//! a request with an empty list takes fresh memory from the top of the heap, growing it when
//! needed. Blocks are never split or merged, so nothing needs a header: the layout that
//! `dealloc` receives names the list. A page's telemetry allocates the same few sizes over and
//! over, so its memory reaches a plateau and stays there.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::UnsafeCell;
use core::ptr::null_mut;

/// The smallest block, as a power of two: 16 bytes, so every block is 16-aligned.
const SMALLEST_CLASS: u32 = 4;

/// Where the heap lives and how it grows.
pub trait Memory {
    /// The heap's first address and the end of the memory that exists now.
    fn bounds(&self) -> (usize, usize);
    /// Grows the memory by at least `bytes`; the new end, or `None` when it cannot grow.
    fn grow(&self, bytes: usize) -> Option<usize>;
}

/// The free lists and the heap's top.
struct Heap {
    /// The first free block of each class (a block's first word links to the next).
    free: [*mut u8; CLASSES],
    /// Where fresh memory starts; 0 until the first request.
    top: usize,
    /// The end of the memory that exists.
    end: usize,
}

/// A power-of-two size-class allocator over `M`. Single-threaded, as a wasm instance is.
pub struct SizeClasses<M> {
    heap: UnsafeCell<Heap>,
    memory: M,
}

// The allocator serves one thread: a wasm instance without threads.
unsafe impl<M> Sync for SizeClasses<M> {}

impl<M> SizeClasses<M> {
    /// An allocator that has taken nothing from `memory` yet.
    pub const fn new(memory: M) -> Self {
        Self {
            heap: UnsafeCell::new(Heap {
                free: [null_mut(); CLASSES],
                top: 0,
                end: 0,
            }),
            memory,
        }
    }
}

/// How many classes there are: two per power of two.
const CLASSES: usize = 2 * usize::BITS as usize;

/// The size class of `layout` and the size of its blocks: `2k` for blocks of `2^k` bytes,
/// `2k - 1` for blocks of three quarters of that (from 48 bytes). The index is below
/// [`CLASSES`], as a layout's size is at most `isize::MAX`; the mask tells the compiler so,
/// which keeps panics out.
fn class(layout: Layout) -> (usize, usize) {
    let size = layout.size().max(layout.align()).max(1 << SMALLEST_CLASS);
    let log = (usize::BITS - (size - 1).leading_zeros()) as usize & (usize::BITS as usize - 1);
    let three_quarters = 3 << log.saturating_sub(2);
    if log >= 6 && size <= three_quarters {
        ((2 * log - 1) & (CLASSES - 1), three_quarters)
    } else {
        ((2 * log) & (CLASSES - 1), 1 << log)
    }
}

unsafe impl<M: Memory> GlobalAlloc for SizeClasses<M> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let heap = &mut *self.heap.get();
        let (class, size) = class(layout);
        let head = heap.free[class];
        if !head.is_null() {
            heap.free[class] = *head.cast::<*mut u8>();
            return head;
        }
        if heap.top == 0 {
            let (start, end) = self.memory.bounds();
            heap.top = start.next_multiple_of(1 << SMALLEST_CLASS);
            heap.end = end;
        }
        let block = heap.top;
        let Some(top) = block.checked_add(size) else {
            return null_mut();
        };
        if top > heap.end {
            match self.memory.grow(top - heap.end) {
                Some(end) => heap.end = end,
                None => return null_mut(),
            }
        }
        heap.top = top;
        block as *mut u8
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let heap = &mut *self.heap.get();
        let (class, _) = class(layout);
        *block.cast::<*mut u8>() = heap.free[class];
        heap.free[class] = block;
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        if class(new_layout) == class(layout) {
            return block;
        }
        let moved = self.alloc(new_layout);
        if !moved.is_null() {
            core::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
            self.dealloc(block, layout);
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::Cell;
    use std::vec::Vec;

    /// A heap inside a buffer of the test's own, grown a page of 64 KiB at a time up to `limit`.
    struct Arena {
        buffer: Vec<u128>,
        end: Cell<usize>,
        limit: usize,
    }

    const PAGE: usize = 65_536;

    impl Arena {
        fn new(limit: usize) -> Self {
            let buffer = std::vec![0u128; limit / 16];
            Self {
                end: Cell::new(buffer.as_ptr() as usize + PAGE.min(limit)),
                buffer,
                limit,
            }
        }
        fn start(&self) -> usize {
            self.buffer.as_ptr() as usize
        }
    }

    impl Memory for &Arena {
        fn bounds(&self) -> (usize, usize) {
            (self.start() + 8, self.end.get())
        }
        fn grow(&self, bytes: usize) -> Option<usize> {
            let end = self.end.get() + bytes.div_ceil(PAGE) * PAGE;
            (end <= self.start() + self.limit).then(|| {
                self.end.set(end);
                end
            })
        }
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    #[test]
    fn a_request_gets_the_smallest_block_that_holds_its_size_and_alignment() {
        let size = |bytes, align| class(layout(bytes, align)).1;
        assert_eq!(size(1, 1), 16);
        assert_eq!(size(16, 8), 16);
        assert_eq!(size(17, 1), 32);
        assert_eq!(size(33, 1), 48, "three quarters of 64");
        assert_eq!(size(49, 1), 64);
        assert_eq!(size(8, 64), 64);
        assert_eq!(size(257, 1), 384);
        assert_eq!(size(385, 1), 512);
        assert_eq!(size(65_536, 1), 65_536);
        assert_eq!(size(65_537, 1), 98_304);
        // Every size has its own class, and every block is a multiple of 16 bytes.
        let mut seen = std::collections::BTreeMap::new();
        for bytes in 1..200_000 {
            let (index, block) = class(layout(bytes, 1));
            assert!(block >= bytes && block % 16 == 0 && index < CLASSES);
            assert_eq!(*seen.entry(index).or_insert(block), block);
        }
    }

    #[test]
    fn blocks_are_aligned_disjoint_and_reused_by_their_own_size_only() {
        let arena = Arena::new(4 * PAGE);
        let heap = SizeClasses::new(&arena);
        unsafe {
            let a = heap.alloc(layout(10, 1));
            let b = heap.alloc(layout(24, 8));
            let c = heap.alloc(layout(3, 1));
            assert_eq!(a as usize % 16, 0, "the heap's start is rounded up to 16");
            assert_eq!(b as usize - a as usize, 16);
            assert_eq!(c as usize - b as usize, 32);
            heap.dealloc(b, layout(24, 8));
            assert_eq!(
                heap.alloc(layout(12, 4)),
                c.add(16),
                "a 16-byte request takes no 32-byte block"
            );
            assert_eq!(
                heap.alloc(layout(32, 8)),
                b,
                "the freed 32-byte block is reused"
            );
        }
    }

    #[test]
    fn the_heap_grows_by_pages_and_a_request_beyond_the_memory_gets_null() {
        let arena = Arena::new(4 * PAGE);
        let heap = SizeClasses::new(&arena);
        unsafe {
            let big = heap.alloc(layout(2 * PAGE, 16));
            assert!(!big.is_null());
            assert!(arena.end.get() >= big as usize + 2 * PAGE);
            big.write_bytes(0xAB, 2 * PAGE);
            assert!(
                heap.alloc(layout(2 * PAGE, 16)).is_null(),
                "four pages hold no second one"
            );
            assert!(
                !heap.alloc(layout(100, 1)).is_null(),
                "what still fits is served"
            );
        }
    }

    #[test]
    fn realloc_keeps_the_contents_and_stays_put_within_a_class() {
        let arena = Arena::new(4 * PAGE);
        let heap = SizeClasses::new(&arena);
        unsafe {
            let block = heap.alloc(layout(20, 1));
            for i in 0..20 {
                *block.add(i) = i as u8;
            }
            assert_eq!(heap.realloc(block, layout(20, 1), 32), block);
            let moved = heap.realloc(block, layout(32, 1), 33);
            assert_ne!(moved, block);
            assert_eq!(
                core::slice::from_raw_parts(moved, 20),
                &core::array::from_fn::<u8, 20, _>(|i| i as u8)
            );
            assert_eq!(
                heap.alloc(layout(32, 1)),
                block,
                "the old block went back on its list"
            );
        }
    }

    /// Live blocks never overlap and keep what was written to them, through a long random mix of
    /// allocations, frees and reallocations; and the heap never holds more than each class's
    /// peak of live blocks, so freed blocks are what later requests get.
    #[test]
    fn a_random_workload_keeps_every_live_block_intact_and_stays_within_the_peaks_of_its_classes() {
        let arena = Arena::new(64 * PAGE);
        let heap = SizeClasses::new(&arena);
        let mut seed = 0x2545_f491_u64;
        let mut next = move |bound: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % bound as u64) as usize
        };
        let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
        let mut peaks = [0usize; CLASSES];
        let mut sizes = [0usize; CLASSES];
        for round in 0..6 {
            for step in 0..20_000 {
                let tag = (step % 251) as u8;
                match next(3) {
                    0 | 1 if live.len() < 400 => {
                        let bound = if next(10) == 0 { 5000 } else { 200 };
                        let size = 1 + next(bound);
                        let layout = layout(size, 1 << next(4));
                        let block = unsafe { heap.alloc(layout) };
                        assert!(!block.is_null());
                        assert_eq!(block as usize % layout.align(), 0);
                        unsafe { block.write_bytes(tag, size) };
                        live.push((block, layout, tag));
                    }
                    2 if !live.is_empty() && next(2) == 0 => {
                        let (block, old, tag) = live[next(live.len())];
                        let new_size = 1 + next(400);
                        let moved = unsafe { heap.realloc(block, old, new_size) };
                        let kept = old.size().min(new_size);
                        assert!(unsafe { core::slice::from_raw_parts(moved, kept) }
                            .iter()
                            .all(|b| *b == tag));
                        unsafe { moved.add(kept).write_bytes(tag, new_size - kept) };
                        let at = live.iter().position(|(b, ..)| *b == block).unwrap();
                        live[at] = (moved, layout(new_size, old.align()), tag);
                    }
                    _ if !live.is_empty() => {
                        let (block, layout, tag) = live.swap_remove(next(live.len()));
                        assert!(unsafe { core::slice::from_raw_parts(block, layout.size()) }
                            .iter()
                            .all(|b| *b == tag));
                        unsafe { heap.dealloc(block, layout) };
                    }
                    _ => {}
                }
                let mut counts = [0usize; CLASSES];
                for (_, layout, _) in &live {
                    let (index, size) = class(*layout);
                    counts[index] += 1;
                    sizes[index] = size;
                }
                for (peak, count) in peaks.iter_mut().zip(counts) {
                    *peak = (*peak).max(count);
                }
            }
            let mut spans: Vec<(usize, usize)> = live
                .iter()
                .map(|(b, l, _)| (*b as usize, *b as usize + l.size()))
                .collect();
            spans.sort_unstable();
            assert!(
                spans.windows(2).all(|pair| pair[0].1 <= pair[1].0),
                "round {round}: live blocks overlap"
            );
        }
        let bound: usize = peaks
            .iter()
            .zip(sizes)
            .map(|(peak, size)| peak * size)
            .sum();
        let used = arena.end.get() - arena.start();
        assert!(
            used <= (bound + 16).next_multiple_of(PAGE),
            "{used} bytes for class peaks of {bound}"
        );
    }
}
