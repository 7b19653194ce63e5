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
    /// Where the guard first found a non-finite value (see [`Stats::first_nonfinite`]).
    first_nonfinite: AtomicU64,
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
            first_nonfinite: AtomicU64::new(0),
            limited: AtomicU64::new(0),
            peak: AtomicU32::new(0),
            callbacks: AtomicU64::new(0),
            frames: AtomicU64::new(0),
            params: AtomicU64::new(0),
            cycle: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// Records where a non-finite value was found, if none was recorded before. Audio
    /// side: one atomic compare-exchange.
    pub(crate) fn note_nonfinite(&self, generation: u64, at: NonFinite) {
        let (kind, i) = match at {
            NonFinite::Cell(i) => (0, i),
            NonFinite::Output(i) => (1u64 << 31, i),
        };
        let code =
            (generation.min(u64::from(u32::MAX) - 1) + 1) << 32 | kind | (i as u64 & 0x7fff_ffff);
        let _ = self
            .first_nonfinite
            .compare_exchange(0, code, Relaxed, Relaxed);
    }

    /// Where the first non-finite value of the run was found: the generation of the
    /// program that produced it and the cell (index into its layout's cells) or output
    /// channel.
    pub fn first_nonfinite(&self) -> Option<(u64, NonFinite)> {
        let code = self.first_nonfinite.load(Relaxed);
        if code == 0 {
            return None;
        }
        let i = (code & 0x7fff_ffff) as usize;
        let at = if code & (1 << 31) == 0 {
            NonFinite::Cell(i)
        } else {
            NonFinite::Output(i)
        };
        Some(((code >> 32) - 1, at))
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

/// Where the non-finite guard found a bad value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NonFinite {
    /// A state cell, by its index in the program's layout.
    Cell(usize),
    /// An output channel (0-based), when no cell was bad.
    Output(usize),
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
