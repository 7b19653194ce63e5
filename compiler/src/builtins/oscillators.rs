//! Oscillators and noise. Phase `p` starts at 0, is read *before* it advances, and
//! advances by `freq / sr` each sample: `p ← p + freq/sr − floor(p + freq/sr)`.
//! Without a frequency they turn once per cycle (`freq` = the tempo in cycles per second).

use super::{opt, req, Builtin, Emitter, CPS};
use crate::ir::{BinOp, NodeId, UnOp};

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "sine",
        params: &[opt("freq", CPS)],
        summary: "Sine oscillator.",
        formula: "sin(2π·p)",
        lower: |e, a| {
            let p = phase(e, a[0])?;
            Ok(e.un(UnOp::SinTau, p))
        },
    },
    Builtin {
        name: "saw",
        params: &[opt("freq", CPS)],
        summary: "Rising sawtooth.",
        formula: "2·p − 1",
        lower: |e, a| {
            let p = phase(e, a[0])?;
            let two = e.c(2.0);
            let one = e.c(1.0);
            let x = e.mul(two, p);
            Ok(e.sub(x, one))
        },
    },
    Builtin {
        name: "saw_hz",
        params: &[req("freq")],
        summary: "Phonon's saw_hz (fundsp's band-limited saw): a rising ramp through 0 where the cycle starts, its jump at the half cycle smoothed by PolyBLEP.",
        formula: "q = frac(p + 0.5), p the oscillators' phase; dt = min(|freq|/sr, 0.5); y = 2q − 1 − b, \
b = 2t − t² − 1 with t = q/dt when q < dt, b = t² + 2t + 1 with t = (q − 1)/dt when q > 1 − dt, else b = 0 \
(fundsp sums the saw's harmonics from a table; PolyBLEP band-limits the same wave without one)",
        lower: |e, a| {
            let p = phase(e, a[0])?;
            let half = e.c(0.5);
            let q = e.add(p, half);
            let q = e.frac(q);
            let f = e.un(UnOp::Abs, a[0]);
            let k = e.c(1.0 / e.sr());
            let dt = e.mul(f, k);
            let dt = e.bin(BinOp::Min, dt, half);
            // dt = 0 (no frequency) makes no step to smooth: keep the divisions finite.
            let tiny = e.c(1e-12);
            let dt = e.bin(BinOp::Max, dt, tiny);
            let (one, two) = (e.c(1.0), e.c(2.0));
            let t0 = e.div(q, dt);
            let b0 = e.mul(two, t0);
            let t0sq = e.mul(t0, t0);
            let b0 = e.sub(b0, t0sq);
            let b0 = e.sub(b0, one);
            let qm = e.sub(q, one);
            let t1 = e.div(qm, dt);
            let t1sq = e.mul(t1, t1);
            let b1 = e.mul(two, t1);
            let b1 = e.add(t1sq, b1);
            let b1 = e.add(b1, one);
            let zero = e.c(0.0);
            let top = e.sub(one, dt);
            let hi = e.bin(BinOp::Gt, q, top);
            let b = e.select(hi, b1, zero);
            let lo = e.bin(BinOp::Lt, q, dt);
            let b = e.select(lo, b0, b);
            let y = e.mul(two, q);
            let y = e.sub(y, one);
            Ok(e.sub(y, b))
        },
    },
    Builtin {
        name: "square",
        params: &[opt("freq", CPS)],
        summary: "Square wave.",
        formula: "p < 0.5 ? 1 : −1",
        lower: |e, a| {
            let p = phase(e, a[0])?;
            let half = e.c(0.5);
            let lt = e.bin(BinOp::Lt, p, half);
            let (one, minus_one) = (e.c(1.0), e.c(-1.0));
            Ok(e.select(lt, one, minus_one))
        },
    },
    Builtin {
        name: "tri",
        params: &[opt("freq", CPS)],
        summary: "Triangle wave, −1 at p = 0, 1 at p = 0.5.",
        formula: "1 − 4·|p − 0.5|",
        lower: |e, a| {
            let p = phase(e, a[0])?;
            let half = e.c(0.5);
            let d = e.sub(p, half);
            let ad = e.un(UnOp::Abs, d);
            let four = e.c(4.0);
            let m = e.mul(four, ad);
            let one = e.c(1.0);
            Ok(e.sub(one, m))
        },
    },
    Builtin {
        name: "phasor",
        params: &[opt("freq", CPS)],
        summary: "The phase itself, a ramp from 0 to 1.",
        formula: "p",
        lower: |e, a| phase(e, a[0]),
    },
    Builtin {
        name: "noise",
        params: &[],
        summary: "Deterministic white noise; the seed is a hash of the call site's key.",
        formula: "s/2³¹ − 1, then s ← (s·1664525 + 1013904223) mod 2³², s₀ = FNV-1a(key) mod 2³²",
        lower: |e, _| white(e),
    },
];

/// The phase accumulator shared by every oscillator: returns `p` before the advance.
pub(super) fn phase(e: &mut Emitter, freq: NodeId) -> Result<NodeId, String> {
    super::dsp::phase_at(e, "phase", 0.0, freq)
}

/// The `noise` generator at this call site (slot `seed`): shared by the noise colours and
/// the instruments that excite a string or drum with noise.
pub(super) fn white(e: &mut Emitter) -> Result<NodeId, String> {
    let seed = (fnv1a(&e.key()) & 0xffff_ffff) as f64;
    let (cell, s) = e.state("seed", seed)?;
    let next = e.un(UnOp::Lcg, s);
    e.set_next(cell, next);
    let scale = e.c(1.0 / 2_147_483_648.0);
    let x = e.mul(s, scale);
    let one = e.c(1.0);
    Ok(e.sub(x, one))
}

/// FNV-1a, 64-bit: a stable hash of a key, for noise seeds.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}
