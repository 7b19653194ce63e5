//! Reverbs, with stereo output. `reverb` is Jezar's Freeverb (Jezar at Dreampoint, June
//! 2000, public domain): per channel 8 low-pass-feedback combs in parallel, then 4
//! allpasses in series, the right channel's lengths 23 samples longer; the lengths are
//! the published ones at 44.1 kHz, scaled to the sample rate. `plate` is Jon Dattorro's
//! plate (J. Dattorro, "Effect Design Part 1: Reverberator and Other Filters", JAES
//! 45(9), 1997, figure 1 and tables 1 and 2): predelay, a bandwidth one-pole, 4 input
//! diffusers, and a figure-of-eight tank of two halves (modulated allpass, delay,
//! damping, decay, allpass, delay) feeding each other, read by 7 taps per side; its
//! lengths are the paper's at 29,761 Hz, scaled. Every comb, allpass, delay and tap is a
//! delay line from [`super::dsp`].
//!
//! A stereo builtin gets its input's right channel through [`Emitter::right_input`]
//! (a mono input feeds both) and gives its right output with
//! [`Emitter::set_right_output`]; the lowering makes its value two channels.

use super::dsp::{self, clamp, DelayTime};
use super::{opt, req, Builtin, Emitter};
use crate::ir::{BinOp, NodeId};

/// The builtins whose value is stereo (`[left, right]`) whatever their input.
pub const STEREO: &[&str] = &["reverb", "plate"];

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

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
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
    },
    Builtin {
        name: "plate",
        params: &[
            req("input"),
            req("pre_delay"),
            req("decay"),
            opt("diffusion", 1.0),
            opt("damping", 0.0005),
            opt("mod_depth", 1.0),
            opt("mix", 0.3),
        ],
        summary: "Dattorro's 1997 plate reverb, stereo out (Phonon's parameters).",
        formula: "x = (l + r)/2 delayed pre_delay s (clamped to [0, 1]), then y ← 0.9995·x + 0.0005·y; \
allpass(N, g): w = u + g·w[n−N], out = w[n−N] − g·w; input diffusers 142, 107 (g = 0.75·diffusion), 379, 277 (0.625·diffusion); \
tank half L: u = x + decay·R_end, allpass 672 read at 672 + 16·mod_depth·sin(2π·1 Hz·t) with g = −0.7·diffusion, delay 4453, \
s ← (1 − damping)·d + damping·s, ·decay, allpass 1800 (g = 0.5·diffusion), delay 3720 → L_end; half R: 908 (cos), 4217, 2656, 3163 → R_end; \
left = 0.6·(a[266] + a[2974] − b[1913] + c[1996] − d[1990] − e[187] − f[1066]), right = 0.6·(d[353] + d[3627] − e[1228] + f[2673] − a[2111] − b[335] − c[121]) \
with a, b, c the R half's delay 4217, allpass 2656, delay 3163 lines and d, e, f the L half's 4453, 1800, 3720; lengths at 29,761 Hz scaled by sr/29761 and rounded; \
decay clamped to [0, 0.99], damping, diffusion, mix to [0, 1]; out = wet·mix + in·(1 − mix)",
        lower: plate,
    },
];

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

/// The rate Dattorro's lengths are given at.
pub const DATTORRO_SR: f64 = 29_761.0;
/// Dattorro's input diffusers: length, and coefficient (before `diffusion`).
pub const PLATE_DIFFUSERS: [(usize, f64); 4] =
    [(142, 0.75), (107, 0.75), (379, 0.625), (277, 0.625)];
/// One tank half: modulated allpass, delay, allpass, delay lengths.
pub const PLATE_HALVES: [[usize; 4]; 2] = [[672, 4453, 1800, 3720], [908, 4217, 2656, 3163]];
/// Peak excursion of the modulated allpasses, in samples at 29,761 Hz.
pub const PLATE_EXCURSION: f64 = 16.0;
/// Rate of the tank's modulation, in Hz.
pub const PLATE_LFO_HZ: f64 = 1.0;
/// Output taps: (half, element, tap, sign); element 0 = first delay, 1 = second
/// allpass's line, 2 = second delay. Left, then right (Dattorro's table 2).
pub const PLATE_TAPS: [[(usize, usize, usize, f64); 7]; 2] = [
    [
        (1, 0, 266, 1.0),
        (1, 0, 2974, 1.0),
        (1, 1, 1913, -1.0),
        (1, 2, 1996, 1.0),
        (0, 0, 1990, -1.0),
        (0, 1, 187, -1.0),
        (0, 2, 1066, -1.0),
    ],
    [
        (0, 0, 353, 1.0),
        (0, 0, 3627, 1.0),
        (0, 1, 1228, -1.0),
        (0, 2, 2673, 1.0),
        (1, 0, 2111, -1.0),
        (1, 1, 335, -1.0),
        (1, 2, 121, -1.0),
    ],
];

/// A length from Dattorro's table, scaled to the sample rate (at least 1).
pub fn plate_scaled(len: usize, sr: f64) -> usize {
    ((len as f64 * sr / DATTORRO_SR).round() as usize).max(1)
}

/// A Schroeder allpass `w = u + g·w[n−N]`, `out = w[n−N] − g·w`, its line read `back`
/// samples behind (`N`, or a modulated length up to `max`). Returns the output and `w`.
fn lattice(
    e: &mut Emitter,
    prefix: &str,
    u: NodeId,
    g: NodeId,
    back: DelayTime,
    max: usize,
) -> Result<(NodeId, NodeId), String> {
    let (cell, prev) = e.state(&format!("{prefix}v"), 0.0)?;
    let one = e.c(1.0);
    let back = match back {
        DelayTime::Samples(n) => DelayTime::Samples(e.sub(n, one)),
        secs => secs,
    };
    let d = dsp::delay_line(e, prefix, prev, back, max - 1)?;
    let f = e.mul(g, d);
    let w = e.add(u, f);
    e.set_next(cell, w);
    let gw = e.mul(g, w);
    Ok((e.sub(d, gw), w))
}

/// `plate input pre_delay decay diffusion damping mod_depth mix`.
fn plate(e: &mut Emitter, a: &[NodeId]) -> Result<NodeId, String> {
    let l = a[0];
    let r = e.right_input().unwrap_or(l);
    let sr = e.sr();
    let decay = clamp(e, a[2], 0.0, 0.99);
    let diffusion = clamp(e, a[3], 0.0, 1.0);
    let damping = clamp(e, a[4], 0.0, 1.0);
    let depth = a[5];
    let mix = clamp(e, a[6], 0.0, 1.0);
    let sum = e.add(l, r);
    let half = e.c(0.5);
    let x = e.mul(sum, half);
    let pre = clamp(e, a[1], 0.0, 1.0);
    let x = dsp::delay_line(e, "pre_", x, DelayTime::Secs(pre), sr as usize)?;
    // Dattorro's bandwidth filter: y ← bandwidth·x + (1 − bandwidth)·y.
    let bw = e.c(0.9995);
    let (bcell, b1) = e.state("bandwidth", 0.0)?;
    let bx = e.mul(bw, x);
    let keep = e.c(1.0 - 0.9995);
    let by = e.mul(keep, b1);
    let mut x = e.add(bx, by);
    e.set_next(bcell, x);
    for (i, &(n, g)) in PLATE_DIFFUSERS.iter().enumerate() {
        let gc = e.c(g);
        let g = e.mul(gc, diffusion);
        let n = plate_scaled(n, sr);
        let back = e.c(n as f64);
        x = lattice(
            e,
            &format!("diffuser{i}_"),
            x,
            g,
            DelayTime::Samples(back),
            n,
        )?
        .0;
    }
    // The tank's two ends, from the previous sample: each half's last delay is fed
    // through a cell (its input is known only after the other half ran).
    let mut ends = Vec::new();
    let mut end_cells = Vec::new();
    for (h, lens) in PLATE_HALVES.iter().enumerate() {
        let n = plate_scaled(lens[3], sr);
        let (cell, prev) = e.state(&format!("half{h}_end_v"), 0.0)?;
        let back = e.c((n - 1) as f64);
        let out = dsp::delay_line(
            e,
            &format!("half{h}_end_"),
            prev,
            DelayTime::Samples(back),
            n - 1,
        )?;
        ends.push(out);
        end_cells.push((cell, n));
    }
    // The modulation: a 1 Hz sine for the left half, its quarter turn ahead (cosine)
    // for the right.
    let (pcell, p) = e.state("lfo", 0.0)?;
    let inc = e.c(PLATE_LFO_HZ / sr);
    let next = e.add(p, inc);
    let next = e.frac(next);
    e.set_next(pcell, next);
    let excursion = e.c(PLATE_EXCURSION * sr / DATTORRO_SR);
    let excursion = e.mul(excursion, depth);
    // Line inputs each tap reads: [half][element].
    let mut lines = [[x; 3]; 2];
    for (h, lens) in PLATE_HALVES.iter().enumerate() {
        let other = ends[1 - h];
        let fb = e.mul(decay, other);
        let u = e.add(x, fb);
        let turn = e.c(0.25 * h as f64);
        let ph = e.add(p, turn);
        let s = e.un(crate::ir::UnOp::SinTau, ph);
        let m = e.mul(excursion, s);
        let n0 = plate_scaled(lens[0], sr);
        let base = e.c(n0 as f64);
        let back = e.add(base, m);
        let g1c = e.c(-0.7);
        let g1 = e.mul(g1c, diffusion);
        let max = n0 + (2.0 * PLATE_EXCURSION * sr / DATTORRO_SR).ceil() as usize * 4 + 4;
        let (ap, _) = lattice(
            e,
            &format!("half{h}_mod_"),
            u,
            g1,
            DelayTime::Samples(back),
            max,
        )?;
        let n1 = plate_scaled(lens[1], sr);
        let back1 = e.c(n1 as f64);
        let d1 = dsp::delay_line(
            e,
            &format!("half{h}_delay_"),
            ap,
            DelayTime::Samples(back1),
            n1,
        )?;
        let damped = {
            let (scell, s1) = e.state(&format!("half{h}_damp"), 0.0)?;
            let one = e.c(1.0);
            let k = e.sub(one, damping);
            let a = e.mul(k, d1);
            let b = e.mul(damping, s1);
            let s = e.add(a, b);
            e.set_next(scell, s);
            s
        };
        let decayed = e.mul(damped, decay);
        let g2c = e.c(0.5);
        let g2 = e.mul(g2c, diffusion);
        let n2 = plate_scaled(lens[2], sr);
        let back2 = e.c(n2 as f64);
        let (ap2, w2) = lattice(
            e,
            &format!("half{h}_allpass_"),
            decayed,
            g2,
            DelayTime::Samples(back2),
            n2,
        )?;
        let (cell, _) = end_cells[h];
        e.set_next(cell, ap2);
        lines[h] = [ap, w2, ap2];
    }
    let gain = e.c(0.6);
    let dry = {
        let one = e.c(1.0);
        e.sub(one, mix)
    };
    let mut outs = [l, r];
    for (side, taps) in PLATE_TAPS.iter().enumerate() {
        let mut acc = e.c(0.0);
        for (t, &(h, el, k, sign)) in taps.iter().enumerate() {
            let k = plate_scaled(k, sr);
            let back = e.c(k as f64);
            let v = dsp::delay_line(
                e,
                &format!("tap{side}_{t}_"),
                lines[h][el],
                DelayTime::Samples(back),
                k,
            )?;
            acc = if sign > 0.0 {
                e.add(acc, v)
            } else {
                e.sub(acc, v)
            };
        }
        let wet = e.mul(acc, gain);
        let wet = e.mul(wet, mix);
        let input = if side == 0 { l } else { r };
        let d = e.mul(input, dry);
        outs[side] = e.add(wet, d);
    }
    e.set_right_output(outs[1]);
    Ok(outs[0])
}
