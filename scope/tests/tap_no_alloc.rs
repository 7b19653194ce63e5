//! `push_frames` is for the audio thread: it must never allocate. A counting global
//! allocator watches this test's thread while it pushes into full, empty and partly
//! full rings.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: delegates to the system allocator; only counts calls on the watched thread.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if WATCHING.with(|w| w.get()) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if WATCHING.with(|w| w.get()) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

#[test]
fn push_frames_never_allocates_or_frees() {
    let (mut producer, mut consumer) = kanon_scope::ring(3, 48_000);
    let block = vec![0.25f32; 256 * 3];
    WATCHING.with(|w| w.set(true));
    let mut pushed = 0;
    for round in 0..200 {
        pushed += kanon_scope::push_frames(&mut producer, &block, 3);
        if round % 3 == 0 {
            // Free an odd number of slots now and then: partial fits, full rings.
            if let Ok(chunk) = consumer.read_chunk(consumer.slots().min(1000)) {
                chunk.commit_all();
            }
        }
    }
    WATCHING.with(|w| w.set(false));
    assert!(
        pushed > 12_000,
        "the ring filled up and was pushed again: {pushed}"
    );
    assert_eq!(COUNT.with(|c| c.get()), 0, "push_frames allocated or freed");
}
