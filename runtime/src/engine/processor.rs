//! The audio side of the engine: moves into the audio callback. [`AudioProcessor::process`]
//! is the only method the callback calls; it never allocates, frees, locks or blocks.

use super::message::{Message, Returned};
use super::output::{map_channels, source_channel, Limiter};
use super::slot::{RunContext, Slot};
use super::stats::{BlockTime, Stats};
use super::tap::{Tap, TapSource, MAX_TAPS};
use super::{Config, LIMITER_RELEASE_SECS};
use crate::denormal::FlushDenormals;
use crate::migrate::apply;
use kanon_compiler::{ClockAnchor, Program};
use rtrb::{Consumer, Producer};
use std::borrow::Borrow;
use std::sync::atomic::Ordering::*;
use std::sync::Arc;
use std::time::Instant;

/// Audio side of the engine.
pub struct AudioProcessor<P> {
    current: Box<Slot<P>>,
    fading: Option<(Box<Slot<P>>, usize)>,
    /// Programs that arrived during a crossfade, in order (capacity [`Config::queue`],
    /// which the control side never exceeds).
    waiting: Vec<Box<Slot<P>>>,
    incoming: Consumer<Message<P>>,
    retired: Producer<Returned<P>>,
    times: Producer<BlockTime>,
    stats: Arc<Stats>,
    cfg: Config,
    limiter: Limiter,
    /// The parameter block.
    params: Box<[f64]>,
    /// Running taps (capacity [`MAX_TAPS`]). Boxed: they arrive and leave as boxes,
    /// and unboxing one here would free its box on the audio thread.
    #[allow(clippy::vec_box)]
    taps: Vec<Box<Tap>>,
    /// Absolute position of the next frame.
    frame: u64,
    /// Output gain, ramping toward `hushed ? 0 : 1` by `hush_step` per frame.
    gain: f32,
    hushed: bool,
    hush_step: f32,
    /// The last clock anchor received, applied to each program installed after it.
    anchor: Option<ClockAnchor>,
}

/// How long hushing (and un-hushing) fades, in seconds: short, but no click.
pub const HUSH_FADE_SECS: f64 = 0.01;

impl<P: Borrow<Program>> AudioProcessor<P> {
    pub(super) fn new(
        current: Box<Slot<P>>,
        incoming: Consumer<Message<P>>,
        retired: Producer<Returned<P>>,
        times: Producer<BlockTime>,
        stats: Arc<Stats>,
        cfg: Config,
    ) -> Self {
        let mut params = vec![0.0; cfg.params];
        for d in &current.program.borrow().ir.params {
            if let Some(p) = params.get_mut(d.slot as usize) {
                *p = d.default;
            }
        }
        AudioProcessor {
            current,
            fading: None,
            waiting: Vec::with_capacity(cfg.queue),
            incoming,
            retired,
            times,
            stats,
            limiter: Limiter::new(LIMITER_RELEASE_SECS, cfg.sample_rate),
            params: params.into(),
            taps: Vec::with_capacity(MAX_TAPS),
            frame: 0,
            gain: 1.0,
            hushed: false,
            hush_step: (1.0 / (HUSH_FADE_SECS * cfg.sample_rate).max(1.0)) as f32,
            anchor: None,
            cfg,
        }
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

    /// The parameter block as the programs see it.
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    /// Absolute position of the next frame.
    pub fn frame(&self) -> u64 {
        self.frame
    }

    /// Fills `out` (interleaved, [`Config::channels`] per frame) with the next frames.
    /// Applies every pending message first (swapping to the newest program). Audio
    /// thread: never allocates, frees, locks or blocks.
    pub fn process(&mut self, out: &mut [f32]) {
        let _ftz = FlushDenormals::new();
        let t0 = self.cfg.timing.then(Instant::now);
        self.take_messages();
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
            self.apply_hush(chunk);
            peak = chunk.iter().fold(peak, |m, x| m.max(x.abs()));
            for tap in &mut self.taps {
                if tap.source == TapSource::Output {
                    tap.push_frames(chunk, dc);
                }
            }
            self.frame += frames as u64;
        }
        let frames = (out.len() / dc) as u64;
        let cycle = self
            .current
            .program
            .borrow()
            .cycle(&self.current.state, self.frame);
        self.stats.cycle.store(cycle.to_bits(), Relaxed);
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

    /// Applies every pending message in order. Programs are installed, migrating state
    /// through each plan in commit order (only the newest runs); the replaced programs
    /// go back to the control side. During a crossfade programs wait.
    fn take_messages(&mut self) {
        let mut swap = Swap::default();
        if self.fading.is_none() {
            // Those that waited for the last crossfade come first: they were sent first.
            while !self.waiting.is_empty() {
                let next = self.waiting.remove(0);
                self.install(next, &mut swap);
            }
        }
        while let Ok(m) = self.incoming.pop() {
            match m {
                Message::Program(slot) if self.fading.is_some() => self.waiting.push(slot),
                Message::Program(slot) => self.install(slot, &mut swap),
                Message::Param { slot, value } => {
                    if let Some(p) = self.params.get_mut(slot as usize) {
                        *p = value;
                        self.stats.params.fetch_add(1, Relaxed);
                    }
                }
                Message::Default { slot, value } => {
                    if let Some(p) = self.params.get_mut(slot as usize) {
                        *p = value;
                    }
                }
                Message::Hush(on) => self.hushed = on,
                Message::Clock(a) => {
                    self.anchor = Some(a);
                    let cur = &mut self.current;
                    cur.program.borrow().anchor_clock(&mut cur.state, &a);
                    if let Some((old, _)) = &mut self.fading {
                        old.program.borrow().anchor_clock(&mut old.state, &a);
                    }
                }
                Message::AddTap(tap) if self.taps.len() < MAX_TAPS => self.taps.push(tap),
                Message::AddTap(tap) => self.give_back(Returned::Tap(tap)),
                Message::RemoveTap(id) => {
                    if let Some(i) = self.taps.iter().position(|t| t.id == id) {
                        let tap = self.taps.swap_remove(i);
                        self.give_back(Returned::Tap(tap));
                    }
                }
            }
        }
        self.finish_swap(swap);
    }

    /// Makes `next` the running program, its state migrated from the running one. The
    /// program that was running when the block started is kept in `swap` (it may fade
    /// out); any program installed and replaced within the same block goes back.
    fn install(&mut self, mut next: Box<Slot<P>>, swap: &mut Swap<P>) {
        apply(&next.plan, &self.current.state, &mut next.state);
        // An outside clock keeps its hold over edits: the migrated clock carries the
        // anchor already (and then this changes nothing); a program that gains its first
        // clock starts on the line.
        if let Some(a) = &self.anchor {
            next.program.borrow().anchor_clock(&mut next.state, a);
        }
        swap.fresh |= next.plan.has_fresh();
        let old = std::mem::replace(&mut self.current, next);
        match swap.playing {
            None => swap.playing = Some(old),
            Some(_) => self.give_back(Returned::Program(old)),
        }
        swap.installed += 1;
    }

    /// After the messages of a block: fade out or give back the program that was
    /// playing, and publish the swap.
    fn finish_swap(&mut self, swap: Swap<P>) {
        let Some(old) = swap.playing else { return };
        if swap.fresh && self.cfg.xfade_frames > 0 {
            self.fading = Some((old, 0));
        } else {
            self.give_back(Returned::Program(old));
        }
        let at = self.stats.epoch.elapsed().as_nanos() as u64;
        self.stats.swap_at_ns.store(at, Release);
        self.stats
            .generation
            .store(self.current.generation, Release);
        self.stats.swaps.fetch_add(swap.installed, Relaxed);
    }

    /// Scales the output by the hush gain, fading it toward its target frame by frame.
    fn apply_hush(&mut self, chunk: &mut [f32]) {
        let target = if self.hushed { 0.0 } else { 1.0 };
        if self.gain == target && target == 1.0 {
            return;
        }
        let dc = self.cfg.channels;
        for frame in chunk.chunks_exact_mut(dc) {
            self.gain = if self.gain < target {
                (self.gain + self.hush_step).min(target)
            } else {
                (self.gain - self.hush_step).max(target)
            };
            for x in frame {
                *x *= self.gain;
            }
        }
    }

    /// Whether the output is hushed (or fading out).
    pub fn hushed(&self) -> bool {
        self.hushed
    }

    fn give_back(&mut self, r: Returned<P>) {
        if let Err(rtrb::PushError::Full(r)) = self.retired.push(r) {
            // Cannot happen: the control side never has more things outstanding than
            // the return queue holds. Leaking beats freeing on the audio thread.
            std::mem::forget(r);
        }
    }

    fn run_current(&mut self, chunk: &mut [f32], frames: usize) {
        let dc = self.cfg.channels;
        let ctx = RunContext {
            frame: self.frame,
            params: &self.params,
            guard: self.cfg.guard,
            stats: &self.stats,
        };
        let cur = &mut self.current;
        let pc = cur.channels;
        let own = if pc == dc {
            cur.run(chunk, &ctx);
            &*chunk
        } else {
            let src = cur.run_scratch(frames, &ctx);
            map_channels(src, pc, chunk, dc);
            &cur.scratch[..frames * pc]
        };
        for tap in &mut self.taps {
            if let TapSource::Outputs { width } = tap.source {
                tap.push_reshaped(own, pc, frames, width);
            }
        }
        let have = cur.program.borrow().ir.taps.len();
        for tap in &mut self.taps {
            if let TapSource::Program { width } = tap.source {
                tap.push_reshaped(cur.tapped(frames), have, frames, width);
            }
        }
    }

    fn mix_fading(&mut self, chunk: &mut [f32], frames: usize) {
        if self.fading.is_none() {
            return;
        }
        let ctx = RunContext {
            frame: self.frame,
            params: &self.params,
            guard: self.cfg.guard,
            stats: &self.stats,
        };
        let Some((old, done)) = &mut self.fading else {
            return;
        };
        let dc = self.cfg.channels;
        let pc = old.channels;
        let len = self.cfg.xfade_frames;
        let src = old.run_scratch(frames, &ctx);
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
            self.give_back(Returned::Program(old));
        }
    }
}

/// What the messages of one block did to the running program.
struct Swap<P> {
    /// The program that was running when the block started, if it was replaced.
    playing: Option<Box<Slot<P>>>,
    /// Some installed program starts state the old one did not have.
    fresh: bool,
    /// Programs installed.
    installed: u64,
}

impl<P> Default for Swap<P> {
    fn default() -> Self {
        Swap {
            playing: None,
            fresh: false,
            installed: 0,
        }
    }
}
