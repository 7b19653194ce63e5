//! Noise colours and the simple sources Phonon's programs reach for: `white_noise`,
//! `pink_noise`, `brown_noise`, `impulse` and a band-limited `pulse`. Every noise is
//! seeded from its call site's key (see `noise`), so a program sounds the same each run.

use super::oscillators::white;
use super::{opt, req, Builtin, Emitter};
use crate::ir::{BinOp, NodeId};

/// Paul Kellet's refined pink filter (musicdsp.org, 1999, public domain): six one-poles
/// and a one-sample term summed with the white input, within ±0.05 dB of −3 dB/octave
/// above 9.2 Hz at 44.1 kHz. (pole, gain) of b0…b5.
pub const KELLET: [(f64, f64); 6] = [
    (0.99886, 0.0555179),
    (0.99332, 0.0750759),
    (0.96900, 0.1538520),
    (0.86650, 0.3104856),
    (0.55000, 0.5329522),
    (-0.7616, -0.0168980),
];
/// Kellet's direct white term and the gain of his one-sample `b6` term.
pub const KELLET_WHITE: f64 = 0.5362;
/// Kellet's `b6 = white · 0.115926`.
pub const KELLET_B6: f64 = 0.115926;
/// Scales Kellet's sum (peaks near ±9) back to about ±1.
pub const PINK_GAIN: f64 = 0.11;

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "white_noise",
        params: &[],
        summary: "White noise, the same generator as `noise` (Phonon's name).",
        formula: "as `noise`",
        lower: |e, _| white(e),
    },
    Builtin {
        name: "pink_noise",
        params: &[],
        summary: "Pink noise (−3 dB/octave): Paul Kellet's refined filter on `noise`.",
        formula:
            "w = noise; bᵢ ← pᵢ·bᵢ + gᵢ·w for (p, g) = (0.99886, 0.0555179), (0.99332, 0.0750759), \
(0.969, 0.153852), (0.8665, 0.3104856), (0.55, 0.5329522), (−0.7616, −0.016898); \
y = 0.11·(b0 + … + b5 + b6 + 0.5362·w), then b6 ← 0.115926·w; all b start at 0",
        lower: |e, _| pink(e),
    },
    Builtin {
        name: "brown_noise",
        params: &[],
        summary: "Brown (red) noise: a leaky random walk of `noise`, as Phonon's.",
        formula: "a ← clamp((a + 0.1·noise)·0.998, −1.5, 1.5), y = 0.7·a, a starts at 0",
        lower: |e, _| {
            let w = white(e)?;
            let (cell, a) = e.state("walk", 0.0)?;
            let step = e.c(0.1);
            let s = e.mul(w, step);
            let sum = e.add(a, s);
            let leak = e.c(0.998);
            let a = e.mul(sum, leak);
            let (lo, hi) = (e.c(-1.5), e.c(1.5));
            let a = e.bin(BinOp::Max, a, lo);
            let a = e.bin(BinOp::Min, a, hi);
            e.set_next(cell, a);
            let g = e.c(0.7);
            Ok(e.mul(a, g))
        },
    },
    Builtin {
        name: "impulse",
        params: &[req("freq")],
        summary:
            "One-sample impulses at freq Hz, the first at frame 0 (as SuperCollider's Impulse).",
        formula: "s = p + max(freq, 0)/sr; y = s ≥ 1 ? 1 : 0; p ← s − floor(s); p starts at 1",
        lower: |e, a| {
            let (cell, p) = e.state("phase", 1.0)?;
            let zero = e.c(0.0);
            let f = e.bin(BinOp::Max, a[0], zero);
            let inv_sr = e.c(1.0 / e.sr());
            let inc = e.mul(f, inv_sr);
            let s = e.add(p, inc);
            let next = e.frac(s);
            e.set_next(cell, next);
            let one = e.c(1.0);
            Ok(e.bin(BinOp::Ge, s, one))
        },
    },
    Builtin {
        name: "pulse",
        params: &[req("freq"), opt("width", 0.5)],
        summary:
            "Band-limited pulse wave with a duty cycle (PolyBLEP, Välimäki & Huovilainen 2007).",
        formula: "dt = |freq|/sr, w = clamp(width, 0, 1); naive = p < w ? 1 : −1; \
y = naive + blep(p) − blep(frac(p − w + 1)), blep(t) = t < dt ? (u = t/dt: 2u − u² − 1) : \
t > 1 − dt ? (u = (t − 1)/dt: u² + 2u + 1) : 0; p as the oscillators'",
        lower: |e, a| {
            let p = super::oscillators::phase(e, a[0])?;
            let inv_sr = e.c(1.0 / e.sr());
            let af = e.un(crate::ir::UnOp::Abs, a[0]);
            let dt = e.mul(af, inv_sr);
            let (zero, one) = (e.c(0.0), e.c(1.0));
            let w = e.bin(BinOp::Max, a[1], zero);
            let w = e.bin(BinOp::Min, w, one);
            let lt = e.bin(BinOp::Lt, p, w);
            let m1 = e.c(-1.0);
            let naive = e.select(lt, one, m1);
            let up = blep(e, p, dt);
            let t = e.sub(p, w);
            let t = e.add(t, one);
            let t = e.frac(t);
            let down = blep(e, t, dt);
            let y = e.add(naive, up);
            Ok(e.sub(y, down))
        },
    },
];

/// Kellet's refined pink filter over this site's white noise.
fn pink(e: &mut Emitter) -> Result<NodeId, String> {
    let w = white(e)?;
    let (b6_cell, b6) = e.state("b6", 0.0)?;
    let wg = e.c(KELLET_WHITE);
    let mut sum = e.mul(w, wg);
    sum = e.add(b6, sum);
    for (i, &(pole, gain)) in KELLET.iter().enumerate() {
        let (cell, b) = e.state(&format!("b{i}"), 0.0)?;
        let (pc, gc) = (e.c(pole), e.c(gain));
        let decayed = e.mul(pc, b);
        let fed = e.mul(gc, w);
        let b = e.add(decayed, fed);
        e.set_next(cell, b);
        sum = e.add(sum, b);
    }
    let g6 = e.c(KELLET_B6);
    let next6 = e.mul(w, g6);
    e.set_next(b6_cell, next6);
    let g = e.c(PINK_GAIN);
    Ok(e.mul(sum, g))
}

/// The two-sample polynomial band-limited step residual at phase `t` for a phase step
/// `dt` (Välimäki & Huovilainen, "Antialiasing oscillators in subtractive synthesis",
/// IEEE Signal Processing Magazine, 2007).
fn blep(e: &mut Emitter, t: NodeId, dt: NodeId) -> NodeId {
    let (zero, one, two) = (e.c(0.0), e.c(1.0), e.c(2.0));
    // After the edge: u = t/dt in [0, 1), 2u − u² − 1.
    let u = e.div(t, dt);
    let u2 = e.mul(u, u);
    let tu = e.mul(two, u);
    let a = e.sub(tu, u2);
    let after = e.sub(a, one);
    // Before the edge: u = (t − 1)/dt in (−1, 0], u² + 2u + 1.
    let tm = e.sub(t, one);
    let v = e.div(tm, dt);
    let v2 = e.mul(v, v);
    let tv = e.mul(two, v);
    let b = e.add(v2, tv);
    let before = e.add(b, one);
    let is_after = e.bin(BinOp::Lt, t, dt);
    let edge = e.sub(one, dt);
    let is_before = e.bin(BinOp::Gt, t, edge);
    let late = e.select(is_before, before, zero);
    e.select(is_after, after, late)
}
