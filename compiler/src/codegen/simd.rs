//! Bank voices two to an `f64x2` vector. Every vector op used here is, lane by lane,
//! exactly the scalar op the one-voice code would run (IEEE add, mul, div, fma, sqrt,
//! floor, nearest are; comparisons give masks), so a vectorised bank's output is the
//! scalar bank's bit for bit. Templates calling library functions, or with noise or
//! delays, stay scalar.

use super::libm;
use super::translate::Translator;
use crate::ir::{BinOp, Op, Program, UnOp};
use crate::passes::banks::Bank;
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, ConstantData, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::FunctionBuilder;

/// `v` as a value of type `ty`: an `f64`, or an `f64x2` with `v` in both lanes.
pub fn constant(fb: &mut FunctionBuilder, ty: Type, v: f64) -> Value {
    if ty == types::F64X2 {
        let bytes: Vec<u8> = [v, v].iter().flat_map(|x| x.to_le_bytes()).collect();
        let c = fb.func.dfg.constants.insert(ConstantData::from(bytes));
        fb.ins().vconst(types::F64X2, c)
    } else {
        fb.ins().f64const(v)
    }
}

/// Whether every op of a bank's template has an exact lane-wise vector form.
pub fn vectorisable(t: &Program) -> bool {
    t.nodes.iter().all(|op| match *op {
        Op::Const(_) | Op::Read(_) | Op::Param(_) | Op::Select(..) => true,
        Op::Unary(op, _) => op != UnOp::Lcg && libm::unary_symbol(op).is_none(),
        Op::Binary(op, _, _) => libm::binary_symbol(op).is_none(),
        Op::Delay { .. } | Op::Pattern { .. } | Op::Sample { .. } => false,
    })
}

/// A vectorised bank's constants: each pair of voices' rows interleaved, so parameter
/// `p` of voices `2q, 2q + 1` is one 16-byte load at `(2q·params + 2p)·8`. A pair
/// occupies the bytes of its two rows, so an odd last voice's row stays where it was.
pub fn table(b: &Bank) -> Vec<f64> {
    let mut t = b.table.clone();
    let rows = 2 * b.params;
    for (to, from) in t.chunks_exact_mut(rows).zip(b.table.chunks_exact(rows)) {
        for p in 0..b.params {
            to[2 * p] = from[p];
            to[2 * p + 1] = from[b.params + p];
        }
    }
    t
}

impl Translator<'_, '_> {
    /// A comparison's lane mask as the values 1.0 and 0.0.
    pub(super) fn mask_value(&mut self, mask: Value) -> Value {
        let bits = self
            .fb
            .ins()
            .bitcast(types::F64X2, MemFlagsData::new(), mask);
        let one = constant(self.fb, types::F64X2, 1.0);
        self.fb.ins().band(bits, one)
    }

    /// Per lane, `a` where the comparison mask is set, else `b`.
    pub(super) fn vselect(&mut self, mask: Value, a: Value, b: Value) -> Value {
        let m = self
            .fb
            .ins()
            .bitcast(types::F64X2, MemFlagsData::new(), mask);
        self.fb.ins().bitselect(m, a, b)
    }

    /// `min`/`max` lane-wise as the scalar code computes them. On x64 Cranelift's vector
    /// form agrees on numbers and on ±0 but returns a canonical NaN, where the scalar one
    /// returns `y + x` (which keeps an input NaN's sign and payload); so does this.
    /// Elsewhere (aarch64) both are the same native instruction.
    pub(super) fn vmin_max(&mut self, op: BinOp, x: Value, y: Value) -> Value {
        let r = match op {
            BinOp::Min => self.fb.ins().fmin(x, y),
            _ => self.fb.ins().fmax(x, y),
        };
        if !cfg!(target_arch = "x86_64") {
            return r;
        }
        let nan = self.fb.ins().fcmp(FloatCC::Unordered, x, y);
        let sum = self.fb.ins().fadd(y, x);
        self.vselect(nan, sum, r)
    }
}
