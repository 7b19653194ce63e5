//! Counters the audio side publishes and the control side reads (all lock-free), and the
//! reports the control side gets back.

use kanon_compiler::key::Key;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::*};
use std::time::Instant;

/// Counters shared between the audio side and the control side (all lock-free).
#[derive(Debug)]
pub struct Stats {
    /// Programs installed by the audio side (each commit that reached it, including
    /// ones superseded within the same block).
    pub swaps: AtomicU64,
    /// Generation of the program now running (0 = the first program).
    pub generation: AtomicU64,
    /// When that generation started running, in ns since [`Stats::epoch`].
    pub swap_at_ns: AtomicU64,
    /// Program blocks silenced by the non-finite guard.
    pub nonfinite: AtomicU64,
    /// Frames in which the limiter reduced the gain.
    pub limited: AtomicU64,
    /// Largest |sample| sent to the device since the last [`Stats::take_peak`] (f32 bits).
    pub peak: AtomicU32,
    /// `process` calls.
    pub callbacks: AtomicU64,
    /// Frames produced.
    pub frames: AtomicU64,
    /// Parameter values applied.
    pub params: AtomicU64,
    /// The cycle clock's position at the end of the last block (f64 bits; 0 without
    /// patterns).
    pub cycle: AtomicU64,
    /// The engine's time origin.
    pub epoch: Instant,
}

impl Stats {
    pub(crate) fn new() -> Stats {
        Stats {
            swaps: AtomicU64::new(0),
            generation: AtomicU64::new(0),
            swap_at_ns: AtomicU64::new(0),
            nonfinite: AtomicU64::new(0),
            limited: AtomicU64::new(0),
            peak: AtomicU32::new(0),
            callbacks: AtomicU64::new(0),
            frames: AtomicU64::new(0),
            params: AtomicU64::new(0),
            cycle: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// The peak level since the last call, resetting it.
    pub fn take_peak(&self) -> f32 {
        f32::from_bits(self.peak.swap(0, Relaxed))
    }

    /// The cycle position at the end of the last block.
    pub fn cycle(&self) -> f64 {
        f64::from_bits(self.cycle.load(Relaxed))
    }

    /// The running generation and when it started running.
    pub fn current(&self) -> (u64, Instant) {
        let g = self.generation.load(Acquire);
        let at = self.swap_at_ns.load(Acquire);
        (g, self.epoch + std::time::Duration::from_nanos(at))
    }
}

/// How long one `process` call took, for the status line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlockTime {
    /// Wall time of the call.
    pub nanos: u32,
    /// Frames it produced.
    pub frames: u32,
}

/// What a commit will do to the state (from its migration plan).
#[derive(Clone, Debug)]
pub struct Committed {
    /// Generation number of the committed program.
    pub generation: u64,
    /// Cells and buffers carried over.
    pub carried: usize,
    /// Keys that start from their initial values.
    pub fresh: Vec<Key>,
    /// Keys dropped.
    pub dropped: Vec<Key>,
    /// Delay buffers whose length changed.
    pub resized: Vec<Key>,
}
