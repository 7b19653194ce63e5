//! Effects, filters and analysis with Phonon's names, parameter order and ranges: the
//! Moog ladder, SuperCollider-style resonant filters, a three-band EQ, distortion and
//! bit crushing, the modulated delays (chorus, flanger, vibrato: the shared delay line of
//! [`super::dsp`]), phaser, tremolo, dynamics, followers and triggers.

use super::dsp::{self, clamp, phase_at, DelayTime, Response};
use super::{opt, req, Builtin, Emitter};
use crate::ir::{math, BinOp, NodeId, UnOp};

pub(super) static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "moog_ladder",
        params: &[req("input"), req("cutoff"), req("resonance")],
        summary: "Moog ladder low-pass: Stilson & Smith's model (ICMC 1996) with tanh on the last stage, as fundsp's `moog`.",
        formula: "fc = clamp(cutoff, 20, min(20000, 0.45·sr)), r = clamp(resonance, 0, 1); c = 2·fc/sr, \
p = c·(1.8 − 0.8·c), k = 2·sin(c·π/2) − 1, t1 = (1 − p)·1.386249, t2 = 12 + t1², \
rez = r·(t2 + 6·t1)/(t2 − 6·t1) (the musicdsp.org \"Moog VCF, variation 1\" tuning); \
x = input − rez·s3; s0 ← (x + x[n−1])·p − k·s0; s1 ← (s0 + s0[n−1])·p − k·s1; s2 likewise; \
s3 ← tanh((s2 + s2[n−1])·p − k·s3); y = s3; all start at 0",
        lower: moog,
    },
    Builtin {
        name: "rlpf",
        params: &[req("input"), req("cutoff"), req("resonance")],
        summary: "Resonant low-pass, Phonon's: the RBJ low-pass with q = resonance.",
        formula: "`lpf input min(cutoff, 0.45·sr) clamp(resonance, 0.1, 20)`",
        lower: |e, a| rbj_clamped(e, a, Response::Low, 0.1, 20.0),
    },
    Builtin {
        name: "rhpf",
        params: &[req("input"), req("cutoff"), req("resonance")],
        summary: "Resonant high-pass, Phonon's: the RBJ high-pass with q = resonance.",
        formula: "`hpf input min(cutoff, 0.45·sr) clamp(resonance, 0.1, 20)`",
        lower: |e, a| rbj_clamped(e, a, Response::High, 0.1, 20.0),
    },
    Builtin {
        name: "resonz",
        params: &[req("input"), req("freq"), req("q")],
        summary: "Resonant band-pass with a 0 dB peak, Phonon's.",
        formula: "`bpf input min(freq, 0.45·sr) clamp(q, 0.5, 100)`",
        lower: |e, a| rbj_clamped(e, a, Response::Band, 0.5, 100.0),
    },
    Builtin {
        name: "parametric_eq",
        params: &[
            req("input"),
            req("low_freq"),
            req("low_gain"),
            req("low_q"),
            req("mid_freq"),
            req("mid_gain"),
            req("mid_q"),
            req("high_freq"),
            req("high_gain"),
            req("high_q"),
        ],
        summary: "Three RBJ peaking bands in series (gains in dB), Phonon's.",
        formula: "per band: fc = clamp(freq, 20, min(20000, 0.49·sr)), g = clamp(gain, −20, 20), \
q = clamp(q, 0.1, 10), A = 10^(g/40), w = 2π·fc/sr, α = sin(w)/(2q), r = 1/(1 + α/A); \
b0 = (1 + α·A)·r, b1 = a1 = −2·cos(w)·r, b2 = (1 − α·A)·r, a2 = (1 − α/A)·r; see biquads",
        lower: |e, a| {
            let mut y = a[0];
            for (band, p) in [("low_", &a[1..4]), ("mid_", &a[4..7]), ("high_", &a[7..10])] {
                let c = peaking(e, p[0], p[1], p[2]);
                y = dsp::biquad(e, band, y, c)?;
            }
            Ok(y)
        },
    },
    Builtin {
        name: "distortion",
        params: &[req("input"), req("drive"), opt("mix", 0.5)],
        summary: "tanh waveshaper mixed with the dry input, Phonon's.",
        formula: "d = clamp(drive, 1, 100), m = clamp(mix, 0, 1); y = x·(1 − m) + tanh(x·d)·m",
        lower: distortion,
    },
    Builtin {
        name: "distort",
        params: &[req("input"), req("drive"), opt("mix", 0.5)],
        summary: "Another name of `distortion`.",
        formula: "as `distortion`",
        lower: distortion,
    },
    Builtin {
        name: "dist",
        params: &[req("input"), req("drive"), opt("mix", 0.5)],
        summary: "Phonon's short name of `distortion`.",
        formula: "as `distortion`",
        lower: distortion,
    },
    Builtin {
        name: "bitcrush",
        params: &[req("input"), req("bits"), req("rate")],
        summary: "Bit-depth and sample-rate reduction: each sample held for `rate` samples, quantised.",
        formula: "b = clamp(bits, 1, 16), R = clamp(rate, 1, 64); s = ph + 1/R; if s ≥ 1: \
h ← floor(x·2^b + 0.5)/2^b, ph ← s − floor(s), else ph ← s; y = h; ph starts at 1, h at 0",
        lower: |e, a| {
            let bits = clamp(e, a[1], 1.0, 16.0);
            let rate = clamp(e, a[2], 1.0, 64.0);
            let (ph_cell, ph) = e.state("phase", 1.0)?;
            let (h_cell, h) = e.state("held", 0.0)?;
            let one = e.c(1.0);
            let step = e.div(one, rate);
            let s = e.add(ph, step);
            let take = e.bin(BinOp::Ge, s, one);
            let wrapped = e.frac(s);
            let next_ph = e.select(take, wrapped, s);
            e.set_next(ph_cell, next_ph);
            let two = e.c(2.0);
            let levels = e.bin(BinOp::Pow, two, bits);
            let scaled = e.mul(a[0], levels);
            let half = e.c(0.5);
            let r = e.add(scaled, half);
            let r = e.un(UnOp::Floor, r);
            let q = e.div(r, levels);
            let y = e.select(take, q, h);
            e.set_next(h_cell, y);
            Ok(y)
        },
    },
    Builtin {
        name: "chorus",
        params: &[req("input"), req("rate"), req("depth"), opt("mix", 0.3)],
        summary: "Chorus, Phonon's: one delay swept 15 ± 10·depth ms by a sine LFO.",
        formula: "rate clamped to [0.1, 10], depth and mix to [0, 1]; l = sin(2π·p) with p the phase of rate; \
y = x·(1 − mix) + mix·`delay` x (0.015 + 0.010·depth·l)",
        lower: |e, a| chorus(e, a[0], a[1], a[2], a[3], 1),
    },
    Builtin {
        name: "chorus_voices",
        params: &[req("input"), req("rate"), req("depth"), req("voices"), opt("mix", 0.3)],
        summary: "`chorus` with n voices reading one delay line, their LFOs spread evenly over the cycle \
(fundsp's `chorus` is five voices on one line).",
        formula: "voices a constant, truncated and clamped to [1, 8]; rate, depth, mix as `chorus`; \
s = sin(2π·p), c = sin(2π·(p + 1/4)) with p the phase of rate; l₀ = s, l_k = s·cos(2πk/n) + c·sin(2πk/n) \
for k ≥ 1 (the LFO k/n of a cycle later); tap_k = `delay` x (0.015 + 0.010·depth·l_k) seconds, every tap on one line, \
in samples 0.015·sr + b·s for k = 0 and 0.015·sr + ((b·cos(2πk/n))·s + (b·sin(2πk/n))·c) for k ≥ 1 with b = 0.010·sr·depth; \
y = x·(1 − mix) + ((tap₀ + tap₁ + … + tap_{n−1})·(1/n))·mix; with one voice, `chorus`",
        lower: |e, a| {
            let voices = e
                .constant(a[3])
                .ok_or("the number of voices of `chorus_voices` must be a constant")?;
            let n = voices.trunc().clamp(1.0, MAX_CHORUS_VOICES) as usize;
            chorus(e, a[0], a[1], a[2], a[4], n)
        },
    },
    Builtin {
        name: "flanger",
        params: &[req("input"), req("depth"), req("rate"), req("feedback")],
        summary: "Flanger: a 3 ± 2·depth ms swept delay with feedback into the line, mixed by depth/2.",
        formula: "depth clamped to [0, 1], rate to [0.1, 10], feedback to [0, 0.95]; l = sin(2π·p), p the phase \
of rate; w = `delay` (x + feedback·w[n−1]) (0.003 + 0.002·depth·l); y = x·(1 − depth/2) + w·depth/2 \
(Phonon adds the feedback after the line instead, which only low-passes the wet signal)",
        lower: |e, a| {
            let depth = clamp(e, a[1], 0.0, 1.0);
            let rate = clamp(e, a[2], 0.1, 10.0);
            let fb = clamp(e, a[3], 0.0, 0.95);
            let p = phase_at(e, "lfo", 0.0, rate)?;
            let l = e.un(UnOp::SinTau, p);
            let d = swept(e, 0.003, 0.002, depth, l);
            let (w_cell, w1) = e.state("wet", 0.0)?;
            let f = e.mul(fb, w1);
            let line_in = e.add(a[0], f);
            let max = (0.006 * e.sr()).ceil() as usize;
            let wet = dsp::delay_line(e, "", line_in, DelayTime::Secs(d), max)?;
            e.set_next(w_cell, wet);
            let half = e.c(0.5);
            let mix = e.mul(depth, half);
            Ok(crossfade(e, a[0], wet, mix))
        },
    },
    Builtin {
        name: "phaser",
        params: &[req("input"), req("rate"), req("depth"), req("feedback"), req("stages")],
        summary: "Phaser, Phonon's: first-order allpasses swept 200…2000 Hz, with feedback (stages a constant, 1 to 12).",
        formula: "rate clamped to [0.05, 5], depth to [0, 1], feedback to [0, 0.95]; p ← frac(p + rate/sr) \
first, l = (sin(2π·p) + 1)/2; fc = 200 + 1800·l·depth, t = tan(π·fc/sr), a = (t − 1)/(t + 1); \
s = x + feedback·s_last[n−1]; per stage s ← a·s + s_in[n−1] − a·s_out[n−1]; y = (x + s)/2",
        lower: phaser,
    },
    Builtin {
        name: "tremolo",
        params: &[req("input"), req("rate"), req("depth")],
        summary: "Amplitude modulation by a sine LFO, Phonon's.",
        formula: "rate clamped to [0.1, 20], depth to [0, 1]; p ← frac(p + rate/sr) first; \
y = x·(1 − depth/2 + depth/2·sin(2π·p))",
        lower: |e, a| {
            let rate = clamp(e, a[1], 0.1, 20.0);
            let depth = clamp(e, a[2], 0.0, 1.0);
            let l = lfo_after(e, rate)?;
            let half = e.c(0.5);
            let hd = e.mul(depth, half);
            let one = e.c(1.0);
            let base = e.sub(one, hd);
            let m = e.mul(hd, l);
            let g = e.add(base, m);
            Ok(e.mul(a[0], g))
        },
    },
    Builtin {
        name: "vibrato",
        params: &[req("input"), req("rate"), req("depth")],
        summary: "Pitch vibrato by a swept delay, Phonon's (depth 0 to 2).",
        formula: "rate clamped to [0.1, 20], depth to [0, 2]; p ← frac(p + rate/sr) first; \
y = `delay` x (0.005·depth·(1 + sin(2π·p)))",
        lower: |e, a| {
            let rate = clamp(e, a[1], 0.1, 20.0);
            let depth = clamp(e, a[2], 0.0, 2.0);
            let l = lfo_after(e, rate)?;
            let one = e.c(1.0);
            let s = e.add(one, l);
            let k = e.c(0.005);
            let d = e.mul(depth, k);
            let d = e.mul(d, s);
            let max = (0.021 * e.sr()).ceil() as usize;
            dsp::delay_line(e, "", a[0], DelayTime::Secs(d), max)
        },
    },
    Builtin {
        name: "ring_mod",
        params: &[req("a"), req("b")],
        summary: "Ring modulation: the product of two signals.",
        formula: "a·b",
        lower: |e, a| Ok(e.mul(a[0], a[1])),
    },
    Builtin {
        name: "compressor",
        params: &[
            req("input"),
            req("threshold"),
            req("ratio"),
            req("attack"),
            req("release"),
            req("makeup"),
        ],
        summary: "Feed-forward compressor on a peak envelope (threshold and makeup in dB), Phonon's.",
        formula: "threshold clamped to [−60, 0] dB, ratio to [1, 20], attack to [0.001, 1] s, release to \
[0.01, 3] s, makeup to [0, 30] dB; c = |x| > env ? exp(−1/(attack·sr)) : exp(−1/(release·sr)); \
env ← c·env + (1 − c)·|x|; T = 10^(threshold/20); y = x·(env > T ? (T/env)^(1 − 1/ratio) : 1)·10^(makeup/20)",
        lower: |e, a| {
            let thr_db = clamp(e, a[1], -60.0, 0.0);
            let ratio = clamp(e, a[2], 1.0, 20.0);
            let att = clamp(e, a[3], 0.001, 1.0);
            let rel = clamp(e, a[4], 0.01, 3.0);
            let makeup = clamp(e, a[5], 0.0, 30.0);
            let level = e.un(UnOp::Abs, a[0]);
            let env = dynamics_env(e, level, att, rel)?;
            let t = db_to_amp(e, thr_db);
            let one = e.c(1.0);
            let inv = e.div(one, ratio);
            let expo = e.sub(one, inv);
            let under = e.div(t, env);
            let g = e.bin(BinOp::Pow, under, expo);
            let over = e.bin(BinOp::Gt, env, t);
            let g = e.select(over, g, one);
            let mk = db_to_amp(e, makeup);
            let y = e.mul(a[0], g);
            Ok(e.mul(y, mk))
        },
    },
    Builtin {
        name: "expander",
        params: &[req("input"), req("threshold"), req("ratio"), req("attack"), req("release")],
        summary: "Upward expander on a peak envelope (threshold in dB), Phonon's: above the threshold the level is pushed further up.",
        formula: "threshold clamped to [−60, 0] dB, ratio to [1, 10], attack to [0.001, 1] s, release to \
[0.01, 3] s; c = |x| > env ? exp(−1/(attack·sr)) : exp(−1/(release·sr)); env ← c·env + (1 − c)·|x|; \
T = 10^(threshold/20); y = x·(env > T ? (env/T)^(ratio − 1) : 1) (Phonon's boost of (ratio − 1) dB per dB over)",
        lower: |e, a| {
            let thr_db = clamp(e, a[1], -60.0, 0.0);
            let ratio = clamp(e, a[2], 1.0, 10.0);
            let att = clamp(e, a[3], 0.001, 1.0);
            let rel = clamp(e, a[4], 0.01, 3.0);
            let level = e.un(UnOp::Abs, a[0]);
            let env = dynamics_env(e, level, att, rel)?;
            let t = db_to_amp(e, thr_db);
            let one = e.c(1.0);
            let expo = e.sub(ratio, one);
            let over_t = e.div(env, t);
            let g = e.bin(BinOp::Pow, over_t, expo);
            let over = e.bin(BinOp::Gt, env, t);
            let g = e.select(over, g, one);
            Ok(e.mul(a[0], g))
        },
    },
    Builtin {
        name: "limiter",
        params: &[req("input"), req("threshold"), opt("attack", 0.005), opt("release", 0.05)],
        summary: "Look-ahead peak limiter, Phonon's: the input delayed by `attack` (a constant) under an instant-attack gain.",
        formula: "L = clamp(round(attack·sr), 1, 0.1·sr) samples, T = clamp(threshold, 0.001, 2), \
release clamped to [0.01, 1]; t = |x| > T ? T/|x| : 1; g ← t < g ? t : c·g + (1 − c)·t with \
c = exp(−1/(release·sr)), g starts at 1; y = x[n − L]·g",
        lower: |e, a| {
            let attack = e
                .constant(a[2])
                .ok_or("the attack (look-ahead) of `limiter` must be a constant")?;
            let look = (attack * e.sr()).round().clamp(1.0, (0.1 * e.sr()).round());
            let t = clamp(e, a[1], 0.001, 2.0);
            let rel = clamp(e, a[3], 0.01, 1.0);
            let level = e.un(UnOp::Abs, a[0]);
            let ratio = e.div(t, level);
            let one = e.c(1.0);
            let over = e.bin(BinOp::Gt, level, t);
            let target = e.select(over, ratio, one);
            let (g_cell, g) = e.state("gain", 1.0)?;
            let c = time_pole(e, rel);
            let released = smooth(e, g, target, c);
            let down = e.bin(BinOp::Lt, target, g);
            let g = e.select(down, target, released);
            e.set_next(g_cell, g);
            let l = e.c(look);
            let delayed =
                dsp::delay_line(e, "", a[0], DelayTime::Samples(l), look as usize)?;
            Ok(e.mul(delayed, g))
        },
    },
    Builtin {
        name: "amp_follower",
        params: &[req("input"), req("attack"), req("release"), req("window")],
        summary: "RMS over a sliding window (a constant, in seconds), smoothed by attack and release, Phonon's.",
        formula: "W = clamp(trunc(window·sr), 1, 2·sr) samples; S ← max(S + x² − x²[n−W], 0) (x² through \
`delay`), rms = √(S/W); env ← env + (rms − env)·(rms > env ? ka : kr), k = 1 − exp(−1/(max(t, 10⁻⁵)·sr)); y = env",
        lower: |e, a| {
            let win = e
                .constant(a[3])
                .ok_or("the window of `amp_follower` must be a constant")?;
            let w = (win * e.sr()).trunc().clamp(1.0, 2.0 * e.sr());
            let sq = e.mul(a[0], a[0]);
            let wc = e.c(w);
            let old = dsp::delay_line(e, "", sq, DelayTime::Samples(wc), w as usize)?;
            let (s_cell, s) = e.state("sum", 0.0)?;
            let s = e.add(s, sq);
            let s = e.sub(s, old);
            let zero = e.c(0.0);
            let s = e.bin(BinOp::Max, s, zero);
            e.set_next(s_cell, s);
            let inv_w = e.c(1.0 / w);
            let mean = e.mul(s, inv_w);
            let rms = e.un(UnOp::Sqrt, mean);
            follow(e, rms, a[1], a[2])
        },
    },
    Builtin {
        name: "peak_follower",
        params: &[req("input"), req("attack"), req("release")],
        summary: "Peak envelope of |x| with attack and release times in seconds, Phonon's.",
        formula: "env ← env + (|x| − env)·(|x| > env ? ka : kr), k = 1 − exp(−1/(max(t, 10⁻⁵)·sr)); y = env",
        lower: |e, a| {
            let level = e.un(UnOp::Abs, a[0]);
            follow(e, level, a[1], a[2])
        },
    },
    Builtin {
        name: "schmidt",
        params: &[req("input"), req("high"), req("low")],
        summary: "Schmitt trigger: goes to 1 above high, back to 0 below low.",
        formula: "s ← s = 1 ? (x < low ? 0 : 1) : (x > high ? 1 : 0); y = s; s starts at 0",
        lower: |e, a| {
            let (cell, s) = e.state("state", 0.0)?;
            let below = e.bin(BinOp::Lt, a[0], a[2]);
            let above = e.bin(BinOp::Gt, a[0], a[1]);
            let (zero, one) = (e.c(0.0), e.c(1.0));
            let stay_on = e.select(below, zero, one);
            let y = e.select(s, stay_on, above);
            e.set_next(cell, y);
            Ok(y)
        },
    },
    Builtin {
        name: "latch",
        params: &[req("input"), req("gate")],
        summary: "Holds the input taken when gate rises through 0.5, Phonon's.",
        formula: "h ← (gate[n−1] < 0.5 and gate ≥ 0.5) ? x : h; y = h; h and gate[−1] start at 0",
        lower: |e, a| hold(e, a[0], a[1], BinOp::Lt, BinOp::Ge, 0.5),
    },
    Builtin {
        name: "sample_hold",
        params: &[req("input"), req("trig")],
        summary: "Sample and hold on a trigger rising through 0, Phonon's.",
        formula: "h ← (trig[n−1] ≤ 0 and trig > 0) ? x : h; y = h; h and trig[−1] start at 0",
        lower: |e, a| hold(e, a[0], a[1], BinOp::Le, BinOp::Gt, 0.0),
    },
    Builtin {
        name: "formant",
        params: &[
            req("input"),
            req("f1"),
            req("f2"),
            req("f3"),
            req("bw1"),
            req("bw2"),
            req("bw3"),
        ],
        summary: "Three formant band-passes in parallel (Chamberlin state-variable filters), Phonon's.",
        formula: "f1, f2 clamped to [50, 5000] Hz, f3 to [50, 10000], bandwidths to [10, 1000]; per formant \
k = 2·sin(π·fc/sr), d = 1/max(fc/bw, 0.5): h = x − lo − d·b, b ← b + k·h, lo ← lo + k·b \
(Chamberlin 1985); y = (b1 + b2 + b3)/2",
        lower: |e, a| {
            let mut sum = None;
            for (i, top) in [(0, 5000.0), (1, 5000.0), (2, 10_000.0)] {
                let fc = clamp(e, a[1 + i], 50.0, top);
                let bw = clamp(e, a[4 + i], 10.0, 1000.0);
                let q = e.div(fc, bw);
                let half = e.c(0.5);
                let q = e.bin(BinOp::Max, q, half);
                let one = e.c(1.0);
                let damp = e.div(one, q);
                let k = svf_k(e, fc);
                let b = svf_band(e, &format!("f{}_", i + 1), a[0], k, damp)?;
                sum = Some(match sum {
                    None => b,
                    Some(acc) => e.add(acc, b),
                });
            }
            let half = e.c(0.5);
            Ok(e.mul(sum.expect("three formants"), half))
        },
    },
    Builtin {
        name: "vocoder",
        params: &[req("modulator"), req("carrier"), req("bands")],
        summary: "Channel vocoder, Phonon's: the modulator's band levels applied to the carrier's bands (bands a constant, 2 to 32).",
        formula: "B = clamp(trunc(bands), 2, 32); band i at fc = 100·100^(i/B) Hz, each a Chamberlin band-pass \
(k = 2·sin(π·fc/sr), d = 0.5) of the modulator (m) and of the carrier (c); \
env ← env + (|m| − env)·(|m| > env ? 0.01 : 0.1); y = Σ c·env / √B",
        lower: |e, a| {
            let bands = e
                .constant(a[2])
                .ok_or("the number of bands of `vocoder` must be a constant")?;
            let nb = bands.trunc().clamp(2.0, 32.0) as usize;
            let mut sum = None;
            for i in 0..nb {
                let fc = 100.0 * 100f64.powf(i as f64 / nb as f64);
                let k = e.c(2.0 * (std::f64::consts::PI * fc / e.sr()).sin());
                let damp = e.c(0.5);
                let m = svf_band(e, &format!("m{i}_"), a[0], k, damp)?;
                let c = svf_band(e, &format!("c{i}_"), a[1], k, damp)?;
                let level = e.un(UnOp::Abs, m);
                let (cell, env) = e.state(&format!("env{i}"), 0.0)?;
                let rising = e.bin(BinOp::Gt, level, env);
                let (ka, kr) = (e.c(0.01), e.c(0.1));
                let k = e.select(rising, ka, kr);
                let d = e.sub(level, env);
                let step = e.mul(d, k);
                let env = e.add(env, step);
                e.set_next(cell, env);
                let y = e.mul(c, env);
                sum = Some(match sum {
                    None => y,
                    Some(acc) => e.add(acc, y),
                });
            }
            let g = e.c(1.0 / (nb as f64).sqrt());
            Ok(e.mul(sum.expect("at least two bands"), g))
        },
    },
    Builtin {
        name: "pitch_shift",
        params: &[req("input"), req("semitones")],
        summary: "Delay-line pitch shifter: two taps sweeping a 50 ms window half a window apart, Hann-crossfaded (Phonon's grain size).",
        formula: "w = round(0.05·sr) samples, r = 2^(semitones/12); φ ← frac(φ + (1 − r)/w) (φ starts at 0, \
updated before use); φ2 = frac(φ + 0.5); g = sin²(π·φ); y = g·x[n − φ·w] + (1 − g)·x[n − φ2·w], \
each tap read through `delay` with no glide (its jump at φ = 0 is where its gain is 0)",
        lower: |e, a| {
            let w = (0.05 * e.sr()).round();
            let twelfth = e.c(1.0 / 12.0);
            let oct = e.mul(a[1], twelfth);
            let two = e.c(2.0);
            let ratio = e.bin(BinOp::Pow, two, oct);
            let one = e.c(1.0);
            let d = e.sub(one, ratio);
            let inv_w = e.c(1.0 / w);
            let step = e.mul(d, inv_w);
            let (cell, phi) = e.state("sweep", 0.0)?;
            let s = e.add(phi, step);
            let phi = e.frac(s);
            e.set_next(cell, phi);
            let half = e.c(0.5);
            let s2 = e.add(phi, half);
            let phi2 = e.frac(s2);
            let wc = e.c(w);
            let d1 = e.mul(phi, wc);
            let d2 = e.mul(phi2, wc);
            let max = w as usize;
            let t1 = dsp::delay_line(e, "a_", a[0], DelayTime::Jumping(d1), max)?;
            let t2 = dsp::delay_line(e, "b_", a[0], DelayTime::Jumping(d2), max)?;
            // sin(π·φ) is the oscillators' sin(2π·(φ/2)).
            let halfphi = e.mul(phi, half);
            let sp = e.un(UnOp::SinTau, halfphi);
            let g = e.mul(sp, sp);
            let g2 = e.sub(one, g);
            let y1 = e.mul(g, t1);
            let y2 = e.mul(g2, t2);
            Ok(e.add(y1, y2))
        },
    },
];

/// Most voices a `chorus` takes.
const MAX_CHORUS_VOICES: f64 = 8.0;

/// A chorus of `n` voices: they read taps of one line, so a voice costs its LFO and its
/// read, not a line of its own; their LFOs are rotations of one sine and cosine (two
/// multiplies and two adds each for its delay time, not a sine each).
fn chorus(
    e: &mut Emitter,
    x: NodeId,
    rate: NodeId,
    depth: NodeId,
    mix: NodeId,
    n: usize,
) -> Result<NodeId, String> {
    let rate = clamp(e, rate, 0.1, 10.0);
    let depth = clamp(e, depth, 0.0, 1.0);
    let mix = clamp(e, mix, 0.0, 1.0);
    // Each sine is computed a sample ahead, from the phase's next value, and held in a
    // cell: the same value as computed from the phase itself, but its long polynomial is
    // off the path from a sample's input to its output, so consecutive samples overlap.
    let (_, next) = dsp::phase_and_next(e, "lfo", 0.0, rate)?;
    // The cosine's phase before the sine: codegen then finds both phases ready at the
    // first sine and computes the two sines as one pair.
    let next_c = (n > 1).then(|| {
        let quarter = e.c(0.25);
        e.add(next, quarter)
    });
    let (s_cell, s) = e.state("lfo_sin", math::sin_turns(0.0))?;
    let s_next = e.un(UnOp::SinTau, next);
    e.set_next(s_cell, s_next);
    let c = match next_c {
        Some(next_c) => {
            let (c_cell, c) = e.state("lfo_cos", math::sin_turns(0.25))?;
            let c_next = e.un(UnOp::SinTau, next_c);
            e.set_next(c_cell, c_next);
            Some(c)
        }
        None => None,
    };
    // 15 ± 10 ms with |l| ≤ 1 (up to rounding) lies within the 26 ms line: no clamp needed.
    let mut times = Vec::with_capacity(n);
    if let Some(c) = c {
        // In samples, 0.015·sr + (0.010·sr·depth)·l_k, the rotation folded in:
        // a + (b·cos)·s + (b·sin)·c, with b·cos and b·sin computed once per block.
        let a = e.c(0.015 * e.sr());
        let w = e.c(0.010 * e.sr());
        let b = e.mul(depth, w);
        let bs = e.mul(b, s);
        times.push(DelayTime::SamplesInLine(e.add(a, bs)));
        for k in 1..n {
            let turn = std::f64::consts::TAU * k as f64 / n as f64;
            let (ck, sk) = (e.c(turn.cos()), e.c(turn.sin()));
            let (bc, bsk) = (e.mul(b, ck), e.mul(b, sk));
            let t1 = e.mul(bc, s);
            let t2 = e.mul(bsk, c);
            let t = e.add(t1, t2);
            times.push(DelayTime::SamplesInLine(e.add(a, t)));
        }
    } else {
        times.push(DelayTime::SecsInLine(swept(e, 0.015, 0.010, depth, s)));
    }
    let max = (0.026 * e.sr()).ceil() as usize;
    let taps = dsp::delay_taps(e, "", x, &times, max)?;
    let mut wet = taps[0];
    for &t in &taps[1..] {
        wet = e.add(wet, t);
    }
    if n > 1 {
        let inv = e.c(1.0 / n as f64);
        wet = e.mul(wet, inv);
    }
    Ok(crossfade(e, x, wet, mix))
}

/// Chamberlin's frequency coefficient `2·sin(π·fc/sr)`.
fn svf_k(e: &mut Emitter, fc: NodeId) -> NodeId {
    let w = e.c(std::f64::consts::PI / e.sr());
    let arg = e.mul(fc, w);
    let s = e.un(UnOp::Sin, arg);
    let two = e.c(2.0);
    e.mul(two, s)
}

/// One step of a Chamberlin state-variable filter; returns the new band-pass value.
/// Slots `<prefix>low`, `<prefix>band`.
fn svf_band(
    e: &mut Emitter,
    prefix: &str,
    x: NodeId,
    k: NodeId,
    damp: NodeId,
) -> Result<NodeId, String> {
    let (lo_cell, lo) = e.state(&format!("{prefix}low"), 0.0)?;
    let (b_cell, b) = e.state(&format!("{prefix}band"), 0.0)?;
    let h = e.sub(x, lo);
    let db = e.mul(damp, b);
    let h = e.sub(h, db);
    let kh = e.mul(k, h);
    let b = e.add(b, kh);
    let kb = e.mul(k, b);
    let lo = e.add(lo, kb);
    e.set_next(lo_cell, lo);
    e.set_next(b_cell, b);
    Ok(b)
}

/// The Stilson-Smith ladder with fundsp's tanh on the last stage.
fn moog(e: &mut Emitter, a: &[NodeId]) -> Result<NodeId, String> {
    let top = 20_000f64.min(0.45 * e.sr());
    let fc = clamp(e, a[1], 20.0, top);
    let res = clamp(e, a[2], 0.0, 1.0);
    let two_over_sr = e.c(2.0 / e.sr());
    let c = e.mul(fc, two_over_sr);
    let (k18, k08) = (e.c(1.8), e.c(0.8));
    let c08 = e.mul(k08, c);
    let t = e.sub(k18, c08);
    let p = e.mul(c, t);
    let half_pi = e.c(std::f64::consts::FRAC_PI_2);
    let arg = e.mul(c, half_pi);
    let s = e.un(UnOp::Sin, arg);
    let (one, two) = (e.c(1.0), e.c(2.0));
    let s2 = e.mul(two, s);
    let k = e.sub(s2, one);
    let omp = e.sub(one, p);
    let kt = e.c(1.386249);
    let t1 = e.mul(omp, kt);
    let t1sq = e.mul(t1, t1);
    let twelve = e.c(12.0);
    let t2 = e.add(twelve, t1sq);
    let six = e.c(6.0);
    let st1 = e.mul(six, t1);
    let num = e.add(t2, st1);
    let den = e.sub(t2, st1);
    let q = e.div(num, den);
    let rez = e.mul(res, q);
    let (s3_cell, s3) = e.state("s3", 0.0)?;
    let fb = e.mul(rez, s3);
    let x = e.sub(a[0], fb);
    let (px_cell, px) = e.state("x1", 0.0)?;
    e.set_next(px_cell, x);
    let mut input = (x, px);
    for i in 0..3 {
        let (cell, si) = e.state(&format!("s{i}"), 0.0)?;
        let next = ladder_stage(e, input, p, k, si);
        e.set_next(cell, next);
        input = (next, si);
    }
    let last = ladder_stage(e, input, p, k, s3);
    let y = e.un(UnOp::Tanh, last);
    e.set_next(s3_cell, y);
    Ok(y)
}

/// One ladder stage: `(x + x[n−1])·p − k·s`.
fn ladder_stage(
    e: &mut Emitter,
    (x, x1): (NodeId, NodeId),
    p: NodeId,
    k: NodeId,
    s: NodeId,
) -> NodeId {
    let sum = e.add(x, x1);
    let a = e.mul(sum, p);
    let b = e.mul(k, s);
    e.sub(a, b)
}

/// `rlpf`, `rhpf`, `resonz`: the RBJ biquad with Phonon's clamps on cutoff and q.
fn rbj_clamped(
    e: &mut Emitter,
    a: &[NodeId],
    response: Response,
    qlo: f64,
    qhi: f64,
) -> Result<NodeId, String> {
    let hi = e.c(0.45 * e.sr());
    let fc = e.bin(BinOp::Min, a[1], hi);
    let q = clamp(e, a[2], qlo, qhi);
    let c = dsp::rbj(e, response, fc, q);
    dsp::biquad(e, "", a[0], c)
}

/// RBJ peaking-EQ coefficients with Phonon's clamps.
fn peaking(e: &mut Emitter, freq: NodeId, gain: NodeId, q: NodeId) -> dsp::Biquad {
    let top = 20_000f64.min(0.49 * e.sr());
    let fc = clamp(e, freq, 20.0, top);
    let g = clamp(e, gain, -20.0, 20.0);
    let q = clamp(e, q, 0.1, 10.0);
    let ten = e.c(10.0);
    let k40 = e.c(1.0 / 40.0);
    let ge = e.mul(g, k40);
    let amp = e.bin(BinOp::Pow, ten, ge);
    let w_per_hz = e.c(std::f64::consts::TAU / e.sr());
    let w = e.mul(fc, w_per_hz);
    let cw = e.un(UnOp::Cos, w);
    let sw = e.un(UnOp::Sin, w);
    let half = e.c(0.5);
    let inv_2q = e.div(half, q);
    let alpha = e.mul(sw, inv_2q);
    let one = e.c(1.0);
    let aa = e.mul(alpha, amp);
    let ad = e.div(alpha, amp);
    let a0 = e.add(one, ad);
    let r = e.div(one, a0);
    let n0 = e.add(one, aa);
    let b0 = e.mul(n0, r);
    let n2 = e.sub(one, aa);
    let b2 = e.mul(n2, r);
    let m2 = e.c(-2.0);
    let m2cw = e.mul(m2, cw);
    let a1 = e.mul(m2cw, r);
    let d2 = e.sub(one, ad);
    let a2 = e.mul(d2, r);
    dsp::Biquad {
        b0,
        b1: a1,
        b2,
        a1,
        a2,
    }
}

/// `distortion`, `distort`.
fn distortion(e: &mut Emitter, a: &[NodeId]) -> Result<NodeId, String> {
    let drive = clamp(e, a[1], 1.0, 100.0);
    let mix = clamp(e, a[2], 0.0, 1.0);
    let d = e.mul(a[0], drive);
    let wet = e.un(UnOp::Tanh, d);
    Ok(crossfade(e, a[0], wet, mix))
}

/// The phaser's LFO, allpass chain and feedback.
fn phaser(e: &mut Emitter, a: &[NodeId]) -> Result<NodeId, String> {
    let stages = e
        .constant(a[4])
        .ok_or("the number of stages of `phaser` must be a constant")?;
    let stages = stages.trunc().clamp(1.0, 12.0) as usize;
    let rate = clamp(e, a[1], 0.05, 5.0);
    let depth = clamp(e, a[2], 0.0, 1.0);
    let fb = clamp(e, a[3], 0.0, 0.95);
    let l = lfo_after(e, rate)?;
    let (one, half) = (e.c(1.0), e.c(0.5));
    let l = e.add(l, one);
    let l = e.mul(l, half);
    let span = e.c(1800.0);
    let ld = e.mul(l, depth);
    let sweep = e.mul(span, ld);
    let lo = e.c(200.0);
    let fc = e.add(lo, sweep);
    let k = e.c(std::f64::consts::PI / e.sr());
    let w = e.mul(fc, k);
    let t = e.un(UnOp::Tan, w);
    let num = e.sub(t, one);
    let den = e.add(t, one);
    let coef = e.div(num, den);
    let (last_cell, last) = e.state("feedback", 0.0)?;
    let f = e.mul(last, fb);
    let mut s = e.add(a[0], f);
    for i in 0..stages {
        let (zc, z1) = e.state(&format!("x{i}"), 0.0)?;
        let (yc, y1) = e.state(&format!("y{i}"), 0.0)?;
        let as_ = e.mul(coef, s);
        let ay = e.mul(coef, y1);
        let o = e.add(as_, z1);
        let o = e.sub(o, ay);
        e.set_next(zc, s);
        e.set_next(yc, o);
        s = o;
    }
    e.set_next(last_cell, s);
    let sum = e.add(a[0], s);
    Ok(e.mul(sum, half))
}

/// `sin(2π·p)` of a phase advanced *before* it is read (Phonon's tremolo, vibrato,
/// phaser). Slot `lfo`.
fn lfo_after(e: &mut Emitter, rate: NodeId) -> Result<NodeId, String> {
    let (cell, p) = e.state("lfo", 0.0)?;
    let inc = e.c(1.0 / e.sr());
    let inc = e.mul(rate, inc);
    let s = e.add(p, inc);
    let p = e.frac(s);
    e.set_next(cell, p);
    Ok(e.un(UnOp::SinTau, p))
}

/// `base + width·depth·l` seconds.
fn swept(e: &mut Emitter, base: f64, width: f64, depth: NodeId, l: NodeId) -> NodeId {
    let w = e.c(width);
    let d = e.mul(l, depth);
    let d = e.mul(d, w);
    let b = e.c(base);
    e.add(b, d)
}

/// `dry·(1 − mix) + wet·mix`.
fn crossfade(e: &mut Emitter, dry: NodeId, wet: NodeId, mix: NodeId) -> NodeId {
    let one = e.c(1.0);
    let keep = e.sub(one, mix);
    let a = e.mul(dry, keep);
    let b = e.mul(wet, mix);
    e.add(a, b)
}

/// `exp(−1/(secs·sr))`: the pole of a one-pole smoother with this time constant.
fn time_pole(e: &mut Emitter, secs: NodeId) -> NodeId {
    let sr = e.c(e.sr());
    let t = e.mul(secs, sr);
    let m1 = e.c(-1.0);
    let r = e.div(m1, t);
    e.un(UnOp::Exp, r)
}

/// `c·prev + (1 − c)·x`.
fn smooth(e: &mut Emitter, prev: NodeId, x: NodeId, c: NodeId) -> NodeId {
    let one = e.c(1.0);
    let a = e.mul(c, prev);
    let k = e.sub(one, c);
    let b = e.mul(k, x);
    e.add(a, b)
}

/// `10^(db/20)`.
fn db_to_amp(e: &mut Emitter, db: NodeId) -> NodeId {
    let k = e.c(1.0 / 20.0);
    let x = e.mul(db, k);
    let ten = e.c(10.0);
    e.bin(BinOp::Pow, ten, x)
}

/// The compressor's and expander's envelope: `c·env + (1 − c)·level` with the attack pole
/// while the level rises above it, the release pole otherwise. Slot `env`. (Its rounding
/// differs from [`follow`]'s `env + (level − env)·k`, which the followers keep for
/// Phonon's bits.)
fn dynamics_env(
    e: &mut Emitter,
    level: NodeId,
    attack: NodeId,
    release: NodeId,
) -> Result<NodeId, String> {
    let (cell, env) = e.state("env", 0.0)?;
    let ca = time_pole(e, attack);
    let cr = time_pole(e, release);
    let rising = e.bin(BinOp::Gt, level, env);
    let c = e.select(rising, ca, cr);
    let y = smooth(e, env, level, c);
    e.set_next(cell, y);
    Ok(y)
}

/// An attack/release follower of `level` (Phonon's peak and amp followers). Slot `env`.
fn follow(
    e: &mut Emitter,
    level: NodeId,
    attack: NodeId,
    release: NodeId,
) -> Result<NodeId, String> {
    let floor = e.c(1e-5);
    let att = e.bin(BinOp::Max, attack, floor);
    let rel = e.bin(BinOp::Max, release, floor);
    let one = e.c(1.0);
    let pa = time_pole(e, att);
    let ka = e.sub(one, pa);
    let pr = time_pole(e, rel);
    let kr = e.sub(one, pr);
    let (cell, env) = e.state("env", 0.0)?;
    let rising = e.bin(BinOp::Gt, level, env);
    let k = e.select(rising, ka, kr);
    let d = e.sub(level, env);
    let step = e.mul(d, k);
    let y = e.add(env, step);
    e.set_next(cell, y);
    Ok(y)
}

/// Sample and hold: takes `x` when `gate` crosses `at` (`was_op` true before, `is_op` now).
fn hold(
    e: &mut Emitter,
    x: NodeId,
    gate: NodeId,
    was_op: BinOp,
    is_op: BinOp,
    at: f64,
) -> Result<NodeId, String> {
    let (g_cell, g1) = e.state("gate", 0.0)?;
    e.set_next(g_cell, gate);
    let (h_cell, h) = e.state("held", 0.0)?;
    let t = e.c(at);
    let was = e.bin(was_op, g1, t);
    let is = e.bin(is_op, gate, t);
    let edge = e.mul(was, is);
    let y = e.select(edge, x, h);
    e.set_next(h_cell, y);
    Ok(y)
}
