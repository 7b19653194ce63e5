//! Inline approximations emitted instead of library calls. A call clobbers every float
//! register, forcing the loop's live recurrences to be spilled around it; inline code
//! keeps them in registers and lets independent oscillators overlap.
//!
//! The emitted code performs exactly the operations of [`crate::ir::math`], in the same
//! order and with the same fused multiply-adds, so a constant folded at compile time,
//! the reference interpreter and the running code agree bit for bit.
//!
//! `sin`/`cos`: reduce to turns `t = x/2π`, take `r = t − nearest(t)` in [−½, ½] (exact),
//! then a degree-17 near-minimax polynomial of `sin(2πr)` over [−π, π]. No branch and no
//! select: a data-dependent branch there mispredicts half the time. Error below 1e-12
//! from the polynomial plus the rounding of `x/2π`, about `|x|·1e-16`: below 1e-9 for
//! |x| < 10⁶ and below 1e-6 for |x| < 10⁹.
//!
//! Both work on `f64` or, lane by lane with the same operations, on `f64x2`.

use super::simd::constant;
use cranelift_codegen::ir::{InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use std::f64::consts::TAU;

use crate::ir::math::{SIN_COEFFS, SIN_LAST as LAST};

/// `sin(x)`, or `cos(x)` when `cos` (a quarter turn ahead).
pub fn sin(fb: &mut FunctionBuilder, x: Value, cos: bool) -> Value {
    let t = turns(fb, x, cos);
    sin_turns(fb, t)
}

/// The turns [`sin`] evaluates `sin(2π·t)` at: `x/2π`, plus a quarter for `cos`.
pub fn turns(fb: &mut FunctionBuilder, x: Value, cos: bool) -> Value {
    let ty = fb.func.dfg.value_type(x);
    let inv_tau = constant(fb, ty, 1.0 / TAU);
    let t = fb.ins().fmul(x, inv_tau);
    if !cos {
        return t;
    }
    let q = constant(fb, ty, 0.25);
    fb.ins().fadd(t, q)
}

/// `sin(2π·t)`: the oscillators' sine, with no multiply by 2π and back.
// Constants go in the second operand, where x64 reads them straight from memory.
pub fn sin_turns(fb: &mut FunctionBuilder, t: Value) -> Value {
    let ty = fb.func.dfg.value_type(t);
    let c = |fb: &mut FunctionBuilder, v: f64| constant(fb, ty, v);
    let n = fb.ins().nearest(t);
    let r = fb.ins().fsub(t, n);
    let tau = c(fb, TAU);
    let x = fb.ins().fmul(r, tau);
    let x2 = fb.ins().fmul(x, x);
    // Horner's rule with fused multiply-adds: half the instructions, one rounding each.
    let mut p = c(fb, SIN_COEFFS[LAST]);
    for &k in SIN_COEFFS[..LAST].iter().rev() {
        let k = c(fb, k);
        p = fb.ins().fma(p, x2, k);
    }
    let m = fb.ins().fmul(x2, p);
    fb.ins().fma(x, m, x)
}
