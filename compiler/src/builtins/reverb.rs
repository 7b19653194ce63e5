//! Reverbs, with stereo output. `reverb` is Jezar's Freeverb (Jezar at Dreampoint, June
//! 2000, public domain): per channel 8 low-pass-feedback combs in parallel, then 4
//! allpasses in series, the right channel's lengths 23 samples longer; the lengths are
//! the published ones at 44.1 kHz, scaled to the sample rate. Every comb and allpass is a
//! delay line from [`super::dsp`].
//!
//! A stereo builtin gets its input's right channel through [`Emitter::right_input`]
//! (a mono input feeds both) and gives its right output with
//! [`Emitter::set_right_output`]; the lowering makes its value two channels.

use super::dsp::{self, DelayTime};
use super::{opt, req, Builtin, Emitter};
use crate::ir::{BinOp, NodeId};

/// The builtins whose value is stereo (`[left, right]`) whatever their input.
pub const STEREO: &[&str] = &["reverb"];

/// Freeverb's comb lengths at 44.1 kHz, left channel (`tuning.h`).
pub const COMBS: [usize; 8] = [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617];
/// Freeverb's allpass lengths at 44.1 kHz, left channel.
pub const ALLPASSES: [usize; 4] = [556, 441, 341, 225];
/// How much longer the right channel's lines are, at 44.1 kHz.
pub const SPREAD: usize = 23;
/// Freeverb's input gain (`fixedgain`), applied to left + right.
pub const FIXED_GAIN: f64 = 0.015;
/// The allpasses' feedback.
pub const ALLPASS_FEEDBACK: f64 = 0.5;

pub(super) static BUILTINS: &[Builtin] = &[Builtin {
    name: "reverb",
    params: &[
        req("input"),
        req("room_size"),
        req("damping"),
        opt("mix", 0.3),
    ],
    summary: "Jezar's Freeverb, stereo out: 8 damped combs and 4 allpasses per channel.",
    formula:
        "x = (l + r)·0.015 (a mono input is both l and r); per channel, each comb of length N: \
o = v[n−N], s ← o·(1 − d) + s·d, v = x + s·f with f = 0.7 + 0.28·room_size, d = 0.4·damping; \
w = sum of the combs; each allpass of length N: b = u[n−N], w ← b − w, u = w_in + b·0.5; \
lengths at 44.1 kHz 1116 1188 1277 1356 1422 1491 1557 1617 and 556 441 341 225, right +23, \
scaled by sr/44100 and rounded; out = w·mix + in·(1 − mix)",
    lower: reverb,
}];

/// A length from Freeverb's table, scaled to the sample rate (at least 1).
pub fn scaled(len: usize, sr: f64) -> usize {
    ((len as f64 * sr / 44_100.0).round() as usize).max(1)
}

/// `v[n − len]` of a signal `v` that depends on this very output: the line is fed the
/// previous sample's `v` (a state cell) and read `len − 1` behind, so nothing in the
/// sample's graph loops. Returns the output and the cell `v` must be stored in.
fn feedback_line(
    e: &mut Emitter,
    prefix: &str,
    len: usize,
) -> Result<(NodeId, crate::ir::CellId), String> {
    let (cell, prev) = e.state(&format!("{prefix}v"), 0.0)?;
    let back = e.c((len - 1) as f64);
    let out = dsp::delay_line(e, prefix, prev, DelayTime::Samples(back), len - 1)?;
    Ok((out, cell))
}

/// Freeverb's `comb::process`: `o = buf[i]; s = o·damp2 + s·damp1; buf[i] = x + s·fb`.
fn comb(
    e: &mut Emitter,
    prefix: &str,
    len: usize,
    x: NodeId,
    fb: NodeId,
    damp1: NodeId,
    damp2: NodeId,
) -> Result<NodeId, String> {
    let (o, cell) = feedback_line(e, prefix, len)?;
    let (scell, s1) = e.state(&format!("{prefix}store"), 0.0)?;
    let a = e.mul(o, damp2);
    let b = e.mul(s1, damp1);
    let s = e.add(a, b);
    e.set_next(scell, s);
    let f = e.mul(s, fb);
    let v = e.add(x, f);
    e.set_next(cell, v);
    Ok(o)
}

/// Freeverb's `allpass::process`: `b = buf[i]; out = −x + b; buf[i] = x + b·0.5`.
fn allpass(e: &mut Emitter, prefix: &str, len: usize, x: NodeId) -> Result<NodeId, String> {
    let (b, cell) = feedback_line(e, prefix, len)?;
    let g = e.c(ALLPASS_FEEDBACK);
    let f = e.mul(b, g);
    let v = e.add(x, f);
    e.set_next(cell, v);
    Ok(e.sub(b, x))
}

/// `reverb input room damp mix`.
fn reverb(e: &mut Emitter, a: &[NodeId]) -> Result<NodeId, String> {
    let (l, room, damp, mix) = (a[0], a[1], a[2], a[3]);
    let r = e.right_input().unwrap_or(l);
    let sr = e.sr();
    let sum = e.add(l, r);
    let gain = e.c(FIXED_GAIN);
    let x = e.mul(sum, gain);
    // Freeverb's settings run from 0 to 1; past 1 the combs would feed back more than
    // they hold (Phonon programs write `:room_size 2.0`).
    let (lo, hi) = (e.c(0.0), e.c(1.0));
    let room = e.bin(BinOp::Max, room, lo);
    let room = e.bin(BinOp::Min, room, hi);
    let damp = e.bin(BinOp::Max, damp, lo);
    let damp = e.bin(BinOp::Min, damp, hi);
    let fb = {
        let s = e.c(0.28);
        let m = e.mul(room, s);
        let o = e.c(0.7);
        e.add(m, o)
    };
    let damp1 = {
        let s = e.c(0.4);
        e.mul(damp, s)
    };
    let one = e.c(1.0);
    let damp2 = e.sub(one, damp1);
    let dry = e.sub(one, mix);
    let mut outs = [l, r];
    for (side, spread) in [("L", 0), ("R", SPREAD)] {
        let zero = e.c(0.0);
        let mut w = zero;
        for (i, &n) in COMBS.iter().enumerate() {
            let o = comb(
                e,
                &format!("comb{side}{i}_"),
                scaled(n + spread, sr),
                x,
                fb,
                damp1,
                damp2,
            )?;
            w = e.add(w, o);
        }
        for (i, &n) in ALLPASSES.iter().enumerate() {
            w = allpass(e, &format!("allpass{side}{i}_"), scaled(n + spread, sr), w)?;
        }
        let input = if side == "L" { l } else { r };
        let wet = e.mul(w, mix);
        let d = e.mul(input, dry);
        outs[usize::from(side == "R")] = e.add(wet, d);
    }
    e.set_right_output(outs[1]);
    Ok(outs[0])
}
