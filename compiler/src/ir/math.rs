//! The exact scalar semantics of the inline approximations the generated code uses
//! (see `codegen/approx.rs`, which emits these same operations in the same order).

use std::f64::consts::TAU;

/// Coefficients of sin(x) ≈ x + x³·p(x²) for x³ … x¹⁷ on [−π, π]: the Chebyshev
/// interpolant of (sin x − x)/x³ in x² at 8 nodes, near-minimax (`scripts/sin_coeffs.py`, 80 digits,
/// then rounded). Error below 1e-12 before rounding; the Taylor series needs degree 23
/// for the same, three more multiply-adds per sine.
pub const SIN_COEFFS: [f64; 8] = [
    -0.16666666666664612,
    0.00833333333306665,
    -0.00019841269784472566,
    2.755731461166279e-06,
    -2.5051924224597798e-08,
    1.6055042764439021e-10,
    -7.598820411123605e-13,
    2.5043979158132732e-15,
];
/// Index of the highest coefficient.
pub const SIN_LAST: usize = SIN_COEFFS.len() - 1;

/// `sin(2π·t)`: reduce to `r = t − nearest(t)` in [−½, ½] (exact), then a degree-17
/// polynomial in `x = 2πr` by Horner's rule with fused multiply-adds.
pub fn sin_turns(t: f64) -> f64 {
    let r = t - t.round_ties_even();
    let x = r * TAU;
    let x2 = x * x;
    let mut p = SIN_COEFFS[SIN_LAST];
    for &k in SIN_COEFFS[..SIN_LAST].iter().rev() {
        p = x2.mul_add(p, k);
    }
    x.mul_add(x2 * p, x)
}

/// `sin(x)`: `sin_turns(x / 2π)`, the division done as a multiply by `1/2π`.
pub fn sin(x: f64) -> f64 {
    sin_turns(x * (1.0 / TAU))
}

/// `cos(x)`: a quarter turn ahead of `sin`.
pub fn cos(x: f64) -> f64 {
    sin_turns(x * (1.0 / TAU) + 0.25)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bound_holds() {
        let mut worst: f64 = 0.0;
        for i in 0..2_000_001 {
            let x = (i as f64 - 1e6) * 1e-5 * 7.0; // [-70, 70]
            worst = worst.max((sin(x) - x.sin()).abs());
            worst = worst.max((cos(x) - x.cos()).abs());
        }
        assert!(worst < 1e-11, "worst error {worst:e}");
        for &x in &[1e5, 123_456.7, 999_999.9, -5e5] {
            assert!((sin(x) - f64::sin(x)).abs() < 1e-9);
        }
    }
}
