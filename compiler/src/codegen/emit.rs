//! Emitting one sample of a program: one method per kind of IR op.
//!
//! A [`Frame`] holds what belongs to one program's sample being emitted: the values of
//! its nodes so far, its cells' variables, the value type (`f64`, or `f64x2` for a
//! vectorised bank's lane). The main loop emits into one frame; a bank emits each lane
//! into a fresh frame of its template ([`super::bank`]). The function-wide context
//! (builder, module, state pointer) is the [`Translator`].

use super::simd;
use super::translate::{flags, Translator};
use crate::ir::{BinOp, NodeId, Op, Program, UnOp};
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{types, InstBuilder, MemFlagsData, Type, Value};
use cranelift_frontend::Variable;

/// The emission state of one program's sample.
pub(super) struct Frame<'p> {
    /// The program (or bank template) being emitted.
    pub p: &'p Program,
    /// Per node: its value, once emitted.
    pub values: Vec<Option<Value>>,
    /// Per node: a select's result as the i64 bits it was selected as.
    pub select_bits: Vec<Option<Value>>,
    /// Per cell: the variable holding it, or `None` when it lives in the state block.
    pub cells: Vec<Option<Variable>>,
    /// Per node: a multiply its only user computes inside a fused multiply-add.
    pub fused: Vec<bool>,
    /// The type of every float value: `f64`, or `f64x2` for two voices at once.
    pub ty: Type,
    /// This sample's writes to delay lines so far: buffer, position and input nodes,
    /// and the position's integer bits. Taps of one line share one write.
    pub written: Vec<Written>,
    /// Per node: a sine already computed with an earlier one (see `sin_pair`).
    pub paired: Vec<Option<Value>>,
    /// Per node: a constant in this copy of the loop, its steady cells at their fixed
    /// points (see [`super::steady`]); empty elsewhere.
    pub known: Vec<Option<f64>>,
}

/// A delay line written this sample (see [`Frame::written`]).
pub(super) struct Written {
    buf: usize,
    pos: NodeId,
    input: NodeId,
    /// The position's integer bits.
    pb: Value,
    /// The clamp's bounds, len − 2 and 0.
    hi: Value,
    lo: Value,
}

impl<'p> Frame<'p> {
    /// A fresh frame for `p` with cells held as `cells`, values of type `ty`.
    pub fn new(p: &'p Program, cells: Vec<Option<Variable>>, ty: Type) -> Frame<'p> {
        Frame {
            p,
            values: vec![None; p.nodes.len()],
            select_bits: vec![None; p.nodes.len()],
            cells,
            fused: fusable(p),
            ty,
            written: Vec::new(),
            paired: vec![None; p.nodes.len()],
            known: Vec::new(),
        }
    }

    /// A copy of this frame for another copy of the sample loop, after the same
    /// prologue (the loop-invariant values), with the nodes in `known` constants.
    pub fn fork(&self, known: Vec<Option<f64>>) -> Frame<'p> {
        let mut f = Frame::new(self.p, self.cells.clone(), self.ty);
        f.values = self.values.clone();
        f.select_bits = self.select_bits.clone();
        f.fused = self.fused.clone();
        f.known = known;
        f
    }

    /// The node's value if it is a constant in this copy of the loop.
    pub fn known(&self, n: NodeId) -> Option<f64> {
        self.known.get(n.index()).copied().flatten()
    }
}

impl Translator<'_, '_> {
    /// The value of a node already emitted (constants are materialised on demand).
    pub(super) fn value(&mut self, f: &Frame, n: NodeId) -> Value {
        if let Some(c) = f.p.constant(n).or_else(|| f.known(n)) {
            // A constant per use: x64 folds it into the instruction as a memory operand,
            // and no register holds it across the loop.
            return simd::constant(self.fb, f.ty, c);
        }
        f.values[n.index()].expect("IR is in evaluation order")
    }

    /// Emits node `n` of the frame's program.
    pub(super) fn node(&mut self, f: &mut Frame, n: NodeId) {
        if f.fused[n.index()] || f.known(n).is_some() {
            return;
        }
        if let Some(v) = f.paired[n.index()].take() {
            f.values[n.index()] = Some(v);
            return;
        }
        let v = match f.p.nodes[n.index()] {
            Op::Unary(op @ (UnOp::SinTau | UnOp::Sin | UnOp::Cos), a)
                if std::ptr::eq(f.p, self.p) && f.ty == types::F64 =>
            {
                self.sin_pair(f, n, op, a)
            }
            Op::Const(_) => return,
            Op::Read(c) => self.cell_value(f, c.index()),
            Op::Param(slot) => {
                let off = (slot as usize * 8) as i32;
                self.fb.ins().load(types::F64, flags(), self.params, off)
            }
            Op::Pattern { pat, trigger } => self.pattern(pat, trigger),
            Op::Sample { sampler, channel } => self.sample_channel(sampler, channel),
            Op::Unary(op, a) => self.unary(f, op, a),
            Op::Binary(op, a, b) => self.binary(f, op, a, b),
            Op::Select(c, a, b) => self.select(f, n, c, a, b),
            Op::Delay {
                buf,
                pos,
                input,
                samples,
            } => self.delay(f, buf.index(), pos, input, samples),
        };
        f.values[n.index()] = Some(v);
    }

    /// Cell `c`'s value at the start of the sample: its variable, or a load from the
    /// state block.
    pub(super) fn cell_value(&mut self, f: &Frame, c: usize) -> Value {
        match f.cells[c] {
            Some(var) => self.fb.use_var(var),
            None => {
                let off = (self.layout.cells[c].offset * 8) as i32;
                self.fb.ins().load(types::F64, flags(), self.state, off)
            }
        }
    }

    fn unary(&mut self, f: &Frame, op: UnOp, a: NodeId) -> Value {
        let x = self.value(f, a);
        match op {
            UnOp::Sin => return super::approx::sin(self.fb, x, false),
            UnOp::Cos => return super::approx::sin(self.fb, x, true),
            UnOp::SinTau => return super::approx::sin_turns(self.fb, x),
            _ => {}
        }
        if let Some(sym) = super::libm::unary_symbol(op) {
            return self.call(sym, &[x]);
        }
        let ins = self.fb.ins();
        match op {
            UnOp::Neg => ins.fneg(x),
            UnOp::Abs => ins.fabs(x),
            UnOp::Floor => ins.floor(x),
            UnOp::Sqrt => ins.sqrt(x),
            UnOp::Lcg => {
                // The state's bits plus 2⁵²'s (see `ir::lcg`): two instructions where
                // `fcvt_to_sint_sat` is a compare-and-branch sequence.
                let s = self.int_bits(x);
                let m = self.fb.ins().iconst(types::I64, 1_664_525);
                let s = self.fb.ins().imul(s, m);
                let c = self.fb.ins().iconst(types::I64, 1_013_904_223);
                let s = self.fb.ins().iadd(s, c);
                let mask = self.fb.ins().iconst(types::I64, 0xffff_ffff);
                let s = self.fb.ins().band(s, mask);
                self.fb.ins().fcvt_from_sint(types::F64, s)
            }
            _ => unreachable!("{op:?} is a call"),
        }
    }

    /// A sine of node `a` (`sintau`, `sin` or `cos`), and with it the sample loop's next
    /// sine if its input is ready: both as the two lanes of one `f64x2` evaluation, the
    /// same operations lane by lane, so the same values as two scalar ones for half the
    /// instructions (a chorus's sine and cosine, a biquad's `sin` and `cos` of one angle).
    fn sin_pair(&mut self, f: &mut Frame, n: NodeId, op: UnOp, a: NodeId) -> Value {
        let x = self.value(f, a);
        let x = self.turns(op, x);
        let partner = self
            .sin_next
            .get(n.index())
            .copied()
            .flatten()
            .and_then(|m| {
                let Op::Unary(op, b) = f.p.op(m) else {
                    return None;
                };
                if f.known(m).is_some() {
                    return None;
                }
                let i = b.index();
                // Ready: a constant, computed once per block, earlier in this sample, or
                // a cell's value (read now: cells change only after every read of them).
                let ready = f.p.constant(b).is_some()
                    || f.known(b).is_some()
                    || !self.varying[i]
                    || (self.per_sample(i)
                        && !f.fused[i]
                        && (i < n.index() || matches!(f.p.nodes[i], Op::Read(_))));
                ready.then_some((m, op, b))
            });
        let Some((m, op, b)) = partner else {
            if self.cross {
                if let Some(next) = self.cross_input(f, n.index()) {
                    // The next sample's sine of this node, from the cell's next value.
                    let y = self.value(f, next);
                    let y = self.turns(op, y);
                    let (sx, sy) = self.sin2(x, y);
                    f.paired[n.index()] = Some(sy);
                    return sx;
                }
            }
            return super::approx::sin_turns(self.fb, x);
        };
        if b.index() > n.index() {
            // A cell read further on: read now, and that node takes this value.
            self.node(f, b);
            f.paired[b.index()] = f.values[b.index()];
        }
        let y = self.value(f, b);
        let y = self.turns(op, y);
        let (sx, sy) = self.sin2(x, y);
        f.paired[m.index()] = Some(sy);
        sx
    }

    /// `sin(2π·x)` and `sin(2π·y)` as the two lanes of one `f64x2` sine.
    fn sin2(&mut self, x: Value, y: Value) -> (Value, Value) {
        let v = self.fb.ins().scalar_to_vector(types::F64X2, x);
        let v = self.fb.ins().insertlane(v, y, 1);
        let s = super::approx::sin_turns(self.fb, v);
        let sx = self.fb.ins().extractlane(s, 0);
        let sy = self.fb.ins().extractlane(s, 1);
        (sx, sy)
    }

    /// The turns a sine op evaluates `sin(2π·t)` at (see [`super::approx::turns`]).
    fn turns(&mut self, op: UnOp, x: Value) -> Value {
        match op {
            UnOp::SinTau => x,
            _ => super::approx::turns(self.fb, x, op == UnOp::Cos),
        }
    }

    fn binary(&mut self, f: &Frame, op: BinOp, a: NodeId, b: NodeId) -> Value {
        // x64 arithmetic reads its second operand from memory: a constant there is one
        // instruction, a constant first needs two more to load it into a register.
        let commutes = matches!(op, BinOp::Add | BinOp::Mul);
        let (a, b) = if commutes && f.p.constant(a).is_some() && f.p.constant(b).is_none() {
            (b, a)
        } else {
            (a, b)
        };
        if let Some(v) = self.fma(f, op, a, b) {
            return v;
        }
        let (x, y) = (self.value(f, a), self.value(f, b));
        if let Some(sym) = super::libm::binary_symbol(op) {
            return self.call(sym, &[x, y]);
        }
        if let Some(cc) = compare_cc(op) {
            let c = self.fb.ins().fcmp(cc, x, y);
            if f.ty.is_vector() {
                return self.mask_value(c);
            }
            let one = self.fb.ins().iconst(types::I64, 1.0f64.to_bits() as i64);
            let zero = self.fb.ins().iconst(types::I64, 0);
            let bits = self.fb.ins().select(c, one, zero);
            return self.fb.ins().bitcast(types::F64, MemFlagsData::new(), bits);
        }
        if f.ty.is_vector() && matches!(op, BinOp::Min | BinOp::Max) {
            return self.vmin_max(op, x, y);
        }
        let ins = self.fb.ins();
        match op {
            BinOp::Add => ins.fadd(x, y),
            BinOp::Sub => ins.fsub(x, y),
            BinOp::Mul => ins.fmul(x, y),
            BinOp::Div => ins.fdiv(x, y),
            BinOp::Min => ins.fmin(x, y),
            BinOp::Max => ins.fmax(x, y),
            _ => unreachable!("{op:?} handled above"),
        }
    }

    /// `op a b` as a fused multiply-add, when [`fusable`] chose it.
    fn fma(&mut self, f: &Frame, op: BinOp, a: NodeId, b: NodeId) -> Option<Value> {
        let (m, other) = fusion(f.p, op, a, b)?;
        if !f.fused[m.index()] {
            return None;
        }
        let Op::Binary(BinOp::Mul, x, c) = f.p.op(m) else {
            return None;
        };
        let (x, c) = if f.p.constant(c).is_some() {
            (x, c)
        } else {
            (c, x)
        };
        let xv = self.value(f, x);
        let cv = self.value(f, c);
        let y = match (op, f.p.constant(other)) {
            (BinOp::Sub, Some(k)) => simd::constant(self.fb, f.ty, -k),
            _ => self.value(f, other),
        };
        Some(self.fb.ins().fma(xv, cv, y))
    }

    fn select(&mut self, f: &mut Frame, n: NodeId, c: NodeId, a: NodeId, b: NodeId) -> Value {
        // A comparison as the condition is tested directly, not turned into 0/1 and
        // compared with 0 again.
        let t = match f.p.op(c) {
            Op::Binary(op, l, r) if compare_cc(op).is_some() => {
                let (l, r) = (self.value(f, l), self.value(f, r));
                self.fb
                    .ins()
                    .fcmp(compare_cc(op).unwrap_or(FloatCC::Equal), l, r)
            }
            _ => {
                let cv = self.value(f, c);
                let zero = simd::constant(self.fb, f.ty, 0.0);
                self.fb.ins().fcmp(FloatCC::NotEqual, cv, zero)
            }
        };
        if f.ty.is_vector() {
            let (x, y) = (self.value(f, a), self.value(f, b));
            return self.vselect(t, x, y);
        }
        if let Some(v) = self.min_max(f, c, a, b) {
            return v;
        }
        // Branch-free: Cranelift lowers `select` on floats to a branch, which mispredicts
        // on audio-rate conditions; an integer select is a `cmov`.
        let (x, y) = (self.bits(f, a), self.bits(f, b));
        let r = self.fb.ins().select(t, x, y);
        f.select_bits[n.index()] = Some(r);
        self.fb.ins().bitcast(types::F64, MemFlagsData::new(), r)
    }

    /// `l < r ? l : r` and `l < r ? r : l` (or `>`) as one minsd or maxsd: Cranelift
    /// matches a float select of exactly a comparison's operands. The same value as the
    /// integer select bit for bit, NaN and signed zeros included (`x < y` is `y > x`).
    fn min_max(&mut self, f: &Frame, c: NodeId, a: NodeId, b: NodeId) -> Option<Value> {
        let (l, r) = match f.p.op(c) {
            Op::Binary(BinOp::Lt, l, r) => (l, r),
            Op::Binary(BinOp::Gt, l, r) => (r, l),
            _ => return None,
        };
        if !((a, b) == (l, r) || (a, b) == (r, l)) {
            return None;
        }
        let (lv, rv) = (self.value(f, l), self.value(f, r));
        let t = self.fb.ins().fcmp(FloatCC::LessThan, lv, rv);
        Some(if a == l {
            self.fb.ins().select(t, lv, rv)
        } else {
            self.fb.ins().select(t, rv, lv)
        })
    }

    /// A node's value as i64 bits for an integer select. Constants and other selects'
    /// results are at hand as integers, without a round trip through an xmm register.
    fn bits(&mut self, f: &Frame, n: NodeId) -> Value {
        if let Some(c) = f.p.constant(n).or_else(|| f.known(n)) {
            return self.fb.ins().iconst(types::I64, c.to_bits() as i64);
        }
        if let Some(r) = f.select_bits[n.index()] {
            return r;
        }
        let v = self.value(f, n);
        self.fb.ins().bitcast(types::I64, MemFlagsData::new(), v)
    }

    /// Write the input at `pos`, then read `samples` behind it with linear interpolation.
    /// `interp::delay` is the same computation step for step (it must stay bit-exact).
    fn delay(
        &mut self,
        f: &mut Frame,
        buf: usize,
        pos: NodeId,
        input: NodeId,
        samples: NodeId,
    ) -> Value {
        let slot = &self.layout.buffers[buf];
        let (len, offset) = (slot.len as i64, slot.offset as i64);
        let (p, x, d) = (
            self.value(f, pos),
            self.value(f, input),
            self.value(f, samples),
        );
        let base = self.fb.ins().iadd_imm_s(self.state, offset * 8);
        let mask = self.fb.ins().iconst(types::I64, len - 1);
        // Another tap of this line has written this input here already this sample: its
        // write, position bits and clamp bounds serve this one too.
        let done = f
            .written
            .iter()
            .position(|w| (w.buf, w.pos, w.input) == (buf, pos, input));
        let (pb, hi, lo) = match done {
            Some(k) => (f.written[k].pb, f.written[k].hi, f.written[k].lo),
            None => {
                let pb = self.int_bits(p);
                let pi = self.fb.ins().band(pb, mask);
                let addr = self.offset(base, pi, 8);
                self.fb.ins().store(flags(), x, addr, 0);
                let hi = self.fb.ins().f64const((len - 2) as f64);
                let lo = self.fb.ins().f64const(0.0);
                f.written.push(Written {
                    buf,
                    pos,
                    input,
                    pb,
                    hi,
                    lo,
                });
                (pb, hi, lo)
            }
        };

        if let Some(d) = f.known(samples) {
            // A steady delay time: the clamp, floor and fraction of `interp::delay`,
            // computed here once.
            let hi = (len - 2) as f64;
            let d = if hi < d { hi } else { d };
            let d = if d < 0.0 { 0.0 } else { d };
            let di = d.floor();
            let frac = simd::constant(self.fb, f.ty, d - di);
            let db = self.fb.ins().iconst(types::I64, crate::ir::int_bits(di));
            return self.taps(pb, db, mask, base, frac);
        }
        // The clamp as `hi < d ? hi : d` and `d < 0 ? 0 : d`: one minsd/maxsd each where
        // fmin/fmax are branchy sequences; the same values, NaN (passed through) included.
        let below = self.fb.ins().fcmp(FloatCC::LessThan, hi, d);
        let d = self.fb.ins().select(below, hi, d);
        let neg = self.fb.ins().fcmp(FloatCC::LessThan, d, lo);
        let d = self.fb.ins().select(neg, lo, d);
        let di = self.fb.ins().floor(d);
        let frac = self.fb.ins().fsub(d, di);
        // Both bit patterns carry the same exponent bits, which cancel in the difference.
        let db = self.int_bits(di);
        self.taps(pb, db, mask, base, frac)
    }

    /// The two samples `db` and one more behind the write position's bits `pb`, mixed by
    /// `frac`.
    fn taps(&mut self, pb: Value, db: Value, mask: Value, base: Value, frac: Value) -> Value {
        let k0 = self.fb.ins().isub(pb, db);
        let k0 = self.fb.ins().band(k0, mask);
        let k1 = self.fb.ins().iadd_imm_s(k0, -1);
        let k1 = self.fb.ins().band(k1, mask);
        let a0 = self.offset(base, k0, 8);
        let a1 = self.offset(base, k1, 8);
        let a = self.fb.ins().load(types::F64, flags(), a0, 0);
        let b = self.fb.ins().load(types::F64, flags(), a1, 0);
        let diff = self.fb.ins().fsub(b, a);
        let step = self.fb.ins().fmul(frac, diff);
        self.fb.ins().fadd(a, step)
    }

    /// [`crate::ir::int_bits`]: two instructions where `fcvt_to_sint_sat` is a
    /// compare-and-branch sequence on x64.
    fn int_bits(&mut self, x: Value) -> Value {
        let magic = self.fb.ins().f64const(crate::ir::TWO_52);
        let t = self.fb.ins().fadd(x, magic);
        self.fb.ins().bitcast(types::I64, MemFlagsData::new(), t)
    }
}

/// `x·2ᵏ + y` as one fused multiply-add, for an add (or a subtract of a constant) whose
/// operand is a multiply by a power of two `2ᵏ ≥ 1` used nowhere else. Such a product is
/// exact (or infinite either way), so the fused result is bit for bit the two rounded
/// operations': `saw`'s `2·p − 1` and the like cost one instruction, not two.
fn fusion(p: &Program, op: BinOp, a: NodeId, b: NodeId) -> Option<(NodeId, NodeId)> {
    let product = |n: NodeId| match p.op(n) {
        Op::Binary(BinOp::Mul, x, y) => {
            let c = p.constant(y).or(p.constant(x))?;
            let exact = c >= 1.0 && c.is_finite() && c.to_bits() & ((1 << 52) - 1) == 0;
            let variable = p.constant(x).is_none() || p.constant(y).is_none();
            (exact && variable).then_some(n)
        }
        _ => None,
    };
    match op {
        BinOp::Add => product(a)
            .map(|m| (m, b))
            .or_else(|| product(b).map(|m| (m, a))),
        BinOp::Sub if p.constant(b).is_some() => product(a).map(|m| (m, b)),
        _ => None,
    }
}

/// Per node: a multiply that [`fusion`] folds into its only user.
fn fusable(p: &Program) -> Vec<bool> {
    let mut uses = p.operand_uses();
    for n in p.roots() {
        uses[n.index()] += 1;
    }
    let mut fused = vec![false; p.nodes.len()];
    for op in &p.nodes {
        if let Op::Binary(o, a, b) = *op {
            if let Some((m, _)) = fusion(p, o, a, b) {
                if uses[m.index()] == 1 {
                    fused[m.index()] = true;
                }
            }
        }
    }
    fused
}

/// The condition code of a comparison op.
fn compare_cc(op: BinOp) -> Option<FloatCC> {
    Some(match op {
        BinOp::Lt => FloatCC::LessThan,
        BinOp::Le => FloatCC::LessThanOrEqual,
        BinOp::Gt => FloatCC::GreaterThan,
        BinOp::Ge => FloatCC::GreaterThanOrEqual,
        BinOp::Eq => FloatCC::Equal,
        BinOp::Ne => FloatCC::NotEqual,
        _ => return None,
    })
}
