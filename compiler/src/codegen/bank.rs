//! Rolled banks: a program with banks runs in chunks of samples; in each chunk every
//! bank first runs voice by voice over the chunk, adding into a sum buffer on the stack,
//! then the main loop runs over the chunk and reads each bank's sum from its buffer.
//!
//! A voice's cells stay in registers for the whole chunk, its code exists once, and
//! its differing constants come from a table row. A few voices run side by side so
//! one voice's recurrence latency (a phase's add → floor → sub) overlaps the others'.
//! Each sample's sum is still `((-0 + v0) + v1) + …` in voice order (and `-0 + x` is
//! exactly `x`), the unrolled program's value bit for bit.
//!
//! When the template allows it ([`simd::vectorisable`]), a lane is an `f64x2` holding
//! two voices, its constants one 16-byte load from a table laid out by pairs; each
//! sample's two results are still added to the sum one after the other.

use super::emit::Frame;
use super::simd;
use super::translate::{flags, Stores, Translator};
use crate::ir::{NodeId, Op, Program};
use crate::passes::banks::Bank;
use cranelift_codegen::ir::{
    types, Block, BlockArg, InstBuilder, StackSlotData, StackSlotKind, Value,
};
use cranelift_frontend::Variable;
use cranelift_module::Module;

/// Samples per chunk: a bank's sum buffer is this many f64s on the stack (2 KiB, in L1).
const CHUNK: i64 = 256;

/// How many voices run side by side in a bank's loop (the rest, one at a time): enough
/// to hide a voice's recurrence latency, few enough that their cells fit the 16 float
/// registers. Measured on 500 saw → one-pole voices (2 cells each), ns/frame for 1, 2,
/// 4, 6 and 8 lanes: 3700, 1910, 1090, 975, 890; sine banks gain 5% from 1 to 8.
fn lanes(b: &Bank) -> usize {
    (16 / b.cell_offsets.len().max(1)).clamp(2, 8)
}

/// How many `f64x2` vectors (two voices each) run side by side in a vectorised bank.
/// Measured on 500 saw → one-pole voices, ns/frame for 2, 3, 4, 6 and 8 vectors: 362,
/// 298, 290, 314, 368; sine banks are flat (throughput-bound in the polynomial).
fn vector_lanes(b: &Bank) -> usize {
    (8 / b.cell_offsets.len().max(1)).clamp(1, 4)
}

/// The loops a bank's voices run in, in order: as many full groups as fit, then the
/// rest one lane at a time (for a vectorised bank, pairs and then an odd last voice).
fn runs(b: &Bank) -> Vec<Group> {
    let group = |lanes, width| Group { lanes, width };
    if simd::vectorisable(&b.template) {
        vec![group(vector_lanes(b), 2), group(1, 2), group(1, 1)]
    } else {
        vec![group(lanes(b), 1), group(1, 1)]
    }
}

/// How many IR nodes the block function emits (constants are not): the main program's
/// outside the banks, and each bank's template once per lane of each of its loops.
pub(super) fn emitted_nodes(p: &Program, banks: &[Bank]) -> usize {
    let ops = |p: &Program, nodes: &mut dyn Iterator<Item = NodeId>| {
        nodes.filter(|&n| !matches!(p.op(n), Op::Const(_))).count()
    };
    let all = |p: &Program| (0..p.nodes.len() as u32).map(NodeId);
    banks.iter().fold(ops(p, &mut all(p)), |n, b| {
        let lanes: usize = runs(b).iter().map(|g| g.lanes).sum();
        let template = &b.template;
        n - ops(p, &mut b.nodes.iter().copied()) + ops(template, &mut all(template)) * lanes
    })
}

impl<'a> Translator<'a, '_> {
    /// The main loop in chunks, each chunk running the banks first.
    pub(super) fn chunked(
        &mut self,
        f: &mut Frame,
        frames: Value,
        body: Block,
        exit: Block,
        in_registers: bool,
        stores: &Stores,
    ) {
        let sums: Vec<Value> = (0..self.banks.len())
            .map(|_| {
                let slot = self.fb.create_sized_stack_slot(StackSlotData::new(
                    StackSlotKind::ExplicitSlot,
                    (CHUNK * 8) as u32,
                    3,
                ));
                self.fb.ins().stack_addr(self.ptr, slot, 0)
            })
            .collect();
        let tables: Vec<Option<Value>> = self
            .tables
            .clone()
            .into_iter()
            .map(|t| {
                t.map(|id| {
                    let gv = self.module.declare_data_in_func(id, self.fb.func);
                    self.fb.ins().symbol_value(self.ptr, gv)
                })
            })
            .collect();
        self.sampler_buffers(CHUNK);
        let chunk = self.fb.create_block();
        self.fb.append_block_param(chunk, types::I64);
        let next = self.fb.create_block();
        // A chunk: `len` samples from `start`.
        let start = self.loop_enter(frames, chunk, exit);
        let left = self.fb.ins().isub(frames, start);
        let most = self.fb.ins().iconst(types::I64, CHUNK);
        let len = self.fb.ins().umin(left, most);
        for b in 0..self.banks.len() {
            self.bank(f, b, len, sums[b], tables[b]);
        }
        self.samplers(start, len);
        let zero = self.fb.ins().iconst(types::I64, 0);
        self.fb.ins().jump(body, &[BlockArg::Value(zero)]);

        self.fb.switch_to_block(body);
        let j = self.fb.block_params(body)[0];
        self.timed.chunk_index = Some(j);
        for (b, &sum) in sums.iter().enumerate() {
            let at = self.offset(sum, j, 8);
            let v = self.fb.ins().load(types::F64, flags(), at, 0);
            f.values[self.banks[b].root.index()] = Some(v);
        }
        let frame = self.fb.ins().iadd(start, j);
        self.sample(f, frame, in_registers, stores);
        let one = self.fb.ins().iconst(types::I64, 1);
        self.loop_back(body, j, one, len, next);

        self.fb.switch_to_block(next);
        self.loop_back(chunk, start, len, frames, exit);
    }

    /// Bank `b` over `len` samples into `sum[0..len]`; ends in a fresh current block.
    fn bank(&mut self, f: &Frame, b: usize, len: Value, sum: Value, table: Option<Value>) {
        // sum ← −0, the identity of IEEE addition.
        let fill = self.fb.create_block();
        self.fb.append_block_param(fill, types::I64);
        let zero = self.fb.ins().iconst(types::I64, 0);
        self.fb.ins().jump(fill, &[BlockArg::Value(zero)]);
        self.fb.switch_to_block(fill);
        let j = self.fb.block_params(fill)[0];
        let at = self.offset(sum, j, 8);
        let minus_zero = self.fb.ins().f64const(-0.0);
        self.fb.ins().store(flags(), minus_zero, at, 0);
        let voices = self.fb.create_block();
        let one = self.fb.ins().iconst(types::I64, 1);
        self.loop_back(fill, j, one, len, voices);
        self.fb.switch_to_block(voices);

        let n = self.banks[b].voices;
        let mut from = 0;
        for group in runs(&self.banks[b]) {
            let size = group.lanes * group.width;
            let to = from + (n - from) / size * size;
            if to > from {
                self.voices(f, b, from, to, group, len, sum, table);
            }
            from = to;
        }
    }

    /// Voices `from..to` of bank `b`, `group.lanes · group.width` at a time, over `len`
    /// samples.
    #[allow(clippy::too_many_arguments)]
    fn voices(
        &mut self,
        main: &Frame,
        b: usize,
        from: usize,
        to: usize,
        group: Group,
        len: Value,
        sum: Value,
        table: Option<Value>,
    ) {
        let Group { lanes, width } = group;
        let ty = if width == 2 { types::F64X2 } else { types::F64 };
        let banks: &'a [Bank] = self.banks;
        let bank = &banks[b];
        let template = &bank.template;
        let (stride, params) = (bank.stride as i64, bank.params as i64);
        let cell_offsets = bank.cell_offsets.clone();
        let inputs = bank.externals.len() + bank.params;
        let head = self.fb.create_block();
        self.fb.append_block_param(head, types::I64);
        let samples = self.fb.create_block();
        self.fb.append_block_param(samples, types::I64);
        let tail = self.fb.create_block();
        let after = self.fb.create_block();
        let first = self.fb.ins().iconst(types::I64, from as i64);
        self.fb.ins().jump(head, &[BlockArg::Value(first)]);

        // Per group of voices: their cells into variables, their constants into values.
        self.fb.switch_to_block(head);
        let v = self.fb.block_params(head)[0];
        let cells_at = self.offset(self.state, v, stride * 8);
        let row = table.map(|t| self.offset(t, v, params * 8));
        // The state-block offset of cell `off` of element `e` of lane `l`.
        let cell_at =
            |off: usize, l: usize, e: usize| ((off + (l * width + e) * stride as usize) * 8) as i32;
        let mut inputs_in = vec![None; bank.externals.len()];
        for (k, e) in bank.externals.iter().enumerate() {
            let x = main.values[e.index()].expect("externals are computed before the loop");
            inputs_in[k] = Some(if width == 2 {
                self.fb.ins().splat(ty, x)
            } else {
                x
            });
        }
        let mut lane_cells = Vec::new();
        for l in 0..lanes {
            let vars: Vec<Option<Variable>> = cell_offsets
                .iter()
                .map(|&off| {
                    let var = self.fb.declare_var(ty);
                    let x = self
                        .fb
                        .ins()
                        .load(types::F64, flags(), cells_at, cell_at(off, l, 0));
                    let x = if width == 2 {
                        let y =
                            self.fb
                                .ins()
                                .load(types::F64, flags(), cells_at, cell_at(off, l, 1));
                        let x = self.fb.ins().scalar_to_vector(ty, x);
                        self.fb.ins().insertlane(x, y, 1)
                    } else {
                        x
                    };
                    self.fb.def_var(var, x);
                    Some(var)
                })
                .collect();
            lane_cells.push(vars);
        }
        let zero = self.fb.ins().iconst(types::I64, 0);
        self.fb.ins().jump(samples, &[BlockArg::Value(zero)]);

        // One sample of every voice in the group, added to the sum in voice order.
        self.fb.switch_to_block(samples);
        let j = self.fb.block_params(samples)[0];
        let mut results = Vec::new();
        let mut nexts = Vec::new();
        for (l, cells) in lane_cells.iter().enumerate() {
            // A fresh frame per lane: nothing may carry over from another lane.
            let mut lane = Frame::new(template, cells.clone(), ty);
            lane.values[..inputs_in.len()].copy_from_slice(&inputs_in);
            // Loaded here, next to their use, so x64 reads them as memory operands
            // instead of holding a register each across the loop. A vector's are its
            // two voices' (see [`simd::table`]).
            for p in 0..params {
                let at = ((l as i64 * params + p) * 8 * width as i64) as i32;
                let row = row.expect("a bank with parameters has a table");
                let x = self.fb.ins().load(ty, flags(), row, at);
                lane.values[bank.externals.len() + p as usize] = Some(x);
            }
            for n in inputs..template.nodes.len() {
                if !matches!(template.nodes[n], Op::Const(_)) {
                    self.node(&mut lane, NodeId(n as u32));
                }
            }
            results.push(self.value(&lane, template.outputs[0]));
            let next: Vec<Value> = template
                .cells
                .iter()
                .map(|c| self.value(&lane, c.next))
                .collect();
            nexts.push(next);
        }
        let at = self.offset(sum, j, 8);
        let mut acc = self.fb.ins().load(types::F64, flags(), at, 0);
        for r in results {
            for e in 0..width {
                let x = if width == 2 {
                    self.fb.ins().extractlane(r, e as u8)
                } else {
                    r
                };
                acc = self.fb.ins().fadd(acc, x);
            }
        }
        self.fb.ins().store(flags(), acc, at, 0);
        for (vars, next) in lane_cells.iter().zip(nexts) {
            for (var, x) in vars.iter().zip(next) {
                self.fb.def_var(var.expect("a voice cell"), x);
            }
        }
        let one = self.fb.ins().iconst(types::I64, 1);
        self.loop_back(samples, j, one, len, tail);

        // The group's cells back to the state block, then the next group.
        self.fb.switch_to_block(tail);
        for (l, vars) in lane_cells.iter().enumerate() {
            for (&off, var) in cell_offsets.iter().zip(vars) {
                let x = self.fb.use_var(var.expect("a voice cell"));
                for e in 0..width {
                    let y = if width == 2 {
                        self.fb.ins().extractlane(x, e as u8)
                    } else {
                        x
                    };
                    self.fb
                        .ins()
                        .store(flags(), y, cells_at, cell_at(off, l, e));
                }
            }
        }
        let step = self.fb.ins().iconst(types::I64, (lanes * width) as i64);
        let end = self.fb.ins().iconst(types::I64, to as i64);
        self.loop_back(head, v, step, end, after);
        self.fb.switch_to_block(after);
    }
}

/// How a bank's loop runs its voices: `lanes` values side by side, each holding `width`
/// voices (1: `f64`, 2: `f64x2`).
#[derive(Clone, Copy)]
struct Group {
    lanes: usize,
    width: usize,
}
