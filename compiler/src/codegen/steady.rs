//! Cells at a fixed point: a cell whose next value, computed from its own value `k`
//! and constants only, is `k` again (a delay time or a parameter gliding towards a
//! constant target, once it is there). While every such cell holds its fixed point,
//! the nodes computed from them and constants alone are constants too; a block function
//! with a plain sample loop (no banks, samplers or patterns) tests that once per block
//! and then runs a copy of the sample loop with those nodes folded
//! ([`Translator::versioned`]): a feedback delay's glide, clamp, floor and fraction cost
//! nothing in the usual case, and the blocks after an edit of its time glide in the
//! general loop as before. The folded values are computed by
//! [`crate::ir::eval_unary`] and [`crate::ir::eval_binary`], the interpreter's own
//! operations, so both loops give the same bits.

use super::emit::Frame;
use super::translate::{Stores, Translator};
use crate::ir::{self, Op, Program};
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, Block, InstBuilder, MemFlagsData, Value};

/// The steady cells and, per node, its value while they hold their fixed points.
pub(super) struct Steady {
    /// (cell, its fixed point).
    pub cells: Vec<(usize, f64)>,
    /// Per node: its value while the cells hold their fixed points, for the varying
    /// nodes computed from those cells and constants alone.
    pub known: Vec<Option<f64>>,
}

/// Programs need at least this many folded nodes for the copy: fewer save a handful of
/// instructions a sample for a second copy of the loop to compile (a delay folds 7).
const MIN_FOLDED: usize = 4;

/// The steady cells of `p`, when folding them saves enough (see [`MIN_FOLDED`]).
pub(super) fn find(p: &Program, varying: &[bool]) -> Option<Steady> {
    let mut cells = Vec::new();
    for (c, cell) in p.cells.iter().enumerate() {
        // The fixed point: a glide from NaN (no value yet) goes straight to its target.
        let Some(k) = fold(p, &[(c, f64::NAN)])[cell.next.index()] else {
            continue;
        };
        if k.is_nan() {
            continue;
        }
        if fold(p, &[(c, k)])[cell.next.index()].map(f64::to_bits) == Some(k.to_bits()) {
            cells.push((c, k));
        }
    }
    if cells.is_empty() {
        return None;
    }
    let mut known = fold(p, &cells);
    for (n, v) in known.iter_mut().enumerate() {
        if !varying[n] || matches!(p.nodes[n], Op::Const(_)) {
            *v = None;
        }
    }
    (known.iter().flatten().count() >= MIN_FOLDED).then_some(Steady { cells, known })
}

/// Per node: its value when the cells `assumed` hold the given values, for the nodes
/// computed from those cells and constants alone (nodes are in evaluation order).
fn fold(p: &Program, assumed: &[(usize, f64)]) -> Vec<Option<f64>> {
    let mut v: Vec<Option<f64>> = vec![None; p.nodes.len()];
    for n in 0..p.nodes.len() {
        v[n] = match p.nodes[n] {
            Op::Const(c) => Some(c),
            Op::Read(c) => assumed
                .iter()
                .find(|&&(a, _)| a == c.index())
                .map(|&(_, k)| k),
            Op::Unary(ir::UnOp::Lcg, _) => None,
            Op::Unary(op, a) => v[a.index()].map(|a| ir::eval_unary(op, a)),
            Op::Binary(op, a, b) => match (v[a.index()], v[b.index()]) {
                (Some(a), Some(b)) => Some(ir::eval_binary(op, a, b)),
                _ => None,
            },
            Op::Select(c, a, b) => match (v[c.index()], v[a.index()], v[b.index()]) {
                (Some(c), Some(a), Some(b)) => Some(if c != 0.0 { a } else { b }),
                _ => None,
            },
            _ => None,
        };
    }
    v
}

impl Translator<'_, '_> {
    /// The sample loop versioned on the steady cells: the copy with what they determine
    /// folded when each holds its fixed point at the block's start (compared bit for bit),
    /// else the general loop; both continue to `exit`.
    pub(super) fn versioned(
        &mut self,
        f: &mut Frame,
        steady: Steady,
        frames: Value,
        (body, exit): (Block, Block),
        in_registers: bool,
        stores: &Stores,
    ) {
        let mut all: Option<Value> = None;
        for &(c, k) in &steady.cells {
            let v = self.cell_value(f, c);
            let bits = self.fb.ins().bitcast(types::I64, MemFlagsData::new(), v);
            let eq = (self.fb.ins()).icmp_imm_s(IntCC::Equal, bits, k.to_bits() as i64);
            all = Some(match all {
                Some(a) => self.fb.ins().band(a, eq),
                None => eq,
            });
        }
        let (fast, general) = (self.fb.create_block(), self.fb.create_block());
        let all = all.expect("at least one steady cell");
        self.fb.ins().brif(all, fast, &[], general, &[]);
        self.fb.switch_to_block(fast);
        let mut folded = f.fork(steady.known);
        self.sample_loop(&mut folded, frames, (body, exit), in_registers, stores);
        self.fb.switch_to_block(general);
        let body = self.fb.create_block();
        self.fb.append_block_param(body, types::I64);
        self.sample_loop(f, frames, (body, exit), in_registers, stores);
    }
}
