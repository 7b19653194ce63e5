//! Oscillators and noise. Phase `p` starts at 0, is read *before* it advances, and
//! advances by `freq / sr` each sample: `p ← p + freq/sr − floor(p + freq/sr)`.
//! Without a frequency they turn once per cycle (`freq` = the tempo in cycles per second).

use super::{opt, Builtin, Emitter, CPS};
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
