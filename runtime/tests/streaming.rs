//! Streaming render: a long render to a WAV file holds one block in memory, not the
//! whole output, and writes exactly what the collecting render returns.

use kanon_compiler::{compile, Options, Program};
use kanon_lang::Source;
use kanon_runtime::engine::Config;
use kanon_runtime::render::{render_script, render_script_into, Swap};
use kanon_runtime::wav::{Format, WavWriter};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::*};

/// Tracks the live heap bytes and their peak while `TRACKING` is set (this test binary
/// runs its tests one at a time through a lock, so other tests do not interfere).
struct PeakAlloc;

static TRACKING: AtomicBool = AtomicBool::new(false);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

// SAFETY: forwards to the system allocator; only counts.
unsafe impl GlobalAlloc for PeakAlloc {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        if TRACKING.load(Relaxed) {
            let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        if TRACKING.load(Relaxed) {
            LIVE.fetch_sub(l.size().min(LIVE.load(Relaxed)), Relaxed);
        }
        unsafe { System.dealloc(p, l) }
    }
}

#[global_allocator]
static GLOBAL: PeakAlloc = PeakAlloc;

fn prog(text: &str) -> Program {
    compile(&Source::new("t.kn", text), Options::default()).expect("compiles")
}

fn cfg(channels: usize) -> Config {
    Config {
        max_block: 512,
        ..Config::live(48_000.0, channels)
    }
}

fn temp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("kanon-stream-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// Peak heap growth (bytes) while rendering `seconds` of a stereo program to a file.
fn peak_while_rendering(seconds: usize) -> usize {
    let p = prog("out: [sine 110, saw 55 # lpf 800 0.7] * 0.3");
    let path = temp(&format!("peak-{seconds}.wav"));
    let mut w = WavWriter::create(&path, 2, 48_000, Format::F32).unwrap();
    LIVE.store(0, SeqCst);
    PEAK.store(0, SeqCst);
    TRACKING.store(true, SeqCst);
    render_script_into(p, Vec::new(), seconds * 48_000, 512, cfg(2), |b| w.write(b)).unwrap();
    TRACKING.store(false, SeqCst);
    w.finalize().unwrap();
    assert_eq!(
        hound::WavReader::open(&path).unwrap().duration() as usize,
        seconds * 48_000
    );
    let _ = std::fs::remove_file(&path);
    PEAK.load(SeqCst)
}

#[test]
fn memory_stays_flat_in_the_length() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let short = peak_while_rendering(1);
    let long = peak_while_rendering(30);
    // 30 s of stereo f32 is 11.5 MB; the render holds a block and the engine's own
    // buffers, the same for any length.
    assert!(long < 2 << 20, "peak {long} bytes for 30 s");
    assert!(
        long <= short + (64 << 10),
        "1 s: {short} bytes, 30 s: {long} bytes"
    );
}

#[test]
fn streamed_blocks_are_the_collected_render_with_swaps() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let a = "~a: sine 110\nout: ~a * 0.5";
    let b = "~a: sine 110\nout: [~a, saw 3] * 0.25";
    let swaps = || {
        vec![Swap {
            frame: 10_007,
            program: prog(b),
        }]
    };
    let (whole, log) = render_script(prog(a), swaps(), 30_000, 300, cfg(2));
    let mut streamed = Vec::new();
    let mut sizes = Vec::new();
    let log2 = render_script_into(prog(a), swaps(), 30_000, 300, cfg(2), |blk| {
        sizes.push(blk.len());
        streamed.extend_from_slice(blk);
        Ok::<(), ()>(())
    })
    .unwrap();
    assert_eq!(streamed, whole);
    assert_eq!(log.len(), 1);
    assert_eq!(log2.len(), 1);
    assert!(sizes.iter().all(|&n| n > 0 && n <= 600));
    // The swap splits a block at its frame.
    assert!(sizes
        .iter()
        .scan(0, |s, n| {
            *s += n / 2;
            Some(*s)
        })
        .any(|f| f == 10_007));
    // A failing sink stops the render at once with its error.
    let mut calls = 0;
    let r = render_script_into(prog(a), Vec::new(), 30_000, 300, cfg(2), |_| {
        calls += 1;
        if calls == 3 {
            Err("disk full")
        } else {
            Ok(())
        }
    });
    assert_eq!(r.err(), Some("disk full"));
    assert_eq!(calls, 3);
}
