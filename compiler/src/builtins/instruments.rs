//! Instruments: `supersaw`, `fm`, and the Karplus-Strong family (`pluck`, `comb`), with
//! Phonon's parameter names and order. The strings and combs feed back through the shared
//! delay line of [`super::dsp`], so their tails carry through edits by key like `delay`'s.

use super::dsp::{self, DelayTime};
use super::oscillators::white;
use super::{opt, req, Builtin, Emitter};
use crate::ir::{BinOp, NodeId, UnOp};

/// Lowest frequency a string or comb is tuned to, in Hz: its delay line holds sr/20 samples.
pub const MIN_STRING_HZ: f64 = 20.0;

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "supersaw",
        params: &[req("freq"), opt("detune", 0.3), opt("voices", 7.0)],
        summary: "Detuned saws spread over ±detune·10%, as Phonon's (voices a constant, 2 to 7).",
        formula: "v = clamp(trunc(voices), 2, 7); y = (0.7/v)·Σᵢ (2·pᵢ − 1), voice i ∈ 0..v at \
freq·(1 + (2i/(v − 1) − 1)·detune·0.1) with its phase pᵢ starting at frac(0.13·i)",
        lower: |e, a| {
            let v = e
                .constant(a[2])
                .ok_or("the number of voices of `supersaw` must be a constant")?;
            let v = v.trunc().clamp(2.0, 7.0) as usize;
            let mut sum = None;
            for i in 0..v {
                let offset = e.c(2.0 * i as f64 / (v - 1) as f64 - 1.0);
                let tenth = e.c(0.1);
                let d = e.mul(offset, a[1]);
                let d = e.mul(d, tenth);
                let one = e.c(1.0);
                let k = e.add(one, d);
                let f = e.mul(a[0], k);
                let init = (0.13 * i as f64).fract();
                let p = phase_at(e, &format!("phase{i}"), init, f)?;
                let two = e.c(2.0);
                let s = e.mul(two, p);
                let s = e.sub(s, one);
                sum = Some(match sum {
                    None => s,
                    Some(acc) => e.add(acc, s),
                });
            }
            let g = e.c(0.7 / v as f64);
            Ok(e.mul(sum.expect("at least two voices"), g))
        },
    },
    Builtin {
        name: "fm",
        params: &[req("carrier"), req("modulator"), req("index")],
        summary: "Two-operator FM (Chowning 1973): a sine carrier phase-modulated by a sine.",
        formula: "y = sin(2π·pc + max(index, 0)·sin(2π·pm)); pc, pm are the phases of \
max(carrier, 0) and max(modulator, 0) Hz, as the oscillators'",
        lower: |e, a| {
            let zero = e.c(0.0);
            let fc = e.bin(BinOp::Max, a[0], zero);
            let fm = e.bin(BinOp::Max, a[1], zero);
            let idx = e.bin(BinOp::Max, a[2], zero);
            let pc = phase_at(e, "carrier", 0.0, fc)?;
            let pm = phase_at(e, "modulator", 0.0, fm)?;
            let m = e.un(UnOp::SinTau, pm);
            let m = e.mul(idx, m);
            let tau = e.c(std::f64::consts::TAU);
            let c = e.mul(tau, pc);
            let arg = e.add(c, m);
            Ok(e.un(UnOp::Sin, arg))
        },
    },
    Builtin {
        name: "pluck",
        params: &[req("freq"), opt("damping", 0.5), opt("trig", 1.0)],
        summary: "Karplus-Strong plucked string (Karplus & Strong 1983, tuned as Jaffe & Smith 1983), \
plucked at the start and on each rising edge of trig.",
        formula: "f = clamp(freq, 20, 10000), N = sr/f; edge = trig > 0.5 and it was not the sample \
before; burst l = edge ? N : l (l starts at 0, then l ← max(l − 1, 0)); x = l > 0 ? noise : 0; \
g = 0.9995 − 0.001·clamp(damping, 0, 1) (Phonon's loss); \
y[n] = x + g·(y[n − N + 0.5] + y[n − N − 0.5])/2, read through `delay` of y[n−1] by N − 1.5 samples \
(its glide and linear interpolation) and a one-sample memory of that read",
        lower: |e, a| {
            let f = clamp(e, a[0], MIN_STRING_HZ, 10_000.0);
            let sr = e.c(e.sr());
            let n = e.div(sr, f);
            // Rising edge of trig > 0.5: the default trig 1 plucks once, at the first sample.
            let half = e.c(0.5);
            let high = e.bin(BinOp::Gt, a[2], half);
            let (was_cell, was) = e.state("trig", 0.0)?;
            e.set_next(was_cell, high);
            let edge = e.bin(BinOp::Gt, high, was);
            let (left_cell, left) = e.state("burst", 0.0)?;
            let l = e.select(edge, n, left);
            let one = e.c(1.0);
            let zero = e.c(0.0);
            let lm = e.sub(l, one);
            let lm = e.bin(BinOp::Max, lm, zero);
            e.set_next(left_cell, lm);
            let w = white(e)?;
            let on = e.bin(BinOp::Gt, l, zero);
            let x = e.select(on, w, zero);
            let damp = clamp(e, a[1], 0.0, 1.0);
            let k = e.c(0.001);
            let loss = e.mul(damp, k);
            let base = e.c(0.9995);
            let g = e.sub(base, loss);
            string_loop(e, x, n, g)
        },
    },
    Builtin {
        name: "comb",
        params: &[req("input"), req("freq"), req("feedback")],
        summary: "Feedback comb filter tuned to freq (the Karplus-Strong loop without its averaging).",
        formula: "N = sr/clamp(freq, 20, 20000), fb = clamp(feedback, 0, 0.99); y[n] = x + fb·y[n − N], \
read through `delay` of y[n−1] by N − 1 samples (fractional, where Phonon rounds N)",
        lower: |e, a| {
            let f = clamp(e, a[1], MIN_STRING_HZ, 20_000.0);
            let fb = clamp(e, a[2], 0.0, 0.99);
            let sr = e.c(e.sr());
            let n = e.div(sr, f);
            let one = e.c(1.0);
            let d = e.sub(n, one);
            let (cell, y1) = e.state("y", 0.0)?;
            let max = (e.sr() / MIN_STRING_HZ).ceil() as usize;
            let r = dsp::delay_line(e, "", y1, DelayTime::Samples(d), max)?;
            let fr = e.mul(fb, r);
            let y = e.add(a[0], fr);
            e.set_next(cell, y);
            Ok(y)
        },
    },
];

/// The Karplus-Strong loop: `y = x + g·(a + a')/2` with `a` read `n − 1.5` samples behind
/// `y[n−1]`, so the loop (delay plus the average's half sample) is `n` samples long.
/// Slots: `y`, `a1`, and the delay line's.
pub(super) fn string_loop(
    e: &mut Emitter,
    x: NodeId,
    n: NodeId,
    g: NodeId,
) -> Result<NodeId, String> {
    let (y_cell, y1) = e.state("y", 0.0)?;
    let k = e.c(1.5);
    let d = e.sub(n, k);
    let max = (e.sr() / MIN_STRING_HZ).ceil() as usize;
    let a = dsp::delay_line(e, "", y1, DelayTime::Samples(d), max)?;
    let (a_cell, a1) = e.state("a1", 0.0)?;
    e.set_next(a_cell, a);
    let s = e.add(a, a1);
    let half = e.c(0.5);
    let avg = e.mul(s, half);
    let fb = e.mul(g, avg);
    let y = e.add(x, fb);
    e.set_next(y_cell, y);
    Ok(y)
}

/// A phase accumulator in slot `slot` starting at `init`, read before it advances by
/// `freq/sr` (the oscillators' convention).
pub(super) fn phase_at(
    e: &mut Emitter,
    slot: &str,
    init: f64,
    freq: NodeId,
) -> Result<NodeId, String> {
    let (cell, p) = e.state(slot, init)?;
    let sr = e.c(e.sr());
    let inc = e.div(freq, sr);
    let sum = e.add(p, inc);
    let next = e.frac(sum);
    e.set_next(cell, next);
    Ok(p)
}

/// `min(max(x, lo), hi)`.
pub(super) fn clamp(e: &mut Emitter, x: NodeId, lo: f64, hi: f64) -> NodeId {
    let (l, h) = (e.c(lo), e.c(hi));
    let m = e.bin(BinOp::Max, x, l);
    e.bin(BinOp::Min, m, h)
}
