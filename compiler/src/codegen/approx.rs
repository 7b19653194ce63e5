//! Inline approximations emitted instead of library calls. A call clobbers every float
//! register, forcing the loop's live recurrences to be spilled around it; inline code
//! keeps them in registers and lets independent oscillators overlap.
//!
//! `sin`/`cos`: reduce to turns `t = x/2π`, take `r = t − nearest(t)` in [−½, ½] (exact),
//! then a degree-23 Taylor polynomial of `sin(2πr)` over [−π, π]. No branch and no
//! select: a data-dependent branch there mispredicts half the time. Error below 1e-12
//! from the polynomial plus the rounding of `x/2π`, about `|x|·1e-16`: below 1e-9 for
//! |x| < 10⁶ and below 1e-6 for |x| < 10⁹.

use cranelift_codegen::ir::{InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use std::f64::consts::TAU;

/// Taylor coefficients of sin(x) for x³ … x²³: (−1)ᵏ/(2k+1)!.
const SIN_COEFFS: [f64; 11] = {
    let mut c = [0.0; 11];
    let mut fact = 1.0; // (2k+1)!
    let mut k = 1;
    while k <= 11 {
        fact *= ((2 * k) * (2 * k + 1)) as f64;
        c[k - 1] = if k % 2 == 1 { -1.0 / fact } else { 1.0 / fact };
        k += 1;
    }
    c
};
const LAST: usize = SIN_COEFFS.len() - 1;

/// `sin(x)`, or `cos(x)` when `cos` (a quarter turn ahead).
pub fn sin(fb: &mut FunctionBuilder, x: Value, cos: bool) -> Value {
    let inv_tau = fb.ins().f64const(1.0 / TAU);
    let mut t = fb.ins().fmul(x, inv_tau);
    if cos {
        let q = fb.ins().f64const(0.25);
        t = fb.ins().fadd(t, q);
    }
    sin_turns(fb, t)
}

/// `sin(2π·t)`: the oscillators' sine, with no multiply by 2π and back.
// Constants go in the second operand, where x64 reads them straight from memory.
pub fn sin_turns(fb: &mut FunctionBuilder, t: Value) -> Value {
    let c = |fb: &mut FunctionBuilder, v: f64| fb.ins().f64const(v);
    let n = fb.ins().nearest(t);
    let r = fb.ins().fsub(t, n);
    let tau = c(fb, TAU);
    let x = fb.ins().fmul(r, tau);
    let x2 = fb.ins().fmul(x, x);
    // Horner's rule with fused multiply-adds: half the instructions, one rounding each.
    let mut p = c(fb, SIN_COEFFS[LAST]);
    for &k in SIN_COEFFS[..LAST].iter().rev() {
        let k = c(fb, k);
        p = fb.ins().fma(x2, p, k);
    }
    let m = fb.ins().fmul(x2, p);
    fb.ins().fma(x, m, x)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same arithmetic as the emitted code, for checking the error bound.
    fn model(x: f64, cos: bool) -> f64 {
        let mut t = x * (1.0 / TAU);
        if cos {
            t += 0.25;
        }
        let r = t - t.round_ties_even();
        let x = r * TAU;
        let x2 = x * x;
        let mut p = SIN_COEFFS[LAST];
        for &k in SIN_COEFFS[..LAST].iter().rev() {
            p = x2.mul_add(p, k);
        }
        x.mul_add(x2 * p, x)
    }

    #[test]
    fn error_bound_holds() {
        let mut worst: f64 = 0.0;
        for i in 0..2_000_001 {
            let x = (i as f64 - 1e6) * 1e-5 * 7.0; // [-70, 70]
            worst = worst.max((model(x, false) - x.sin()).abs());
            worst = worst.max((model(x, true) - x.cos()).abs());
        }
        assert!(worst < 1e-11, "worst error {worst:e}");
        for &x in &[1e5, 123_456.7, 999_999.9, -5e5] {
            assert!((model(x, false) - f64::sin(x)).abs() < 1e-9);
        }
    }
}
