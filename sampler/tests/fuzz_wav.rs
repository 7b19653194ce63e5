//! Fuzzing the WAV decoder: thousands of truncations and header corruptions must never
//! panic, and a lying header must never make it allocate more than the bytes at hand
//! can fill (a counting global allocator checks every allocation's size).

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use common::*;
use kanon_samples::decode::{decode_bytes, Limits};

/// Records the largest allocation made on the current thread while armed.
struct Counting;

thread_local! {
    static ARMED: Cell<bool> = const { Cell::new(false) };
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: forwards to the system allocator; the bookkeeping touches only thread-locals
// with const initialisers, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn note(size: usize) {
    let _ = ARMED.try_with(|armed| {
        if armed.get() {
            let _ = LARGEST.try_with(|l| l.set(l.get().max(size)));
        }
    });
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Decodes `bytes`, returning the largest allocation it made.
fn decode_measured(bytes: &[u8]) -> usize {
    LARGEST.with(|l| l.set(0));
    ARMED.with(|a| a.set(true));
    let result = decode_bytes(bytes, &Limits::default());
    ARMED.with(|a| a.set(false));
    if let Ok(d) = &result {
        assert!(d.channels == 1 || d.channels == 2);
        assert!(d.data.iter().all(|x| x.is_finite()));
        assert_eq!(d.data.len() % d.channels as usize, 0);
    }
    LARGEST.with(|l| l.get())
}

fn seeds() -> Vec<Vec<u8>> {
    let frames: Vec<Vec<f64>> = (0..200)
        .map(|i| vec![(i as f64 * 0.05).sin() * 0.8, (i as f64 * 0.03).cos() * 0.5])
        .collect();
    let mono: Vec<Vec<f64>> = frames.iter().map(|f| vec![f[0]]).collect();
    vec![
        wav(Enc::I16, 44_100, 2, &frames, false),
        wav(Enc::U8, 8_000, 1, &mono, false),
        wav(Enc::I24, 96_000, 2, &frames, true),
        wav(Enc::F32, 48_000, 1, &mono, false),
        wav(Enc::F64, 48_000, 2, &frames, true),
    ]
}

/// At most 4 bytes of output per input byte (8-bit mono to f32), plus small overheads.
fn bound(input: usize) -> usize {
    4 * input + 4096
}

#[test]
fn every_truncation_is_handled() {
    for seed in seeds() {
        // The counter sees the decoder's own output buffer (so it can catch a big one).
        assert!(
            decode_measured(&seed) >= 800,
            "the allocator does not count"
        );
        for len in 0..=seed.len() {
            let largest = decode_measured(&seed[..len]);
            assert!(largest <= bound(len), "len {len}: allocated {largest}");
        }
    }
}

#[test]
fn corrupted_headers_never_panic_or_overallocate() {
    let mut rng = Rng(0x5EED);
    let interesting: [u32; 8] = [
        0,
        1,
        2,
        0x7FFF_FFFF,
        0x8000_0000,
        0xFFFF_FFFE,
        0xFFFF_FFFF,
        3,
    ];
    let mut decoded_ok = 0;
    for round in 0..6000 {
        let seeds = seeds();
        let mut f = seeds[round % seeds.len()].clone();
        // The header region: RIFF, the LIST chunk, fmt (extensible ones are longer).
        let header = 80.min(f.len());
        match rng.below(4) {
            0 => {
                for _ in 0..1 + rng.below(6) {
                    let at = rng.below(header);
                    f[at] = rng.next() as u8;
                }
            }
            1 => {
                // A lying 32-bit size or rate somewhere in the header.
                let at = rng.below(header - 4);
                let v = interesting[rng.below(interesting.len())];
                f[at..at + 4].copy_from_slice(&v.to_le_bytes());
            }
            2 => {
                // A lying 16-bit field (channels, bits, block align, format tag).
                let at = rng.below(header - 2);
                let v = [0u16, 1, 3, 7, 0xFFFE, 0xFFFF, 24, 64][rng.below(8)];
                f[at..at + 2].copy_from_slice(&v.to_le_bytes());
            }
            _ => {
                // Corrupt, then truncate.
                let at = rng.below(header);
                f[at] ^= 1 << rng.below(8);
                let len = rng.below(f.len() + 1);
                f.truncate(len);
            }
        }
        let largest = decode_measured(&f);
        assert!(
            largest <= bound(f.len()),
            "round {round}: allocated {largest} for {} bytes",
            f.len()
        );
        if decode_bytes(&f, &Limits::default()).is_ok() {
            decoded_ok += 1;
        }
    }
    // The mutations are not all fatal: some still decode (the fuzzer reaches the data path).
    assert!(decoded_ok > 100, "only {decoded_ok} mutants decoded");
}

#[test]
fn huge_claimed_sizes_allocate_nothing_big() {
    // 65535 channels of 32-bit float, a 4 GB data chunk claimed, 100 bytes present.
    let mut f = wav(Enc::F32, 48_000, 1, &vec![vec![0.5]; 25], false);
    let fmt = f.windows(4).position(|w| w == b"fmt ").unwrap();
    f[fmt + 10..fmt + 12].copy_from_slice(&u16::MAX.to_le_bytes());
    let data = f.windows(4).position(|w| w == b"data").unwrap();
    f[data + 4..data + 8].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let largest = decode_measured(&f);
    assert!(largest <= bound(f.len()), "allocated {largest}");
}
