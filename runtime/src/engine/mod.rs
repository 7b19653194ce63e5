//! The live engine: a control side ([`EngineHandle`]) that commits compiled programs, and
//! an audio side ([`AudioProcessor`]) that runs them inside the audio callback.
//!
//! ```text
//!  control thread                                   audio thread
//!  compile → EngineHandle::commit ──(rtrb: new program, state, plan)──→ AudioProcessor::process
//!            EngineHandle::collect ←─(rtrb: retired program + state)──  (swaps at a block boundary)
//! ```
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
//! nothing fresh is never crossfaded. New commits wait in the queue until a running
//! crossfade ends.

use crate::denormal::FlushDenormals;
use crate::migrate::{apply, MigrationPlan};
use kanon_compiler::{Layout, Program};
use rtrb::{Consumer, Producer, RingBuffer};
use std::borrow::Borrow;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering::*};
use std::sync::Arc;
use std::time::Instant;

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
    /// Samples the recorder ring had no room for.
    pub record_dropped: AtomicU64,
    /// The engine's time origin.
    pub epoch: Instant,
}

impl Stats {
    fn new() -> Stats {
        Stats {
            swaps: AtomicU64::new(0),
            generation: AtomicU64::new(0),
            swap_at_ns: AtomicU64::new(0),
            nonfinite: AtomicU64::new(0),
            limited: AtomicU64::new(0),
            peak: AtomicU32::new(0),
            callbacks: AtomicU64::new(0),
            frames: AtomicU64::new(0),
            record_dropped: AtomicU64::new(0),
            epoch: Instant::now(),
        }
    }

    /// The peak level since the last call, resetting it.
    pub fn take_peak(&self) -> f32 {
        f32::from_bits(self.peak.swap(0, Relaxed))
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
    pub fresh: Vec<String>,
    /// Keys dropped.
    pub dropped: Vec<String>,
    /// Delay buffers whose length changed.
    pub resized: Vec<String>,
}

/// A program with everything the audio side needs to run it, built on the control side.
struct Slot<P> {
    program: P,
    state: Box<[f64]>,
    init: Box<[f64]>,
    scratch: Box<[f32]>,
    plan: MigrationPlan,
    generation: u64,
    channels: usize,
    cells: usize,
}

impl<P: Borrow<Program>> Slot<P> {
    fn new(program: P, plan: MigrationPlan, generation: u64, max_block: usize) -> Box<Self> {
        let p = program.borrow();
        let mut init: Box<[f64]> = p.initial_state().into();
        let channels = p.channels();
        let cells = p.layout.cells.len();
        let mut state = init.clone();
        let mut scratch: Box<[f32]> = vec![0.0; max_block * channels].into();
        prefault(&mut init);
        prefault(&mut state);
        prefault(&mut scratch);
        Box::new(Slot {
            state,
            init,
            scratch,
            plan,
            generation,
            channels,
            cells,
            program,
        })
    }

    /// Runs `frames` frames into the scratch buffer, guarded; returns the output.
    fn run_scratch(&mut self, frames: usize, guard: bool, stats: &Stats) -> &[f32] {
        let n = frames * self.channels;
        let program = self.program.borrow();
        let out = &mut self.scratch[..n];
        program.process(&mut self.state, out);
        if guard {
            guard_block(program, &mut self.state, &self.init, self.cells, out, stats);
        }
        &self.scratch[..n]
    }
}

/// Touches every page of a fresh block on the control thread. Zeroed allocations can be
/// lazily mapped; a first touch from the audio thread would be a page fault, which can
/// wait on the process's memory-map lock while the control thread maps or unmaps JIT
/// code.
fn prefault<T: Copy>(block: &mut [T]) {
    let step = (4096 / std::mem::size_of::<T>().max(1)).max(1);
    for i in (0..block.len()).step_by(step) {
        // SAFETY: `i` is in bounds; a volatile read-write keeps the touch from being
        // optimised away (the value is unchanged).
        unsafe {
            let p = block.as_mut_ptr().add(i);
            std::ptr::write_volatile(p, std::ptr::read_volatile(p));
        }
    }
}

/// The non-finite guard (see the module doc) after one program block.
fn guard_block(
    program: &Program,
    state: &mut [f64],
    init: &[f64],
    cells: usize,
    out: &mut [f32],
    stats: &Stats,
) {
    // A cell whose initial value is NaN ("not set yet", e.g. a delay's read position
    // before its first sample) is not poisoned while it still holds that NaN.
    let bad = |v: f64, i: f64| !(v.is_finite() || v.is_nan() && i.is_nan());
    let bad_out = out.iter().any(|x| !x.is_finite());
    let bad_cells = state[..cells].iter().zip(init).any(|(&v, &i)| bad(v, i));
    if !bad_out && !bad_cells {
        return;
    }
    out.fill(0.0);
    stats.nonfinite.fetch_add(1, Relaxed);
    let mut fixed = false;
    for (v, &init) in state[..cells].iter_mut().zip(init) {
        if bad(*v, init) {
            *v = init;
            fixed = true;
        }
    }
    for b in &program.layout.buffers {
        let buf = &mut state[b.offset..b.offset + b.len];
        if buf.iter().any(|x| !x.is_finite()) {
            buf.fill(0.0);
            fixed = true;
        }
    }
    if !fixed {
        state.copy_from_slice(init);
    }
}

/// The device channel that program channel data comes from for device channel `d`.
fn source_channel(d: usize, program_channels: usize) -> Option<usize> {
    match program_channels {
        0 => None,
        1 => Some(0),
        n => (d < n).then_some(d),
    }
}

/// Copies program output (`pc` channels) onto device frames (`dc` channels).
fn map_channels(src: &[f32], pc: usize, dst: &mut [f32], dc: usize) {
    for (f, frame) in dst.chunks_exact_mut(dc).enumerate() {
        for (d, x) in frame.iter_mut().enumerate() {
            *x = source_channel(d, pc).map_or(0.0, |c| src[f * pc + c]);
        }
    }
}

/// The protective limiter's state.
struct Limiter {
    gain: f32,
    release: f32,
}

impl Limiter {
    fn run(&mut self, buf: &mut [f32], dc: usize) -> u64 {
        let mut limited = 0;
        for frame in buf.chunks_exact_mut(dc) {
            let peak = frame.iter().fold(0f32, |m, x| m.max(x.abs()));
            if peak * self.gain > 1.0 {
                self.gain = 1.0 / peak;
            }
            if self.gain < 1.0 {
                for x in frame.iter_mut() {
                    *x = (*x * self.gain).clamp(-1.0, 1.0);
                }
                limited += 1;
                self.gain = 1.0 - (1.0 - self.gain) * self.release;
                // Back to exactly unity once inaudibly close, so it is transparent again.
                if self.gain > 0.9999 {
                    self.gain = 1.0;
                }
            }
        }
        limited
    }
}

/// Control side of the engine: commits new programs and frees retired ones. Lives on a
/// non-audio thread; every method may allocate.
pub struct EngineHandle<P> {
    to_audio: Producer<Box<Slot<P>>>,
    from_audio: Consumer<Box<Slot<P>>>,
    times: Consumer<BlockTime>,
    stats: Arc<Stats>,
    last_layout: Layout,
    next_generation: u64,
    /// Slots handed to the audio side and not yet collected (including the first).
    outstanding: usize,
    return_capacity: usize,
    max_block: usize,
}

/// Audio side of the engine: moves into the audio callback. [`AudioProcessor::process`]
/// is the only method the callback calls; it never allocates, frees, locks or blocks.
pub struct AudioProcessor<P> {
    current: Box<Slot<P>>,
    fading: Option<(Box<Slot<P>>, usize)>,
    incoming: Consumer<Box<Slot<P>>>,
    retired: Producer<Box<Slot<P>>>,
    times: Producer<BlockTime>,
    stats: Arc<Stats>,
    cfg: Config,
    limiter: Limiter,
    record: Option<Producer<f32>>,
}

/// Creates an engine running `program` from its initial state: the control handle and
/// the processor to move into the audio callback. `P` is how the engine holds programs:
/// `Program` (owned, for the live engine) or `&Program` (offline render).
pub fn engine<P: Borrow<Program>>(program: P, cfg: Config) -> (EngineHandle<P>, AudioProcessor<P>) {
    let cfg = Config {
        max_block: cfg.max_block.max(1),
        channels: cfg.channels.max(1),
        queue: cfg.queue.max(1),
        ..cfg
    };
    let return_capacity = 2 * cfg.queue + 4;
    let (to_audio, incoming) = RingBuffer::new(cfg.queue);
    let (retired, from_audio) = RingBuffer::new(return_capacity);
    let (times_tx, times) = RingBuffer::new(if cfg.timing { 8192 } else { 1 });
    let stats = Arc::new(Stats::new());
    let last_layout = program.borrow().layout.clone();
    let current = Slot::new(program, MigrationPlan::default(), 0, cfg.max_block);
    let release = (-1.0 / (LIMITER_RELEASE_SECS * cfg.sample_rate.max(1.0))).exp() as f32;
    (
        EngineHandle {
            to_audio,
            from_audio,
            times,
            stats: stats.clone(),
            last_layout,
            next_generation: 1,
            outstanding: 1,
            return_capacity,
            max_block: cfg.max_block,
        },
        AudioProcessor {
            current,
            fading: None,
            incoming,
            retired,
            times: times_tx,
            stats,
            cfg,
            limiter: Limiter { gain: 1.0, release },
            record: None,
        },
    )
}

impl<P: Borrow<Program>> EngineHandle<P> {
    /// Hands a compiled program to the audio side, which swaps to it at its next block
    /// boundary, carrying state by key from the previously committed program. Builds the
    /// state block and the migration plan here, so the audio side only copies. Gives the
    /// program back if the queue is full (call [`EngineHandle::collect`] and retry).
    pub fn commit(&mut self, program: P) -> Result<Committed, P> {
        self.collect();
        if self.to_audio.slots() == 0 || self.outstanding + 1 > self.return_capacity {
            return Err(program);
        }
        let layout = &program.borrow().layout;
        let plan = MigrationPlan::new(&self.last_layout, layout);
        let info = Committed {
            generation: self.next_generation,
            carried: plan.carried(),
            fresh: plan.fresh.clone(),
            dropped: plan.dropped.clone(),
            resized: plan.resized.clone(),
        };
        let new_layout = layout.clone();
        let slot = Slot::new(program, plan, self.next_generation, self.max_block);
        match self.to_audio.push(slot) {
            Ok(()) => {
                self.last_layout = new_layout;
                self.next_generation += 1;
                self.outstanding += 1;
                Ok(info)
            }
            Err(rtrb::PushError::Full(slot)) => Err(slot.program),
        }
    }

    /// Frees the programs and states the audio side has retired; returns how many.
    pub fn collect(&mut self) -> usize {
        let mut n = 0;
        while let Ok(slot) = self.from_audio.pop() {
            drop(slot);
            n += 1;
        }
        self.outstanding -= n;
        n
    }

    /// The shared counters.
    pub fn stats(&self) -> &Arc<Stats> {
        &self.stats
    }

    /// Generation of the most recently committed program.
    pub fn committed_generation(&self) -> u64 {
        self.next_generation - 1
    }

    /// Passes every block time measured since the last call to `f`.
    pub fn drain_block_times(&mut self, mut f: impl FnMut(BlockTime)) {
        while let Ok(t) = self.times.pop() {
            f(t);
        }
    }
}

impl<P: Borrow<Program>> AudioProcessor<P> {
    /// Sends every frame the device plays into `ring` too (for `--record`). Call before
    /// the processor moves into the callback.
    pub fn record_to(&mut self, ring: Producer<f32>) {
        self.record = Some(ring);
    }

    /// The shared counters.
    pub fn stats(&self) -> &Arc<Stats> {
        &self.stats
    }

    /// The running program's state block (for tests and inspection).
    pub fn state(&self) -> &[f64] {
        &self.current.state
    }

    /// The running program.
    pub fn program(&self) -> &Program {
        self.current.program.borrow()
    }

    /// Fills `out` (interleaved, [`Config::channels`] per frame) with the next frames.
    /// Swaps to the newest committed program first, if any. Audio thread: never
    /// allocates, frees, locks or blocks.
    pub fn process(&mut self, out: &mut [f32]) {
        let _ftz = FlushDenormals::new();
        let t0 = self.cfg.timing.then(Instant::now);
        if self.fading.is_none() {
            self.take_new_programs();
        }
        let dc = self.cfg.channels;
        let mut peak = 0f32;
        for chunk in out.chunks_mut(self.cfg.max_block * dc) {
            let frames = chunk.len() / dc;
            let chunk = &mut chunk[..frames * dc];
            self.run_current(chunk, frames);
            self.mix_fading(chunk, frames);
            if self.cfg.limiter {
                let n = self.limiter.run(chunk, dc);
                if n > 0 {
                    self.stats.limited.fetch_add(n, Relaxed);
                }
            }
            peak = chunk.iter().fold(peak, |m, x| m.max(x.abs()));
            if let Some(rec) = &mut self.record {
                let (_, rest) = rec.push_partial_slice(chunk);
                if !rest.is_empty() {
                    self.stats
                        .record_dropped
                        .fetch_add(rest.len() as u64, Relaxed);
                }
            }
        }
        let frames = (out.len() / dc) as u64;
        self.stats.peak.fetch_max(peak.to_bits(), Relaxed);
        self.stats.callbacks.fetch_add(1, Relaxed);
        self.stats.frames.fetch_add(frames, Relaxed);
        if let Some(t0) = t0 {
            let nanos = t0.elapsed().as_nanos().min(u128::from(u32::MAX)) as u32;
            let _ = self.times.push(BlockTime {
                nanos,
                frames: frames as u32,
            });
        }
    }

    /// Installs every pending program, migrating state through each plan in commit
    /// order; the replaced programs go back to the control side.
    fn take_new_programs(&mut self) {
        let mut playing: Option<Box<Slot<P>>> = None;
        let mut fresh = false;
        let mut n = 0;
        while let Ok(mut next) = self.incoming.pop() {
            apply(&next.plan, &self.current.state, &mut next.state);
            fresh |= next.plan.has_fresh();
            let old = std::mem::replace(&mut self.current, next);
            match playing {
                None => playing = Some(old),
                Some(_) => self.retire(old),
            }
            n += 1;
        }
        let Some(old) = playing else { return };
        if fresh && self.cfg.xfade_frames > 0 {
            self.fading = Some((old, 0));
        } else {
            self.retire(old);
        }
        let at = self.stats.epoch.elapsed().as_nanos() as u64;
        self.stats.swap_at_ns.store(at, Release);
        self.stats
            .generation
            .store(self.current.generation, Release);
        self.stats.swaps.fetch_add(n, Relaxed);
    }

    fn retire(&mut self, slot: Box<Slot<P>>) {
        if let Err(rtrb::PushError::Full(slot)) = self.retired.push(slot) {
            // Cannot happen: the control side never has more slots outstanding than
            // the return queue holds. Leaking beats freeing on the audio thread.
            std::mem::forget(slot);
        }
    }

    fn run_current(&mut self, chunk: &mut [f32], frames: usize) {
        let dc = self.cfg.channels;
        let cur = &mut self.current;
        if cur.channels == dc {
            let program = cur.program.borrow();
            program.process(&mut cur.state, chunk);
            if self.cfg.guard {
                guard_block(
                    program,
                    &mut cur.state,
                    &cur.init,
                    cur.cells,
                    chunk,
                    &self.stats,
                );
            }
        } else {
            let pc = cur.channels;
            let src = cur.run_scratch(frames, self.cfg.guard, &self.stats);
            map_channels(src, pc, chunk, dc);
        }
    }

    fn mix_fading(&mut self, chunk: &mut [f32], frames: usize) {
        let Some((old, done)) = &mut self.fading else {
            return;
        };
        let dc = self.cfg.channels;
        let pc = old.channels;
        let len = self.cfg.xfade_frames;
        let src = old.run_scratch(frames, self.cfg.guard, &self.stats);
        for (f, frame) in chunk.chunks_exact_mut(dc).enumerate() {
            let t = ((*done + f) as f32 / len as f32).min(1.0);
            for (d, x) in frame.iter_mut().enumerate() {
                let o = source_channel(d, pc).map_or(0.0, |c| src[f * pc + c]);
                *x = o * (1.0 - t) + *x * t;
            }
        }
        *done += frames;
        if *done >= len {
            let (old, _) = self.fading.take().expect("fading");
            self.retire(old);
        }
    }
}
