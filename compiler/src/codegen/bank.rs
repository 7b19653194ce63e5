//! Rolled banks: a program with banks runs in chunks of samples; in each chunk every
//! bank first runs voice by voice over the chunk, adding into a sum buffer on the stack,
//! then the main loop runs over the chunk and reads each bank's sum from its buffer.
//!
//! A voice's cells stay in registers for the whole chunk, its code exists once, and
//! its differing constants come from a table row. A few voices run side by side so
//! one voice's recurrence latency (a phase's add → floor → sub) overlaps the others'.
//! Each sample's sum is still `((-0 + v0) + v1) + …` in voice order (and `-0 + x` is
//! exactly `x`), the unrolled program's value bit for bit.

use super::{flags, Stores, Translator};
use crate::ir::{NodeId, Op};
use crate::passes::banks::Bank;
use cranelift_codegen::ir::condcodes::IntCC;
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

impl<'a> Translator<'a, '_> {
    /// The main loop in chunks, each chunk running the banks first.
    pub(super) fn chunked(
        &mut self,
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
        let chunk = self.fb.create_block();
        self.fb.append_block_param(chunk, types::I64);
        let next = self.fb.create_block();
        let zero = self.fb.ins().iconst(types::I64, 0);
        self.fb
            .ins()
            .brif(frames, chunk, &[BlockArg::Value(zero)], exit, &[]);

        // A chunk: `len` samples from `start`.
        self.fb.switch_to_block(chunk);
        let start = self.fb.block_params(chunk)[0];
        let left = self.fb.ins().isub(frames, start);
        let most = self.fb.ins().iconst(types::I64, CHUNK);
        let len = self.fb.ins().umin(left, most);
        for b in 0..self.banks.len() {
            self.bank(b, len, sums[b], tables[b]);
        }
        let zero = self.fb.ins().iconst(types::I64, 0);
        self.fb.ins().jump(body, &[BlockArg::Value(zero)]);

        self.fb.switch_to_block(body);
        let j = self.fb.block_params(body)[0];
        for (b, &sum) in sums.iter().enumerate() {
            let at = self.offset(sum, j, 8);
            let v = self.fb.ins().load(types::F64, flags(), at, 0);
            self.values[self.banks[b].root.index()] = Some(v);
        }
        let frame = self.fb.ins().iadd(start, j);
        self.sample(frame, in_registers, stores);
        let j1 = self.fb.ins().iadd_imm_s(j, 1);
        let more = self.fb.ins().icmp(IntCC::UnsignedLessThan, j1, len);
        self.fb
            .ins()
            .brif(more, body, &[BlockArg::Value(j1)], next, &[]);

        self.fb.switch_to_block(next);
        let start = self.fb.ins().iadd(start, len);
        let more = self.fb.ins().icmp(IntCC::UnsignedLessThan, start, frames);
        self.fb
            .ins()
            .brif(more, chunk, &[BlockArg::Value(start)], exit, &[]);
    }

    /// Bank `b` over `len` samples into `sum[0..len]`; ends in a fresh current block.
    fn bank(&mut self, b: usize, len: Value, sum: Value, table: Option<Value>) {
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
        let j1 = self.fb.ins().iadd_imm_s(j, 1);
        let more = self.fb.ins().icmp(IntCC::UnsignedLessThan, j1, len);
        let voices = self.fb.create_block();
        self.fb
            .ins()
            .brif(more, fill, &[BlockArg::Value(j1)], voices, &[]);
        self.fb.switch_to_block(voices);

        let n = self.banks[b].voices;
        let lanes = lanes(&self.banks[b]);
        let full = n / lanes * lanes;
        if full > 0 {
            self.voices(b, 0, full, lanes, len, sum, table);
        }
        if full < n {
            self.voices(b, full, n, 1, len, sum, table);
        }
    }

    /// Voices `from..to` of bank `b`, `lanes` at a time, over `len` samples.
    #[allow(clippy::too_many_arguments)]
    fn voices(
        &mut self,
        b: usize,
        from: usize,
        to: usize,
        lanes: usize,
        len: Value,
        sum: Value,
        table: Option<Value>,
    ) {
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
        let mut lane_cells = Vec::new();
        let mut lane_inputs = Vec::new();
        for l in 0..lanes as i64 {
            let vars: Vec<Option<Variable>> = cell_offsets
                .iter()
                .map(|&off| {
                    let var = self.fb.declare_var(types::F64);
                    let at = ((off as i64 + l * stride) * 8) as i32;
                    let x = self.fb.ins().load(types::F64, flags(), cells_at, at);
                    self.fb.def_var(var, x);
                    Some(var)
                })
                .collect();
            let mut values: Vec<Option<Value>> = vec![None; template.nodes.len()];
            for (k, e) in bank.externals.iter().enumerate() {
                values[k] = self.values[e.index()];
            }
            lane_cells.push(vars);
            lane_inputs.push(values);
        }
        let zero = self.fb.ins().iconst(types::I64, 0);
        self.fb.ins().jump(samples, &[BlockArg::Value(zero)]);

        // One sample of every voice in the group, added to the sum in voice order.
        self.fb.switch_to_block(samples);
        let j = self.fb.block_params(samples)[0];
        let main = (
            self.p,
            std::mem::take(&mut self.values),
            std::mem::take(&mut self.cells),
            std::mem::replace(&mut self.fused, super::fusable(template)),
            std::mem::take(&mut self.select_bits),
        );
        self.p = template;
        let mut results = Vec::new();
        let mut nexts = Vec::new();
        for l in 0..lanes {
            self.values = lane_inputs[l].clone();
            // Per-node results are the lane's own: nothing may carry over from another.
            self.select_bits = vec![None; template.nodes.len()];
            // Loaded here, next to their use, so x64 reads them as memory operands
            // instead of holding a register each across the loop.
            for p in 0..params {
                let at = ((l as i64 * params + p) * 8) as i32;
                let row = row.expect("a bank with parameters has a table");
                let x = self.fb.ins().load(types::F64, flags(), row, at);
                self.values[bank.externals.len() + p as usize] = Some(x);
            }
            self.cells = lane_cells[l].clone();
            for n in inputs..template.nodes.len() {
                if !matches!(template.nodes[n], Op::Const(_)) {
                    self.node(NodeId(n as u32));
                }
            }
            results.push(self.value(template.outputs[0]));
            let next: Vec<Value> = template.cells.iter().map(|c| self.value(c.next)).collect();
            nexts.push(next);
        }
        (
            self.p,
            self.values,
            self.cells,
            self.fused,
            self.select_bits,
        ) = main;
        let at = self.offset(sum, j, 8);
        let mut acc = self.fb.ins().load(types::F64, flags(), at, 0);
        for r in results {
            acc = self.fb.ins().fadd(acc, r);
        }
        self.fb.ins().store(flags(), acc, at, 0);
        for (vars, next) in lane_cells.iter().zip(nexts) {
            for (var, x) in vars.iter().zip(next) {
                self.fb.def_var(var.expect("a voice cell"), x);
            }
        }
        let j1 = self.fb.ins().iadd_imm_s(j, 1);
        let more = self.fb.ins().icmp(IntCC::UnsignedLessThan, j1, len);
        self.fb
            .ins()
            .brif(more, samples, &[BlockArg::Value(j1)], tail, &[]);

        // The group's cells back to the state block, then the next group.
        self.fb.switch_to_block(tail);
        for (l, vars) in lane_cells.iter().enumerate() {
            for (&off, var) in cell_offsets.iter().zip(vars) {
                let x = self.fb.use_var(var.expect("a voice cell"));
                let at = ((off as i64 + l as i64 * stride) * 8) as i32;
                self.fb.ins().store(flags(), x, cells_at, at);
            }
        }
        let v1 = self.fb.ins().iadd_imm_s(v, lanes as i64);
        let end = self.fb.ins().iconst(types::I64, to as i64);
        let more = self.fb.ins().icmp(IntCC::UnsignedLessThan, v1, end);
        self.fb
            .ins()
            .brif(more, head, &[BlockArg::Value(v1)], after, &[]);
        self.fb.switch_to_block(after);
    }

    /// `base + index · scale`, as a pointer.
    fn offset(&mut self, base: Value, index: Value, scale: i64) -> Value {
        let off = self.fb.ins().imul_imm_s(index, scale);
        let off = self.cast_ptr(off);
        self.fb.ins().iadd(base, off)
    }
}
