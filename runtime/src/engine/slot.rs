//! A program with everything the audio side needs to run it, built on the control side:
//! its state block, a copy of the initial values (for resets), scratch buffers, and the
//! migration plan from the program before it. Also the non-finite guard run after each
//! of its blocks.

use super::stats::{NonFinite, Stats};
use crate::migrate::MigrationPlan;
use kanon_compiler::{Block, Program, Resources};
use std::borrow::Borrow;
use std::sync::atomic::Ordering::Relaxed;

/// One program ready for (or running on) the audio side.
pub(crate) struct Slot<P> {
    pub program: P,
    pub state: Box<[f64]>,
    pub init: Box<[f64]>,
    /// Output when the program's channels differ from the device's (or it is fading).
    pub scratch: Box<[f32]>,
    /// Where the program writes its taps (`max_block × taps`).
    pub taps: Box<[f32]>,
    pub plan: MigrationPlan,
    pub generation: u64,
    pub channels: usize,
    pub cells: usize,
}

impl<P: Borrow<Program>> Slot<P> {
    /// A slot for `program` from its initial state. Control side (allocates).
    pub fn new(program: P, plan: MigrationPlan, generation: u64, max_block: usize) -> Box<Self> {
        let p = program.borrow();
        let mut init: Box<[f64]> = p.initial_state().into();
        let channels = p.channels();
        let cells = p.layout.cells.len();
        let mut state = init.clone();
        let mut scratch: Box<[f32]> = vec![0.0; max_block * channels].into();
        let mut taps: Box<[f32]> = vec![0.0; max_block * p.ir.taps.len()].into();
        prefault(&mut init);
        prefault(&mut state);
        prefault(&mut scratch);
        prefault(&mut taps);
        Box::new(Slot {
            state,
            init,
            scratch,
            taps,
            plan,
            generation,
            channels,
            cells,
            program,
        })
    }

    /// Renders `out.len() / channels` frames at absolute frame `frame` into `out` (the
    /// program's own channels), guarded. Audio thread: no allocation.
    pub fn run(&mut self, out: &mut [f32], ctx: &RunContext) {
        let Slot {
            program,
            state,
            init,
            taps,
            cells,
            generation,
            ..
        } = self;
        let at = Where {
            generation: *generation,
            cells: *cells,
        };
        render((*program).borrow(), state, init, taps, at, out, ctx);
    }

    /// [`Slot::run`] into the slot's own scratch buffer; returns the output.
    pub fn run_scratch(&mut self, frames: usize, ctx: &RunContext) -> &[f32] {
        let n = frames * self.channels;
        let Slot {
            program,
            state,
            init,
            taps,
            cells,
            scratch,
            generation,
            ..
        } = self;
        let at = Where {
            generation: *generation,
            cells: *cells,
        };
        render(
            (*program).borrow(),
            state,
            init,
            taps,
            at,
            &mut scratch[..n],
            ctx,
        );
        &scratch[..n]
    }

    /// The taps the last block wrote, `frames × taps` interleaved.
    pub fn tapped(&self, frames: usize) -> &[f32] {
        &self.taps[..frames * self.program.borrow().ir.taps.len()]
    }
}

/// What every program block of one engine block shares.
pub(crate) struct RunContext<'a> {
    /// Absolute position of the block's first frame.
    pub frame: u64,
    /// The live parameter values.
    pub params: &'a [f64],
    /// Run the non-finite guard.
    pub guard: bool,
    /// Where the guard counts.
    pub stats: &'a Stats,
}

/// Which program a block runs: its generation and how many cells its state has.
#[derive(Clone, Copy)]
struct Where {
    generation: u64,
    cells: usize,
}

/// One guarded program block.
fn render(
    program: &Program,
    state: &mut [f64],
    init: &[f64],
    taps: &mut [f32],
    at: Where,
    out: &mut [f32],
    ctx: &RunContext,
) {
    let frames = out.len().checked_div(program.channels()).unwrap_or(0);
    let taps = &mut taps[..frames * program.ir.taps.len()];
    program.process(Block {
        state,
        out,
        frame: ctx.frame,
        params: ctx.params,
        // The program's own: its sample library.
        resources: &Resources::NONE,
        taps: Some(taps),
    });
    if ctx.guard {
        guard_block(program, state, init, at, out, ctx.stats);
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

/// The non-finite guard (see the engine's module doc) after one program block.
fn guard_block(
    program: &Program,
    state: &mut [f64],
    init: &[f64],
    at: Where,
    out: &mut [f32],
    stats: &Stats,
) {
    let cells = at.cells;
    // A cell whose initial value is NaN ("not set yet", e.g. a delay's read position
    // before its first sample) is not poisoned while it still holds that NaN.
    let bad = |v: f64, i: f64| !(v.is_finite() || v.is_nan() && i.is_nan());
    let bad_out = out.iter().any(|x| !x.is_finite());
    let bad_cells = state[..cells].iter().zip(init).any(|(&v, &i)| bad(v, i));
    if !bad_out && !bad_cells {
        return;
    }
    // Where it was seen first: the first poisoned cell (its key names the bus), else
    // the first channel with a non-finite sample.
    let found = match state[..cells]
        .iter()
        .zip(init)
        .position(|(&v, &i)| bad(v, i))
    {
        Some(cell) => NonFinite::Cell(cell),
        None => {
            let ch = program.channels().max(1);
            let i = out.iter().position(|x| !x.is_finite()).unwrap_or(0);
            NonFinite::Output(i % ch)
        }
    };
    stats.note_nonfinite(at.generation, found);
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
