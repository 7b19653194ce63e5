//! The control side of the engine: builds messages (programs with their state and
//! migration plan, parameter values, taps), sends them, and frees what comes back.
//! Lives on a non-audio thread; every method may allocate.

use super::message::{Message, Returned};
use super::slot::Slot;
use super::stats::{BlockTime, Committed, Stats};
use super::tap::{Tap, TapInfo, TapSource, MAX_TAPS};
use super::Config;
use crate::migrate::MigrationPlan;
use kanon_compiler::ir::ParamDecl;
use kanon_compiler::{Layout, Program};
use rtrb::{Consumer, Producer};
use std::borrow::Borrow;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

/// Why a message was not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The parameter block has no such slot.
    NoSuchSlot,
    /// The queue to the audio side is full: try again after its next block.
    QueueFull,
}

/// A program's parameters (name, slot, default).
pub(super) fn program_defaults(p: &Program) -> Vec<ParamDecl> {
    p.ir.params.clone()
}

/// Control side of the engine.
pub struct EngineHandle<P> {
    to_audio: Producer<Message<P>>,
    from_audio: Consumer<Returned<P>>,
    times: Consumer<BlockTime>,
    stats: Arc<Stats>,
    last_layout: Layout,
    next_generation: u64,
    /// Programs and taps handed to the audio side and not yet given back (including
    /// the running program).
    outstanding: usize,
    return_capacity: usize,
    max_block: usize,
    /// How many committed programs may wait for the audio side.
    queue: usize,
    /// Slots in the parameter block.
    params: usize,
    /// Taps added and not removed.
    taps: Vec<u64>,
    next_tap: u64,
    /// Per parameter slot: set from outside (then a program's default no longer applies).
    outside: Vec<bool>,
    /// Per parameter slot: the value last sent (or the initial program's default).
    sent: Vec<f64>,
    /// The parameters of the most recently committed program.
    defaults: Vec<ParamDecl>,
}

impl<P: Borrow<Program>> EngineHandle<P> {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn new(
        to_audio: Producer<Message<P>>,
        from_audio: Consumer<Returned<P>>,
        times: Consumer<BlockTime>,
        stats: Arc<Stats>,
        last_layout: Layout,
        last_defaults: Vec<ParamDecl>,
        return_capacity: usize,
        cfg: &Config,
    ) -> Self {
        EngineHandle {
            to_audio,
            from_audio,
            times,
            stats,
            last_layout,
            next_generation: 1,
            outstanding: 1,
            return_capacity,
            max_block: cfg.max_block,
            queue: cfg.queue,
            params: cfg.params,
            taps: Vec::new(),
            next_tap: 1,
            outside: vec![false; cfg.params],
            sent: vec![0.0; cfg.params],
            defaults: Vec::new(),
        }
        .with_defaults(last_defaults)
    }

    /// Records the defaults the audio side's parameter block starts with.
    fn with_defaults(mut self, defaults: Vec<ParamDecl>) -> Self {
        for d in &defaults {
            if let Some(s) = self.sent.get_mut(d.slot as usize) {
                *s = d.default;
            }
        }
        self.defaults = defaults;
        self
    }

    /// Hands a compiled program to the audio side, which swaps to it at its next block
    /// boundary, carrying state by key from the previously committed program. Builds the
    /// state block and the migration plan here, so the audio side only copies. Gives the
    /// program back if it cannot be sent now (call [`EngineHandle::collect`] and retry).
    pub fn commit(&mut self, program: P) -> Result<Committed, P> {
        self.collect();
        let waiting = self.committed_generation() - self.stats.swaps.load(Relaxed);
        if waiting >= self.queue as u64 || !self.room() {
            return Err(program);
        }
        let defaults = program_defaults(program.borrow());
        if !self.send_defaults(&defaults) {
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
        match self.to_audio.push(Message::Program(slot)) {
            Ok(()) => {
                self.last_layout = new_layout;
                self.defaults = defaults;
                self.next_generation += 1;
                self.outstanding += 1;
                Ok(info)
            }
            Err(rtrb::PushError::Full(Message::Program(slot))) => Err(slot.program),
            Err(rtrb::PushError::Full(_)) => unreachable!("pushed a program"),
        }
    }

    /// Sets slot `slot` of the parameter block to `value` from the audio side's next
    /// block on. A value set this way outlives every swap: no program's default replaces
    /// it until [`EngineHandle::reset_param`]. Fails if the slot does not exist or the
    /// queue is full (try again after the next block).
    pub fn set_param(&mut self, slot: usize, value: f64) -> Result<(), Refused> {
        if slot >= self.params {
            return Err(Refused::NoSuchSlot);
        }
        self.to_audio
            .push(Message::Param {
                slot: slot as u32,
                value,
            })
            .map_err(|_| Refused::QueueFull)?;
        self.outside[slot] = true;
        self.sent[slot] = value;
        Ok(())
    }

    /// Forgets the value set from outside for `slot`: the running program's default
    /// applies again (from the next block), and every later program's.
    pub fn reset_param(&mut self, slot: usize) -> Result<(), Refused> {
        if slot >= self.params {
            return Err(Refused::NoSuchSlot);
        }
        let was = std::mem::replace(&mut self.outside[slot], false);
        let defaults = self.defaults.clone();
        if !self.send_defaults(&defaults) {
            self.outside[slot] = was;
            return Err(Refused::QueueFull);
        }
        Ok(())
    }

    /// Fades the output to silence over [`super::processor::HUSH_FADE_SECS`] (`true`) or
    /// back (`false`); the program keeps running underneath. Fails if the queue is full.
    pub fn hush(&mut self, on: bool) -> Result<(), Refused> {
        self.to_audio
            .push(Message::Hush(on))
            .map_err(|_| Refused::QueueFull)
    }

    /// Puts the cycle clock on an outside line (Ableton Link) from the audio side's next
    /// block: `anchor.cycle` at frame `anchor.frame`, moving at `anchor.cps`. The running
    /// program's tempo stops moving the clock; later programs start on the same line.
    /// Fails if the queue is full.
    pub fn anchor_clock(&mut self, anchor: kanon_compiler::ClockAnchor) -> Result<(), Refused> {
        self.to_audio
            .push(Message::Clock(anchor))
            .map_err(|_| Refused::QueueFull)
    }

    /// The parameters of the most recently committed program (name, slot, default).
    pub fn params(&self) -> &[ParamDecl] {
        &self.defaults
    }

    /// Whether slot `slot` holds a value set from outside.
    pub fn param_is_set(&self, slot: usize) -> bool {
        self.outside.get(slot).copied().unwrap_or(false)
    }

    /// Sends each default whose slot was never set from outside and does not hold it
    /// already. False if the queue had no room for them all (those sent stay sent).
    fn send_defaults(&mut self, defaults: &[ParamDecl]) -> bool {
        for &ParamDecl {
            slot,
            default: value,
            ..
        } in defaults
        {
            let i = slot as usize;
            if i >= self.params || self.outside[i] || self.sent[i].to_bits() == value.to_bits() {
                continue;
            }
            if self
                .to_audio
                .push(Message::Default { slot, value })
                .is_err()
            {
                return false;
            }
            self.sent[i] = value;
        }
        true
    }

    /// Starts copying `source` into `ring` from the audio side's next block on. Fails
    /// (giving the ring back) when [`MAX_TAPS`] taps are running or the queue is full.
    pub fn add_tap(
        &mut self,
        source: TapSource,
        ring: Producer<f32>,
    ) -> Result<TapInfo, Producer<f32>> {
        self.collect();
        if self.taps.len() >= MAX_TAPS || !self.room() {
            return Err(ring);
        }
        let (tap, info) = Tap::new(self.next_tap, source, ring);
        match self.to_audio.push(Message::AddTap(tap)) {
            Ok(()) => {
                self.taps.push(self.next_tap);
                self.next_tap += 1;
                self.outstanding += 1;
                Ok(info)
            }
            Err(rtrb::PushError::Full(Message::AddTap(tap))) => Err((*tap).into_ring()),
            Err(rtrb::PushError::Full(_)) => unreachable!("pushed a tap"),
        }
    }

    /// Stops a tap; its ring comes back through [`EngineHandle::collect`] and is freed
    /// there. Fails if the queue is full (try again after the next block).
    pub fn remove_tap(&mut self, tap: &TapInfo) -> Result<(), Refused> {
        let Some(i) = self.taps.iter().position(|&t| t == tap.id) else {
            return Ok(());
        };
        self.to_audio
            .push(Message::RemoveTap(tap.id))
            .map_err(|_| Refused::QueueFull)?;
        self.taps.swap_remove(i);
        Ok(())
    }

    /// Whether the return queue can take one more thing handed over.
    fn room(&self) -> bool {
        self.outstanding < self.return_capacity
    }

    /// Frees the programs, states and taps the audio side gave back; returns how many
    /// programs.
    pub fn collect(&mut self) -> usize {
        let mut programs = 0;
        while let Ok(r) = self.from_audio.pop() {
            // Freed here, on the control thread: the JIT code with `free_memory`, the
            // state blocks, a tap's ring.
            match r {
                Returned::Program(slot) => {
                    programs += 1;
                    drop(slot);
                }
                Returned::Tap(tap) => drop(tap),
            }
            self.outstanding -= 1;
        }
        programs
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
