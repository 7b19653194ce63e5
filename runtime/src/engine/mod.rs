//! The live engine: a control side ([`EngineHandle`]) that sends messages (a compiled
//! program, a parameter value, a tap to fill), and an audio side ([`AudioProcessor`])
//! that applies them at its next block and runs the program inside the audio callback.
//!
//! ```text
//!  control thread                                         audio thread
//!  EngineHandle::commit / set_param / add_tap ──(rtrb: Message)──→ AudioProcessor::process
//!  EngineHandle::collect ←──(rtrb: Returned: retired programs, taps)──  (at a block boundary)
//! ```
//!
//! The parts: [`message`] (the two enums), [`slot`] (a program with its state, and the
//! non-finite guard), [`handle`] (the control side), [`processor`] (the audio side),
//! [`output`] (channel mapping, limiter), [`tap`] (recording and scope feeds), [`stats`]
//! (counters).
//!
//! The processor counts frames from 0 when the engine starts and gives every program
//! block its absolute position ([`kanon_compiler::Block::frame`]), so anything anchored
//! to time is the same whatever the block sizes were.
//!
//! A commit carries everything the audio side needs, built on the control thread: the
//! compiled program, its state block (initial values), a copy of those initial values
//! (for resets), a scratch buffer, and the [`MigrationPlan`] from the previously
//! committed program. At the start of its next block the processor takes every pending
//! program, applies their plans in order (so state flows old → … → newest even when
//! several edits arrived within one block; only the newest runs), and sends the
//! replaced ones back. The control side frees them in [`EngineHandle::collect`]
//! (dropping a `kanon_compiler::Program` frees its JIT code with `free_memory`).
//!
//! [`AudioProcessor::process`] never allocates, frees, locks or blocks. That is tested
//! under an allocation-counting allocator (`tests/live.rs`).
//!
//! ## Channels
//! The output width is fixed by the device ([`Config::channels`]). A program's channels
//! are mapped onto it: a mono program plays on every device channel; otherwise program
//! channel `i` goes to device channel `i`, program channels beyond the device's are
//! dropped and device channels beyond the program's are silent. The mapping is decided
//! per program, so an edit may change the program's channel count freely.
//!
//! ## Safety on the audio thread
//! - Denormals are flushed to zero for the whole call ([`FlushDenormals`]).
//! - Non-finite guard ([`Config::guard`]): after each program block, if any output
//!   sample or any state cell is NaN or infinite, that block's output is replaced by
//!   silence, every non-finite cell is reset to its initial value, every delay buffer
//!   holding a non-finite sample is cleared, and [`Stats::nonfinite`] counts the block.
//!   If the state was all finite (the output alone blew up), the whole state is reset
//!   to its initial values, so nothing can stay poisoned: the next block starts clean.
//! - Limiter ([`Config::limiter`]): a protective peak limiter on the final output,
//!   linked across channels, threshold 1.0 (0 dBFS), instant attack (gain = 1/peak on
//!   the frame that would exceed it, so nothing above 1.0 ever leaves), exponential
//!   release of [`LIMITER_RELEASE_SECS`] back to exactly 1.0. While its gain is 1.0 it
//!   does not touch samples with |x| ≤ 1: a program that never exceeds 1.0 passes
//!   through bit for bit. `--no-limiter` switches it off.
//!
//! ## Crossfade (`--xfade MS`)
//! When [`Config::xfade_frames`] > 0 and a swap starts fresh state (the new program has
//! keys the old one did not, see [`MigrationPlan::has_fresh`]), the old program keeps
//! running on its own state for that many frames and the device output is a linear
//! crossfade from the old program's output to the new one's. Carried state is not
//! faded: it was copied into the new program and continues identically in both, and a
//! linear crossfade of two equal signals is that signal. A swap whose plan starts
//! nothing fresh is never crossfaded. Programs that arrive during a crossfade wait
//! (other messages are applied at once) until it ends.
//!
//! ## Parameters and taps
//! The parameter block ([`Config::params`] slots) belongs to the engine, not to a
//! program, so a value set from outside outlives every swap; [`EngineHandle::set_param`]
//! sends one value, applied at the next block. A slot never set from outside holds the
//! default of the program that declares it (`param "cutoff" 1000`): the engine starts
//! with the first program's defaults and each commit sends the new program's, ahead of
//! the program itself, so its first block already reads them. A new default never
//! replaces a value set from outside; [`EngineHandle::reset_param`] forgets that value. A tap ([`EngineHandle::add_tap`]) copies
//! the device output or the program's tapped values into a ring the caller drains; a
//! recording is one such tap.

mod handle;
mod message;
mod output;
mod processor;
mod slot;
mod stats;
pub mod tap;

pub use handle::{EngineHandle, Refused};
pub use processor::AudioProcessor;
pub use stats::{BlockTime, Committed, NonFinite, Stats};
pub use tap::{TapInfo, TapSource, MAX_TAPS};

use kanon_compiler::Program;
use std::borrow::Borrow;

/// Slots in the live engine's parameter block.
pub const MAX_PARAMS: usize = 1024;

/// Release time of the protective limiter, in seconds (time constant back to unity).
pub const LIMITER_RELEASE_SECS: f64 = 0.05;

/// How the engine runs.
#[derive(Clone, Copy, Debug)]
pub struct Config {
    /// Sample rate in Hz (the limiter's release depends on it).
    pub sample_rate: f64,
    /// Device channels per frame (fixed for the engine's life).
    pub channels: usize,
    /// Largest block run in one program call; longer callbacks are split (the output is
    /// block-size invariant, so splitting changes nothing).
    pub max_block: usize,
    /// Protective output limiter on.
    pub limiter: bool,
    /// Non-finite guard on.
    pub guard: bool,
    /// Crossfade length for swaps that start fresh state; 0 = never crossfade.
    pub xfade_frames: usize,
    /// Measure each `process` call and report it through [`EngineHandle::drain_block_times`].
    pub timing: bool,
    /// How many commits may wait for the audio side.
    pub queue: usize,
    /// How many messages of any kind (programs, parameter values, taps) the queue to
    /// the audio side holds.
    pub messages: usize,
    /// Slots in the parameter block.
    pub params: usize,
}

impl Config {
    /// What the live engine uses: limiter and guard on, no crossfade, timing on.
    pub fn live(sample_rate: f64, channels: usize) -> Config {
        Config {
            sample_rate,
            channels,
            max_block: 1024,
            limiter: true,
            guard: true,
            xfade_frames: 0,
            timing: true,
            queue: 8,
            messages: 4096,
            params: MAX_PARAMS,
        }
    }

    /// Exactly what the program computes: no limiter, no guard, no timing.
    pub fn exact(sample_rate: f64, channels: usize, max_block: usize) -> Config {
        Config {
            max_block: max_block.max(1),
            limiter: false,
            guard: false,
            timing: false,
            ..Config::live(sample_rate, channels)
        }
    }
}

/// Creates an engine running `program` from its initial state: the control handle and
/// the processor to move into the audio callback. `P` is how the engine holds programs:
/// `Program` (owned, for the live engine) or `&Program` (offline render).
/// Each program reads its own resources (its sample library, shared by every program the
/// session's compiler makes).
pub fn engine<P: Borrow<Program>>(program: P, cfg: Config) -> (EngineHandle<P>, AudioProcessor<P>) {
    let cfg = Config {
        max_block: cfg.max_block.max(1),
        channels: cfg.channels.max(1),
        queue: cfg.queue.max(1),
        messages: cfg.messages.max(cfg.queue.max(1) + MAX_TAPS * 2),
        ..cfg
    };
    let return_capacity = 2 * cfg.queue + 4 + MAX_TAPS;
    let (to_audio, incoming) = rtrb::RingBuffer::new(cfg.messages);
    let (retired, from_audio) = rtrb::RingBuffer::new(return_capacity);
    let (times_tx, times) = rtrb::RingBuffer::new(if cfg.timing { 8192 } else { 1 });
    let stats = std::sync::Arc::new(Stats::new());
    let layout = program.borrow().layout.clone();
    let defaults = handle::program_defaults(program.borrow());
    let current = slot::Slot::new(program, Default::default(), 0, cfg.max_block);
    (
        EngineHandle::new(
            to_audio,
            from_audio,
            times,
            stats.clone(),
            layout,
            defaults,
            return_capacity,
            &cfg,
        ),
        AudioProcessor::new(current, incoming, retired, times_tx, stats, cfg),
    )
}
