//! The runtime of the npm package's no_std build: an allocator, and a panic handler that traps.
//!
//! Code reachable from JavaScript is written not to panic; if it ever did, the instance could
//! not continue either way, and trapping without formatting a message keeps the formatting
//! machinery out of the `.wasm`.

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
