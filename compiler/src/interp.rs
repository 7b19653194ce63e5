//! A tree-walking interpreter of the IR: the per-sample recursive evaluation that
//! Phonon-style engines do, kept as the baseline that shows what the JIT buys and as an
//! independent model of the IR's semantics (it must agree with the JIT bit for bit).
//!
//! For every frame each output is evaluated by recursing from its node through its
//! inputs. Pure nodes are recomputed wherever they are reached; only what correctness
//! needs is memoised per frame: a delay writes its buffer, so it runs exactly once per
//! frame. (Nodes shared so widely that the unshared tree would be far larger than the
//! graph are memoised too, so that a DAG cannot make a frame cost exponential time.)
//! After the outputs every cell's next value is evaluated from the same snapshot and
//! then committed. The state block is the JIT's: [`crate::Program::initial_state`] and
//! [`crate::Layout`] apply unchanged.

use crate::block::Block;
use crate::ir::{self, NodeId, Op};
use crate::layout::Layout;
use crate::rt;

/// Unshared trees may be up to this many times the graph's size before shared nodes are
/// memoised too.
const TREE_BLOWUP: u64 = 4;

/// A program ready to interpret: the IR, its layout and the per-frame memo.
pub struct Interp<'p> {
    ir: &'p ir::Program,
    layout: &'p Layout,
    /// Nodes whose value is kept for the rest of the frame once computed.
    memo: Vec<bool>,
    /// Frame stamp of each memoised value (`stamp[n] == frame` means `value[n]` is fresh).
    stamp: Vec<u64>,
    value: Vec<f64>,
    frame: u64,
    /// Delay nodes, run every frame even when no output or cell reaches them.
    delays: Vec<NodeId>,
    nexts: Vec<f64>,
    /// The absolute frame being computed.
    now: u64,
    /// Per sampler: this frame's left and right.
    sampled: Vec<[f64; 2]>,
    /// The sample table used when a block brings none (the program's own).
    own_samples: *const u8,
}

impl<'p> Interp<'p> {
    /// An interpreter for `ir` over the state block described by `layout`.
    pub fn new(ir: &'p ir::Program, layout: &'p Layout) -> Self {
        let n = ir.nodes.len();
        let mut memo: Vec<bool> = ir
            .nodes
            .iter()
            .map(|op| matches!(op, Op::Delay { .. }))
            .collect();
        // Size of each node's unshared tree, counting memoised nodes as leaves.
        let tree = |memo: &[bool]| {
            let mut size = vec![0u64; n];
            for (i, op) in ir.nodes.iter().enumerate() {
                size[i] = 1 + op
                    .inputs()
                    .map(|a| if memo[a.index()] { 1 } else { size[a.index()] })
                    .fold(0u64, u64::saturating_add);
            }
            ir.roots()
                .map(|r| size[r.index()])
                .fold(0u64, u64::saturating_add)
        };
        if tree(&memo) > TREE_BLOWUP * (n as u64 + 1) {
            for (m, u) in memo.iter_mut().zip(ir.operand_uses()) {
                *m |= u > 1;
            }
        }
        let delays = (0..n)
            .filter(|&i| matches!(ir.nodes[i], Op::Delay { .. }))
            .map(|i| NodeId(i as u32))
            .collect();
        Interp {
            ir,
            layout,
            memo,
            stamp: vec![u64::MAX; n],
            value: vec![0.0; n],
            frame: 0,
            delays,
            nexts: vec![0.0; ir.cells.len()],
            now: 0,
            sampled: vec![[0.0; 2]; ir.samplers.len()],
            own_samples: std::ptr::null(),
        }
    }

    /// An interpreter for a compiled program, playing its samples when a block brings
    /// no resources (as [`crate::Program::process`] does).
    pub fn of(program: &'p crate::Program) -> Self {
        let mut i = Interp::new(&program.ir, &program.layout);
        i.own_samples = program.resources().samples;
        i
    }

    /// Renders `out.len() / channels` frames of interleaved output, advancing the state
    /// (and writing the taps) exactly as [`crate::Program::process`] does.
    pub fn process(&mut self, b: Block) {
        let defaults;
        let mut b = b;
        if b.params.is_empty() && self.layout.param_slots > 0 {
            defaults = self.ir.param_defaults();
            b = Block {
                params: &defaults,
                ..b
            };
        }
        let frames = crate::check_block(self.ir, self.layout, &b);
        let (state, params) = (b.state, b.params);
        let samples = if b.resources.samples.is_null() {
            self.own_samples
        } else {
            b.resources.samples
        } as *const kanon_samples::SampleTable;
        // SAFETY: a non-null sample table pointer is the library's, alive for the call.
        let samples = unsafe { samples.as_ref() };
        let ch = self.ir.outputs.len();
        let nt = self.ir.taps.len();
        let mut taps = b.taps;
        self.block_start(state, b.frame);
        for f in 0..frames {
            self.frame = self.frame.wrapping_add(1);
            self.now = b.frame + f as u64;
            self.run_samplers(state, samples);
            for (k, &n) in self.ir.outputs.iter().enumerate() {
                b.out[f * ch + k] = self.eval(n, state, params) as f32;
            }
            for (k, &n) in self.ir.taps.iter().enumerate() {
                let v = self.eval(n, state, params) as f32;
                if let Some(t) = taps.as_deref_mut() {
                    t[f * nt + k] = v;
                }
            }
            for i in 0..self.delays.len() {
                self.eval(self.delays[i], state, params);
            }
            for c in 0..self.ir.cells.len() {
                self.nexts[c] = self.eval(self.ir.cells[c].next, state, params);
            }
            for (slot, &v) in self.layout.cells.iter().zip(&self.nexts) {
                state[slot.offset] = v;
            }
        }
    }

    /// What the block function does first: the clock to the block's frame, the cursors
    /// checked against their tables.
    fn block_start(&mut self, state: &mut [f64], frame: u64) {
        let Some(clock) = self.ir.clock else { return };
        let c = self.layout.buffers[clock.state.index()].offset;
        rt::clock::sync(
            &mut state[c..c + rt::clock::LEN],
            frame,
            clock.cps.0,
            clock.cps.1,
            self.ir.sample_rate,
        );
        let clk: [f64; rt::clock::LEN] = state[c..c + rt::clock::LEN]
            .try_into()
            .expect("clock length");
        for pat in &self.ir.patterns {
            let at = self.layout.buffers[pat.cursor.index()].offset;
            rt::cursor::sync(&mut state[at..at + rt::cursor::LEN], &pat.table, &clk);
        }
    }

    /// Every sampler's one frame, before the frame's nodes read it.
    fn run_samplers(&mut self, state: &mut [f64], samples: Option<&kanon_samples::SampleTable>) {
        let Some(clock) = self.ir.clock else { return };
        let c = self.layout.buffers[clock.state.index()].offset;
        let clk: [f64; rt::clock::LEN] = state[c..c + rt::clock::LEN]
            .try_into()
            .expect("clock length");
        for (k, s) in self.ir.samplers.iter().enumerate() {
            let v = &self.layout.buffers[s.voices.index()];
            let cu = self.layout.buffers[s.cursor.index()].offset;
            let mut cursor: [f64; rt::sampler::LEN] = state[cu..cu + rt::sampler::LEN]
                .try_into()
                .expect("cursor length");
            let (mut l, mut r) = ([0.0], [0.0]);
            rt::sampler::render(
                &mut state[v.offset..v.offset + v.len],
                &mut cursor,
                &s.table,
                &clk,
                samples,
                self.now,
                &mut l,
                &mut r,
            );
            state[cu..cu + rt::sampler::LEN].copy_from_slice(&cursor);
            self.sampled[k] = [l[0], r[0]];
        }
    }

    /// A pattern's value or trigger at the current frame, advancing its cursor as the
    /// block function does.
    fn pattern(&mut self, state: &mut [f64], pat: crate::ir::PatId, trigger: bool) -> f64 {
        let Some(clock) = self.ir.clock else {
            return 0.0;
        };
        let c = self.layout.buffers[clock.state.index()].offset;
        let clk: [f64; rt::clock::LEN] = state[c..c + rt::clock::LEN]
            .try_into()
            .expect("clock length");
        let p = &self.ir.patterns[pat.index()];
        let at = self.layout.buffers[p.cursor.index()].offset;
        let cur = &mut state[at..at + rt::cursor::LEN];
        let now = self.now as f64;
        if now >= cur[rt::cursor::NEXT] {
            rt::cursor::advance(cur, &p.table, &clk, self.now);
        }
        if !trigger {
            cur[rt::cursor::VALUE]
        } else if cur[rt::cursor::TRIGGERED] == now {
            1.0
        } else {
            0.0
        }
    }

    /// One node's value in the current frame.
    fn eval(&mut self, n: NodeId, state: &mut [f64], params: &[f64]) -> f64 {
        let i = n.index();
        let memo = self.memo[i];
        if memo && self.stamp[i] == self.frame {
            return self.value[i];
        }
        let v = match self.ir.nodes[i] {
            Op::Const(c) => c,
            Op::Read(c) => state[self.layout.cells[c.index()].offset],
            Op::Param(slot) => params[slot as usize],
            Op::Pattern { pat, trigger } => self.pattern(state, pat, trigger),
            Op::Sample { sampler, channel } => self.sampled[sampler.index()][channel as usize],
            Op::Unary(op, a) => ir::eval_unary(op, self.eval(a, state, params)),
            Op::Binary(op, a, b) => {
                let x = self.eval(a, state, params);
                ir::eval_binary(op, x, self.eval(b, state, params))
            }
            Op::Select(c, a, b) => {
                let c = self.eval(c, state, params);
                let (x, y) = (self.eval(a, state, params), self.eval(b, state, params));
                if c != 0.0 {
                    x
                } else {
                    y
                }
            }
            Op::Delay {
                buf,
                pos,
                input,
                samples,
            } => {
                let p = self.eval(pos, state, params);
                let x = self.eval(input, state, params);
                let d = self.eval(samples, state, params);
                let slot = &self.layout.buffers[buf.index()];
                delay(&mut state[slot.offset..slot.offset + slot.len], p, x, d)
            }
        };
        if memo {
            self.stamp[i] = self.frame;
            self.value[i] = v;
        }
        v
    }
}

/// Writes `x` at position `p` of the power-of-two buffer `b`, then reads `d` samples
/// behind it with linear interpolation, as the JIT's delay does.
fn delay(b: &mut [f64], p: f64, x: f64, d: f64) -> f64 {
    let mask = b.len() as i64 - 1;
    // The position is integral, at least 0 and below 2⁵², so this is `p mod len`.
    let pb = ir::int_bits(p);
    b[(pb & mask) as usize] = x;
    // Clamped as minsd/maxsd do: NaN passes through.
    let hi = (b.len() - 2) as f64;
    let d = if hi < d { hi } else { d };
    let d = if d < 0.0 { 0.0 } else { d };
    let di = d.floor();
    let f = d - di;
    let k0 = pb.wrapping_sub(ir::int_bits(di)) & mask;
    let k1 = (k0 - 1) & mask;
    let (a, bv) = (b[k0 as usize], b[k1 as usize]);
    a + f * (bv - a)
}

/// Renders `frames` frames from the program's initial state (interleaved, f32).
pub fn render(program: &crate::Program, frames: usize) -> Vec<f32> {
    let mut state = program.initial_state();
    let mut out = vec![0.0; frames * program.channels()];
    Interp::of(program).process(Block::new(&mut state, &mut out));
    out
}
