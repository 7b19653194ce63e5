//! Filters: the RBJ Audio-EQ Cookbook biquads (direct form I, normalised by r = 1/a0,
//! coefficients recomputed from the current cutoff and q every sample, folded to
//! constants when both are constant), a one-pole smoother and `lag`.

use super::{req, Builtin, Emitter};
use crate::ir::{BinOp, NodeId, UnOp};

/// Lowest cutoff a biquad takes, in Hz. Swept down to 1 Hz, the direct-form-I biquad's
/// coefficients move so close to its poles at z = 1 that it rang to 2.8× full scale.
const MIN_CUTOFF: f64 = 10.0;
/// Highest cutoff a biquad takes, as a fraction of the sample rate.
const MAX_CUTOFF_RATIO: f64 = 0.49;
/// Lowest q a biquad takes.
const MIN_Q: f64 = 0.01;
use std::f64::consts::TAU;

/// The formula shared by the four biquads, for the docs.
pub const BIQUAD_FORMULA: &str =
    "fc is clamped to [10 Hz, 0.49·sr] and q to at least 0.01; w = fc·(2π/sr), α = sin(w)·(0.5/q), r = 1/(1 + α), a1 = −2·cos(w)·r, a2 = (1 − α)·r; \
y = b0·x + b1·x[n−1] + b2·x[n−2] − a1·y[n−1] − a2·y[n−2], memory starts at 0";

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "lpf",
        params: &[req("input"), req("cutoff"), req("q")],
        summary: "Resonant low-pass (RBJ biquad).",
        formula: "b1 = (1 − cos w)·r, b0 = b2 = b1·0.5; see biquads",
        lower: |e, a| Ok(biquad(e, a, Kind::Low)),
    },
    Builtin {
        name: "hpf",
        params: &[req("input"), req("cutoff"), req("q")],
        summary: "Resonant high-pass (RBJ biquad).",
        formula: "b0 = b2 = ((1 + cos w)·r)·0.5, b1 = −(1 + cos w)·r; see biquads",
        lower: |e, a| Ok(biquad(e, a, Kind::High)),
    },
    Builtin {
        name: "bpf",
        params: &[req("input"), req("cutoff"), req("q")],
        summary: "Band-pass, 0 dB peak (RBJ biquad).",
        formula: "b0 = α·r, b1 = 0, b2 = −α·r; see biquads",
        lower: |e, a| Ok(biquad(e, a, Kind::Band)),
    },
    Builtin {
        name: "notch",
        params: &[req("input"), req("cutoff"), req("q")],
        summary: "Notch (RBJ biquad).",
        formula: "b0 = b2 = r, b1 = −2·cos(w)·r; see biquads",
        lower: |e, a| Ok(biquad(e, a, Kind::Notch)),
    },
    Builtin {
        name: "onepole",
        params: &[req("input"), req("coef")],
        summary: "One-pole smoother; coef 1 passes the input, smaller is smoother.",
        formula: "y ← y + coef·(x − y), output the new y, y starts at 0",
        lower: |e, a| Ok(onepole(e, a[0], a[1])),
    },
    Builtin {
        name: "lag",
        params: &[req("input"), req("secs")],
        summary: "One-pole smoother with a time constant in seconds.",
        formula: "onepole with coef = 1 − exp(−1/(secs·sr))",
        lower: |e, a| {
            let sr = e.c(e.sr());
            let t = e.mul(a[1], sr);
            let minus_one = e.c(-1.0);
            let r = e.div(minus_one, t);
            let x = e.un(UnOp::Exp, r);
            let one = e.c(1.0);
            let coef = e.sub(one, x);
            Ok(onepole(e, a[0], coef))
        },
    },
];

#[derive(Clone, Copy)]
enum Kind {
    Low,
    High,
    Band,
    Notch,
}

fn onepole(e: &mut Emitter, x: NodeId, coef: NodeId) -> NodeId {
    let (cell, y1) = e.state("y", 0.0);
    let d = e.sub(x, y1);
    let step = e.mul(coef, d);
    let y = e.add(y1, step);
    e.set_next(cell, y);
    y
}

fn biquad(e: &mut Emitter, a: &[NodeId], kind: Kind) -> NodeId {
    let (x, fc, q) = (a[0], a[1], a[2]);
    // Outside these ranges the cookbook formulas give an unstable or NaN filter; a
    // cutoff swept below 0 Hz (Phonon's `~lfo * 2000 + 500`) must not blow up.
    let lo = e.c(MIN_CUTOFF);
    let hi = e.c(e.sr() * MAX_CUTOFF_RATIO);
    let fc = e.bin(BinOp::Max, fc, lo);
    let fc = e.bin(BinOp::Min, fc, hi);
    let qmin = e.c(MIN_Q);
    let q = e.bin(BinOp::Max, q, qmin);
    // One division per sample (r = 1/a0), not six: a divide costs as much as ten
    // multiplies, and with a moving cutoff these run every sample.
    let w_per_hz = e.c(TAU / e.sr());
    let w = e.mul(fc, w_per_hz);
    let cw = e.un(UnOp::Cos, w);
    let sw = e.un(UnOp::Sin, w);
    let half = e.c(0.5);
    let one = e.c(1.0);
    let two = e.c(2.0);
    let inv_2q = e.div(half, q);
    let alpha = e.mul(sw, inv_2q);
    let a0 = e.add(one, alpha);
    let r = e.div(one, a0);
    let m2cw = {
        let m = e.mul(two, cw);
        e.un(UnOp::Neg, m)
    };
    let a1 = e.mul(m2cw, r);
    let (b0, b1, b2) = match kind {
        Kind::Low | Kind::High => {
            let k = match kind {
                Kind::Low => e.sub(one, cw),
                _ => e.add(one, cw),
            };
            let b1 = e.mul(k, r);
            let b0 = e.mul(b1, half);
            let b1 = match kind {
                Kind::Low => b1,
                _ => e.un(UnOp::Neg, b1),
            };
            (b0, b1, b0)
        }
        Kind::Band => {
            let b0 = e.mul(alpha, r);
            let zero = e.c(0.0);
            let b2 = e.un(UnOp::Neg, b0);
            (b0, zero, b2)
        }
        // b1 = a1 = −2·cos(w)·r.
        Kind::Notch => (r, a1, r),
    };
    let oma = e.sub(one, alpha);
    let a2 = e.mul(oma, r);

    let (cx1, x1) = e.state("x1", 0.0);
    let (cx2, x2) = e.state("x2", 0.0);
    let (cy1, y1) = e.state("y1", 0.0);
    let (cy2, y2) = e.state("y2", 0.0);
    let t0 = e.mul(b0, x);
    let t1 = e.mul(b1, x1);
    let t2 = e.mul(b2, x2);
    let t3 = e.mul(a1, y1);
    let t4 = e.mul(a2, y2);
    let s = e.add(t0, t1);
    let s = e.add(s, t2);
    let s = e.sub(s, t3);
    let y = e.sub(s, t4);
    e.set_next(cx1, x);
    e.set_next(cx2, x1);
    e.set_next(cy1, y);
    e.set_next(cy2, y1);
    y
}
