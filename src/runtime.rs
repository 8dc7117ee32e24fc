//! The runtime of the npm package's no_std build: an allocator, and a panic handler that traps.
//!
//! Code reachable from JavaScript is written not to panic; if it ever did, the instance could
//! not continue either way, and trapping without formatting a message keeps the formatting
//! machinery out of the `.wasm`.

#[cfg(target_arch = "wasm32")]
mod wasm {
    use crate::size_classes::{Memory, SizeClasses};
    use core::arch::wasm32::{memory_grow, memory_size};

    const PAGE: usize = 65_536;

    extern "C" {
        /// The first address after the stack and the data, set by the linker.
        static __heap_base: u8;
    }

    /// The instance's linear memory, from the linker's heap base on.
    struct LinearMemory;

    impl Memory for LinearMemory {
        fn bounds(&self) -> (usize, usize) {
            (&raw const __heap_base as usize, memory_size(0) * PAGE)
        }

        fn grow(&self, bytes: usize) -> Option<usize> {
            let pages = bytes.div_ceil(PAGE);
            (memory_grow(0, pages) != usize::MAX).then(|| memory_size(0) * PAGE)
        }
    }

    #[global_allocator]
    static ALLOCATOR: SizeClasses<LinearMemory> = SizeClasses::new(LinearMemory);
}

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
