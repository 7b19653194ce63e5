//! The block function's shape: the prologue that reads [`BlockIo`], the per-sample loop
//! (or, with banks, the chunked loop of [`super::bank`]), the commit of the cells after
//! each sample, and the epilogue that stores them back. The ops of one sample are emitted
//! by [`super::emit`] into a [`Frame`].

use super::emit::Frame;
use crate::block::BlockIo;
use crate::ir::{NodeId, Op, Program, UnOp};
use crate::layout::Layout;
use crate::passes::banks::Bank;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, BlockArg, FuncRef, InstBuilder, MemFlagsData, Value};
use cranelift_frontend::{FunctionBuilder, Variable};
use cranelift_jit::JITModule;
use cranelift_module::{DataId, FuncId, Module};
use std::collections::HashMap;
use std::mem::offset_of;

/// Programs with at most this many cells keep them all in registers across the loop;
/// larger ones keep them in the state block (a load at the read, a store right after
/// the new value is known). x64 has 16 float registers: past about a dozen loop-carried
/// values the allocator spills them around every use anyway (measured: a 16-voice bank
/// ran 45 → 25 ns/frame in memory, while Lorenz's 3 cells run 1.7× faster in registers).
const MAX_REGISTER_CELLS: usize = 12;

/// Memory flags for the state block, the output and the tables: aligned, never trapping.
pub(super) fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// The function-wide context of one block function being emitted.
pub(super) struct Translator<'a, 'b> {
    pub fb: &'a mut FunctionBuilder<'b>,
    pub p: &'a Program,
    pub layout: &'a Layout,
    pub module: &'a mut JITModule,
    imports: &'a HashMap<&'static str, FuncId>,
    /// Functions imported into this function so far (only those it calls).
    calls: HashMap<&'static str, FuncRef>,
    pub ptr: types::Type,
    /// Per node: does it change from sample to sample?
    pub varying: Vec<bool>,
    /// The state block.
    pub state: Value,
    /// The output buffer.
    pub out: Value,
    /// The parameter block.
    pub params: Value,
    /// The tap buffer (only read when the program has taps).
    pub taps: Value,
    /// The banks rolled into loops (see [`crate::passes::banks`]).
    pub banks: &'a [Bank],
    /// Per node: computed by a bank, not by the main loop.
    pub in_bank: Vec<bool>,
    /// Per bank: its constants table, as data in the module.
    pub tables: Vec<Option<DataId>>,
    /// Patterns and samplers: their tables in the module, their buffers, the clock.
    pub timed: Timed,
    /// Per node: varying only through pattern values (see [`stepped`]).
    stepped: Vec<bool>,
    /// Per sine (`sintau`, `sin`, `cos`) of the sample loop: the next one there, which
    /// it may compute alongside (see `emit::sin_pair`).
    pub sin_next: Vec<Option<NodeId>>,
    /// Emitting the first sample of an unrolled pair: a phase's sine may be computed
    /// with the second sample's (see [`Translator::unrolled`]).
    pub cross: bool,
}

/// What the compile found before translating: which nodes vary per sample, the banks to
/// roll, each bank's constants table in the module, and the pattern and sampler tables.
pub(super) struct Rolled<'a> {
    pub varying: Vec<bool>,
    pub banks: &'a [Bank],
    pub tables: Vec<Option<DataId>>,
    pub pattern_tables: Vec<DataId>,
    pub sampler_tables: Vec<DataId>,
}

/// What the block function needs for patterns and samplers (all set in the prologue,
/// except the frame of the sample being emitted and the chunk index).
#[derive(Default)]
pub(super) struct Timed {
    pub pattern_data: Vec<DataId>,
    pub sampler_data: Vec<DataId>,
    /// The absolute frame of the block's first frame.
    pub frame0: Option<Value>,
    /// The clock buffer.
    pub clock: Option<Value>,
    /// Per pattern: (cursor, table).
    pub patterns: Vec<(Value, Value)>,
    /// Per sampler: its left and right chunk buffers (stack slots).
    pub sampler_bufs: Vec<(Value, Value)>,
    /// The sample table (null without a library).
    pub samples: Option<Value>,
    /// The absolute frame of the sample being emitted, as i64 and as f64.
    pub frame: Option<(Value, Value)>,
    /// The index of the sample within its chunk (chunked loops only).
    pub chunk_index: Option<Value>,
    /// The first frame at which some pattern's cursor must advance (−1 at a block's
    /// start, so its first frame computes the steps): one comparison a frame for all
    /// patterns.
    pub next_step: Option<Variable>,
    /// Per stepped node used outside the stepped nodes: its place (in f64s) in the
    /// step slot, where its value waits between steps.
    pub held: Vec<Option<i32>>,
    /// The step slot's address.
    pub step_slot: Option<Value>,
    /// Emitting the inner loop of [`Translator::segmented`]: steps are taken at the
    /// segment's start, not per sample.
    pub segmented: bool,
}

/// Per node: whether it varies only through pattern values (piecewise constant): a
/// pattern's value, or a node whose varying inputs are all stepped. These are computed
/// only on frames where a pattern steps and held in the step slot otherwise, so
/// `lpf "400 800"`'s coefficients cost nothing between steps. A cell's next value is
/// never stepped (its store must come after its read every frame).
pub(super) fn stepped(p: &Program, varying: &[bool]) -> Vec<bool> {
    let mut next_of_cell = vec![false; p.nodes.len()];
    for c in &p.cells {
        next_of_cell[c.next.index()] = true;
    }
    let mut step = vec![false; p.nodes.len()];
    for (i, op) in p.nodes.iter().enumerate() {
        step[i] = !next_of_cell[i]
            && match op {
                Op::Pattern { trigger, .. } => !trigger,
                Op::Unary(crate::ir::UnOp::Lcg, _)
                | Op::Read(_)
                | Op::Delay { .. }
                | Op::Sample { .. }
                | Op::Const(_)
                | Op::Param(_) => false,
                op => varying[i] && op.inputs().all(|n| step[n.index()] || !varying[n.index()]),
            };
    }
    step
}

/// When the main loop stores cells that live in memory.
pub(super) struct Stores {
    /// After computing node n, the cells to store.
    after: Vec<Vec<usize>>,
    /// At the end of the sample, the cells whose next value is loop-invariant.
    at_end: Vec<usize>,
}

impl<'a, 'b> Translator<'a, 'b> {
    pub fn new(
        fb: &'a mut FunctionBuilder<'b>,
        p: &'a Program,
        layout: &'a Layout,
        module: &'a mut JITModule,
        imports: &'a HashMap<&'static str, FuncId>,
        ptr: types::Type,
        rolled: Rolled<'a>,
    ) -> Self {
        let none = Value::from_u32(0); // replaced in translate()
        Translator {
            fb,
            p,
            layout,
            module,
            imports,
            calls: HashMap::new(),
            ptr,
            varying: rolled.varying,
            state: none,
            out: none,
            params: none,
            taps: none,
            banks: rolled.banks,
            in_bank: vec![false; p.nodes.len()],
            tables: rolled.tables,
            timed: Timed {
                pattern_data: rolled.pattern_tables,
                sampler_data: rolled.sampler_tables,
                ..Timed::default()
            },
            stepped: Vec::new(),
            sin_next: Vec::new(),
            cross: false,
        }
    }

    /// Whether node `n` of the main program is computed every sample in the sample loop
    /// (not once per block, in a bank or in the step block).
    pub(super) fn per_sample(&self, n: usize) -> bool {
        self.varying[n] && !self.in_bank[n] && !self.stepped.get(n).copied().unwrap_or(false)
    }

    /// A field of the [`BlockIo`] argument.
    fn io_field(&mut self, io: Value, ty: types::Type, offset: usize) -> Value {
        self.fb.ins().load(ty, flags(), io, offset as i32)
    }

    /// Emits the whole block function.
    pub fn translate(&mut self) {
        let entry = self.fb.create_block();
        let body = self.fb.create_block();
        let exit = self.fb.create_block();
        self.fb.append_block_params_for_function_params(entry);
        self.fb.append_block_param(body, types::I64);
        self.fb.switch_to_block(entry);
        let io = self.fb.block_params(entry)[0];
        let ptr = self.ptr;
        self.state = self.io_field(io, ptr, offset_of!(BlockIo, state));
        self.out = self.io_field(io, ptr, offset_of!(BlockIo, out));
        let frames = self.io_field(io, types::I64, offset_of!(BlockIo, frames));
        if self.p.nodes.iter().any(|op| matches!(op, Op::Param(_))) {
            self.params = self.io_field(io, ptr, offset_of!(BlockIo, params));
        }
        if !self.p.taps.is_empty() {
            self.taps = self.io_field(io, ptr, offset_of!(BlockIo, taps));
        }
        self.timed_prologue(io);
        self.stepped = stepped(self.p, &self.varying);
        if !self.p.patterns.is_empty() {
            let next = self.fb.declare_var(types::F64);
            let start = self.fb.ins().f64const(-1.0);
            self.fb.def_var(next, start);
            self.timed.next_step = Some(next);
            // Held in memory, not in variables: a filter's five coefficients and two
            // phase increments in registers across the loop would spill the cells.
            let p = self.p;
            let mut used_outside = vec![false; p.nodes.len()];
            for (i, op) in p.nodes.iter().enumerate() {
                if !self.stepped[i] {
                    for n in op.inputs() {
                        used_outside[n.index()] = true;
                    }
                    // A select tests a comparison's operands itself (`emit::select`), so
                    // a stepped comparison's operands must reach it too.
                    if let Op::Select(c, _, _) = *op {
                        if let Op::Binary(_, l, r) = p.nodes[c.index()] {
                            used_outside[l.index()] = true;
                            used_outside[r.index()] = true;
                        }
                    }
                }
            }
            for n in p.roots() {
                used_outside[n.index()] = true;
            }
            let mut k = 0;
            self.timed.held = (0..p.nodes.len())
                .map(|n| {
                    (self.stepped[n] && used_outside[n]).then(|| {
                        k += 1;
                        (k - 1) * 8
                    })
                })
                .collect();
            if k > 0 {
                let slot =
                    self.fb
                        .create_sized_stack_slot(cranelift_codegen::ir::StackSlotData::new(
                            cranelift_codegen::ir::StackSlotKind::ExplicitSlot,
                            (k * 8) as u32,
                            3,
                        ));
                self.timed.step_slot = Some(self.fb.ins().stack_addr(self.ptr, slot, 0));
            }
        }
        let state = self.state;

        let mut bank_cell = vec![false; self.p.cells.len()];
        for b in self.banks {
            for n in &b.nodes {
                self.in_bank[n.index()] = true;
            }
            for c in &b.cells {
                bank_cell[c.index()] = true;
            }
        }
        // Cells live in variables for the whole call (when there are few enough).
        let main_cells = bank_cell.iter().filter(|&&b| !b).count();
        let in_registers = main_cells <= MAX_REGISTER_CELLS;
        let mut cells = Vec::new();
        for (i, slot) in self.layout.cells.iter().enumerate() {
            debug_assert_eq!(slot.offset, i);
            if !in_registers || bank_cell[i] {
                cells.push(None);
                continue;
            }
            let var = self.fb.declare_var(types::F64);
            let v = self
                .fb
                .ins()
                .load(types::F64, flags(), state, (slot.offset * 8) as i32);
            self.fb.def_var(var, v);
            cells.push(Some(var));
        }
        let p = self.p;
        self.sin_next = vec![None; p.nodes.len()];
        let mut last: Option<usize> = None;
        for n in 0..p.nodes.len() {
            if matches!(
                p.nodes[n],
                Op::Unary(UnOp::SinTau | UnOp::Sin | UnOp::Cos, _)
            ) && self.per_sample(n)
            {
                if let Some(l) = last {
                    self.sin_next[l] = Some(NodeId(n as u32));
                }
                last = Some(n);
            }
        }
        let mut f = Frame::new(p, cells, types::F64);
        // A stepped multiply is computed in the step block; its user may not be.
        for (n, &st) in self.stepped.iter().enumerate() {
            if st {
                f.fused[n] = false;
            }
        }
        // Loop-invariant nodes, once per block.
        for i in 0..p.nodes.len() {
            if !self.varying[i] && !matches!(p.nodes[i], Op::Const(_)) {
                self.node(&mut f, NodeId(i as u32));
            }
        }
        let stores = self.stores(in_registers, &bank_cell);

        if self.banks.is_empty() && self.p.samplers.is_empty() && !self.p.patterns.is_empty() {
            self.segmented(&mut f, frames, exit, in_registers, &stores);
        } else if self.banks.is_empty() && self.p.samplers.is_empty() {
            match super::steady::find(self.p, &self.varying) {
                Some(steady) => {
                    self.versioned(&mut f, steady, frames, (body, exit), in_registers, &stores)
                }
                None => self.sample_loop(&mut f, frames, (body, exit), in_registers, &stores),
            }
        } else {
            self.chunked(&mut f, frames, body, exit, in_registers, &stores);
        }

        self.fb.switch_to_block(exit);
        for (slot, var) in self.layout.cells.iter().zip(f.cells.clone()) {
            let Some(var) = var else { continue };
            let v = self.fb.use_var(var);
            self.fb
                .ins()
                .store(flags(), v, state, (slot.offset * 8) as i32);
        }
        self.fb.ins().return_(&[]);
    }

    /// The sample loop over `frames` into `body` (a block with the frame index as its
    /// parameter), on to `exit`: two samples at a time when a sine can pair across them
    /// and the cells are in registers, else one.
    pub(super) fn sample_loop(
        &mut self,
        f: &mut Frame,
        frames: Value,
        (body, exit): (Block, Block),
        in_registers: bool,
        stores: &Stores,
    ) {
        if in_registers && self.pairs_across(f) {
            self.unrolled(f, frames, body, exit, stores);
            return;
        }
        let i = self.loop_enter(frames, body, exit);
        self.sample(f, i, in_registers, stores);
        let one = self.fb.ins().iconst(types::I64, 1);
        self.loop_back(body, i, one, frames, exit);
    }

    /// Whether one of the sample loop's sines could be computed together with the next
    /// sample's (see [`Translator::cross_input`]).
    fn pairs_across(&self, f: &Frame) -> bool {
        (0..self.p.nodes.len()).any(|n| self.per_sample(n) && self.cross_input(f, n).is_some())
    }

    /// For a sine of the sample loop whose input is a cell's value, held in a register,
    /// and whose next value is computed before the sine: that next value, the next
    /// sample's input.
    pub(super) fn cross_input(&self, f: &Frame, n: usize) -> Option<NodeId> {
        let p = self.p;
        let Op::Unary(UnOp::SinTau | UnOp::Sin | UnOp::Cos, a) = p.nodes[n] else {
            return None;
        };
        let Op::Read(c) = p.nodes[a.index()] else {
            return None;
        };
        f.cells[c.index()]?;
        let next = p.cells[c.index()].next;
        let i = next.index();
        let ready = p.constant(next).is_some()
            || f.known(next).is_some()
            || !self.varying[i]
            || (self.per_sample(i) && !f.fused[i] && i < n);
        ready.then_some(next)
    }

    /// The sample loop two samples at a time (then one, for an odd block): the first
    /// sample's phase sines are computed with the second's as the two lanes of one
    /// `f64x2` sine (`emit::sin_pair`), lane by lane the same operations, so the same
    /// bits at any block size for half the polynomial's instructions. Only with the cells
    /// in registers, so the second sample reads the first's new values with no store.
    fn unrolled(
        &mut self,
        f: &mut Frame,
        frames: Value,
        body: Block,
        exit: Block,
        stores: &Stores,
    ) {
        let tail_check = self.fb.create_block();
        let tail = self.fb.create_block();
        let even = self.fb.ins().band_imm_s(frames, -2);
        let i = self.loop_enter(even, body, tail_check);
        self.cross = true;
        self.sample(f, i, true, stores);
        self.cross = false;
        let i1 = self.fb.ins().iadd_imm_s(i, 1);
        self.sample(f, i1, true, stores);
        debug_assert!(f.paired.iter().all(Option::is_none));
        let two = self.fb.ins().iconst(types::I64, 2);
        self.loop_back(body, i, two, even, tail_check);
        self.fb.switch_to_block(tail_check);
        let odd = self.fb.ins().band_imm_s(frames, 1);
        self.fb.ins().brif(odd, tail, &[], exit, &[]);
        self.fb.switch_to_block(tail);
        let last = self.fb.ins().iadd_imm_s(frames, -1);
        self.sample(f, last, true, stores);
        self.fb.ins().jump(exit, &[]);
    }

    /// A cell kept in memory is stored as soon as its next value and its read (one node,
    /// after CSE) have both been computed: storing later would keep thousands of values
    /// live across the loop body.
    fn stores(&self, in_registers: bool, bank_cell: &[bool]) -> Stores {
        let mut stores = Stores {
            after: vec![Vec::new(); self.p.nodes.len()],
            at_end: Vec::new(),
        };
        if in_registers {
            return stores;
        }
        let mut read_at = vec![None; self.p.cells.len()];
        for (n, op) in self.p.nodes.iter().enumerate() {
            if let Op::Read(c) = op {
                read_at[c.index()] = Some(n);
            }
        }
        for (c, cell) in self.p.cells.iter().enumerate() {
            if bank_cell[c] {
                continue;
            }
            let next = cell.next.index();
            let at = read_at[c].map_or(next, |r| r.max(next));
            if self.varying[at] {
                stores.after[at].push(c);
            } else {
                stores.at_end.push(c);
            }
        }
        stores
    }

    /// One sample of the main program (every varying node outside the banks) at output
    /// frame `frame`, then the commit of its cells.
    pub fn sample(&mut self, f: &mut Frame, frame: Value, in_registers: bool, stores: &Stores) {
        f.written.clear();
        if let Some(frame0) = self.timed.frame0 {
            let abs = self.fb.ins().iadd(frame0, frame);
            // Frames count from 0 and stay far below 2^63: the signed conversion is one
            // instruction where the unsigned one is a branchy sequence.
            let abs_f = self.fb.ins().fcvt_from_sint(types::F64, abs);
            self.timed.frame = Some((abs, abs_f));
        }
        if self.timed.next_step.is_some() {
            if self.timed.segmented {
                self.load_held(f);
            } else {
                self.step_if_due(f);
                self.load_held(f);
            }
        }
        for n in 0..self.p.nodes.len() {
            if self.per_sample(n) {
                self.node(f, NodeId(n as u32));
                for &c in &stores.after[n] {
                    self.store_cell(f, c);
                }
            }
        }
        for &c in &stores.at_end {
            self.store_cell(f, c);
        }
        self.write_row(f, frame, self.out, &self.p.outputs.clone());
        self.write_row(f, frame, self.taps, &self.p.taps.clone());
        // Commit: every node has been computed from the old values, so the new ones can go in.
        if in_registers {
            let p = self.p;
            let owned: Vec<(Variable, NodeId)> = (0..p.cells.len())
                .filter_map(|c| Some((f.cells[c]?, p.cells[c].next)))
                .collect();
            let nexts: Vec<(Variable, Value)> = owned
                .into_iter()
                .map(|(var, next)| (var, self.value(f, next)))
                .collect();
            for (var, v) in nexts {
                self.fb.def_var(var, v);
            }
        }
    }

    /// Patterns in a loop of segments: a segment runs from a frame where some cursor
    /// steps to the frame before the next step (or the block's end), so the cursors
    /// advance and the stepped nodes are computed at a segment's start only, and the
    /// inner loop over the segment's frames has no call in it: a call clobbers every
    /// float register, which otherwise spills the cells around the whole loop (measured:
    /// four 16-step patterns cost 1.6× the constants with the step check per frame).
    fn segmented(
        &mut self,
        f: &mut Frame,
        frames: Value,
        exit: Block,
        in_registers: bool,
        stores: &Stores,
    ) {
        let frame0 = self.timed.frame0.expect("patterns have a clock");
        let segment = self.fb.create_block();
        let body = self.fb.create_block();
        let after = self.fb.create_block();
        self.fb.append_block_param(segment, types::I64);
        self.fb.append_block_param(body, types::I64);
        self.fb.append_block_param(after, types::I64);
        let frames_f = self.fb.ins().fcvt_from_sint(types::F64, frames);
        let frame0_f = self.fb.ins().fcvt_from_sint(types::F64, frame0);
        let i = self.loop_enter(frames, segment, exit);
        let abs = self.fb.ins().iadd(frame0, i);
        let abs_f = self.fb.ins().fcvt_from_sint(types::F64, abs);
        self.timed.frame = Some((abs, abs_f));
        self.step_if_due(f);
        // The segment ends at the first frame where a step is due: ⌈next⌉, relative to
        // the block, at most the block's end and at least one frame on.
        let next = self.fb.use_var(self.timed.next_step.expect("patterns"));
        let next = self.fb.ins().ceil(next);
        let rel = self.fb.ins().fsub(next, frame0_f);
        let rel = self.fb.ins().fmin(rel, frames_f);
        let end = self.fb.ins().fcvt_to_sint_sat(types::I64, rel);
        let one = self.fb.ins().iconst(types::I64, 1);
        let least = self.fb.ins().iadd(i, one);
        let end = self.fb.ins().smax(end, least);
        // The cells go through the state block at each segment's ends, so the values
        // the inner loop carries are not the ones that live across the call above: the
        // register allocator would otherwise keep them on the stack inside the loop too.
        let state = self.state;
        for (c, slot) in self.layout.cells.iter().enumerate() {
            if let Some(var) = f.cells[c] {
                let off = (slot.offset * 8) as i32;
                let v = self.fb.ins().load(types::F64, flags(), state, off);
                self.fb.def_var(var, v);
            }
        }
        self.fb.ins().jump(body, &[BlockArg::Value(i)]);

        self.fb.switch_to_block(body);
        let j = self.fb.block_params(body)[0];
        self.timed.segmented = true;
        self.sample(f, j, in_registers, stores);
        self.timed.segmented = false;
        let one = self.fb.ins().iconst(types::I64, 1);
        let next = self.fb.ins().iadd(j, one);
        let more = self.fb.ins().icmp(IntCC::SignedLessThan, next, end);
        self.fb.ins().brif(
            more,
            body,
            &[BlockArg::Value(next)],
            after,
            &[BlockArg::Value(next)],
        );

        self.fb.switch_to_block(after);
        let at = self.fb.block_params(after)[0];
        for (c, slot) in self.layout.cells.iter().enumerate() {
            if let Some(var) = f.cells[c] {
                let v = self.fb.use_var(var);
                let off = (slot.offset * 8) as i32;
                self.fb.ins().store(flags(), v, state, off);
            }
        }
        let more = self.fb.ins().icmp(IntCC::SignedLessThan, at, frames);
        self.fb
            .ins()
            .brif(more, segment, &[BlockArg::Value(at)], exit, &[]);
    }

    /// When the frame reaches the first cursor step due, every cursor due is advanced
    /// and the stepped nodes are computed again into the step slot.
    fn step_if_due(&mut self, f: &mut Frame) {
        let p = self.p;
        let next = self.timed.next_step.expect("patterns have a next step");
        let (_, abs_f) = self.timed.frame.expect("patterns run in the sample loop");
        let compute = self.fb.create_block();
        let join = self.fb.create_block();
        let due = self.fb.use_var(next);
        let now = self.fb.ins().fcmp(
            cranelift_codegen::ir::condcodes::FloatCC::GreaterThanOrEqual,
            abs_f,
            due,
        );
        self.fb.set_cold_block(compute);
        self.fb.ins().brif(now, compute, &[], join, &[]);
        self.fb.switch_to_block(compute);
        let soonest = self.advance_patterns();
        self.fb.def_var(next, soonest);
        for (n, op) in p.nodes.iter().enumerate() {
            if !self.stepped[n] || self.in_bank[n] {
                continue;
            }
            if let Op::Pattern { pat, .. } = *op {
                f.values[n] = Some(self.pattern_value(pat));
            } else {
                self.node(f, NodeId(n as u32));
            }
            if let (Some(at), Some(slot)) = (self.timed.held[n], self.timed.step_slot) {
                let v = self.value(f, NodeId(n as u32));
                self.fb.ins().store(flags(), v, slot, at);
            }
        }
        self.fb.ins().jump(join, &[]);
        self.fb.switch_to_block(join);
    }

    /// The stepped values the rest of the sample uses, read from the step slot where
    /// they wait between steps.
    fn load_held(&mut self, f: &mut Frame) {
        for n in 0..self.p.nodes.len() {
            if let (Some(at), Some(slot)) = (self.timed.held[n], self.timed.step_slot) {
                f.values[n] = Some(self.fb.ins().load(types::F64, flags(), slot, at));
                // Integer bits computed in the step block do not reach here.
                f.select_bits[n] = None;
            }
        }
    }

    /// Writes `values` as f32s into row `frame` of an interleaved buffer at `base`.
    fn write_row(&mut self, f: &Frame, frame: Value, base: Value, values: &[NodeId]) {
        if values.is_empty() {
            return;
        }
        // A shift where the row is a power of two bytes (mono, stereo): x64 folds it
        // into the store's address, where a multiply is one more instruction per frame.
        let base = self.offset(base, frame, values.len() as i64 * 4);
        for (ch, &o) in values.iter().enumerate() {
            let v = self.value(f, o);
            let s = self.fb.ins().fdemote(types::F32, v);
            self.fb.ins().store(flags(), s, base, (ch * 4) as i32);
        }
    }

    /// Stores a memory-resident cell's next value.
    fn store_cell(&mut self, f: &Frame, c: usize) {
        // A constant is stored as its bits from an integer register: one instruction
        // fewer than moving it into a float register first (a pluck's held trigger).
        if let Some(k) = self.p.constant(self.p.cells[c].next) {
            let v = self.fb.ins().iconst(types::I64, k.to_bits() as i64);
            let off = (self.layout.cells[c].offset * 8) as i32;
            self.fb.ins().store(flags(), v, self.state, off);
            return;
        }
        let v = self.value(f, self.p.cells[c].next);
        let off = (self.layout.cells[c].offset * 8) as i32;
        self.fb.ins().store(flags(), v, self.state, off);
    }

    /// A 64-bit integer as a pointer-sized one.
    pub fn cast_ptr(&mut self, v: Value) -> Value {
        if self.ptr == types::I64 {
            v
        } else {
            self.fb.ins().ireduce(self.ptr, v)
        }
    }

    /// Calls an imported function with `args`; returns its one result.
    pub fn call(&mut self, name: &'static str, args: &[Value]) -> Value {
        let inst = self.call_inst(name, args);
        self.fb.inst_results(inst)[0]
    }

    /// Calls an imported function that returns nothing.
    pub fn call_void(&mut self, name: &'static str, args: &[Value]) {
        self.call_inst(name, args);
    }

    fn call_inst(&mut self, name: &'static str, args: &[Value]) -> cranelift_codegen::ir::Inst {
        let f = match self.calls.get(name) {
            Some(&f) => f,
            None => {
                let f = self
                    .module
                    .declare_func_in_func(self.imports[name], self.fb.func);
                self.calls.insert(name, f);
                f
            }
        };
        self.fb.ins().call(f, args)
    }

    /// `base + index · scale`, as a pointer; a power-of-two scale is a shift, which x64
    /// folds into a scaled-index address.
    pub fn offset(&mut self, base: Value, index: Value, scale: i64) -> Value {
        let off = if scale > 0 && scale & (scale - 1) == 0 {
            self.fb
                .ins()
                .ishl_imm_u(index, i64::from(scale.trailing_zeros()))
        } else {
            self.fb.ins().imul_imm_s(index, scale)
        };
        let off = self.cast_ptr(off);
        self.fb.ins().iadd(base, off)
    }

    /// The start of a counted loop: on to `head` with index 0 when `count` is not zero,
    /// else to `exit`; continues in `head` and returns its index.
    pub fn loop_enter(&mut self, count: Value, head: Block, exit: Block) -> Value {
        let zero = self.fb.ins().iconst(types::I64, 0);
        self.fb
            .ins()
            .brif(count, head, &[BlockArg::Value(zero)], exit, &[]);
        self.fb.switch_to_block(head);
        self.fb.block_params(head)[0]
    }

    /// The end of a counted loop: `i + step`, then back to `head` with it while it is
    /// below `end`, else on to `exit`.
    pub fn loop_back(&mut self, head: Block, i: Value, step: Value, end: Value, exit: Block) {
        let next = self.fb.ins().iadd(i, step);
        let more = self.fb.ins().icmp(IntCC::UnsignedLessThan, next, end);
        self.fb
            .ins()
            .brif(more, head, &[BlockArg::Value(next)], exit, &[]);
    }
}
