//! The drum sounds, after the Roland TR-808 and TR-909 recipes (sources in docs/samples.md):
//! each function renders one sound at `sr` Hz, unnormalised.

use super::dsp::{frames, Biquad, Blep, Decay, Kind, Sine};
use crate::math::exp;

/// The 808's six square oscillators for hats and cymbal (Werner, Abel & Smith 2014).
const METAL: [f64; 6] = [205.3, 304.4, 369.6, 522.7, 540.0, 800.0];

/// The metallic square bank, mixed.
struct Metal {
    oscs: Vec<Blep>,
}

impl Metal {
    fn new() -> Metal {
        // Fixed, different start phases so the edges do not all line up at t = 0.
        let oscs = (0..METAL.len())
            .map(|i| Blep::new(i as f64 * 0.137))
            .collect();
        Metal { oscs }
    }

    fn next(&mut self, sr: f64) -> f64 {
        let mut sum = 0.0;
        for (osc, &f) in self.oscs.iter_mut().zip(METAL.iter()) {
            sum += osc.square(f, sr);
        }
        sum / METAL.len() as f64
    }
}

/// Bass drum: a sine falling from about 150 Hz to 52 Hz in ~30 ms (the 808's pitch
/// sweep), decaying with τ = 0.35 s, and a 1.5 ms low-passed noise click.
pub fn bd(sr: f64) -> Vec<f64> {
    let n = frames(1.2, sr);
    let mut body = Sine::default();
    let mut amp = Decay::new(0.35, sr);
    let mut sweep = Decay::new(0.028, sr);
    let mut click_env = Decay::new(0.0015, sr);
    let mut click_lp = Biquad::new(Kind::Low, 4000.0, 0.7, sr);
    let mut noise = super::dsp::noise(1);
    (0..n)
        .map(|_| {
            let f = 52.0 + 98.0 * sweep.next();
            let tone = body.next(f, sr) * amp.next();
            let click = click_lp.run(noise.sample()) * click_env.next();
            tone + 0.3 * click
        })
        .collect()
}

/// Snare: two drum-shell sines at 185 and 330 Hz with a small pitch drop (the 909's two
/// oscillators), plus white noise band-limited to 1.8–9 kHz for the snares.
pub fn sn(sr: f64) -> Vec<f64> {
    let n = frames(0.45, sr);
    let (mut lo, mut hi) = (Sine::default(), Sine::default());
    let (mut lo_env, mut hi_env) = (Decay::new(0.09, sr), Decay::new(0.06, sr));
    let mut drop = Decay::new(0.01, sr);
    let mut noise = super::dsp::noise(2);
    let mut hp = Biquad::new(Kind::High, 1800.0, 0.7, sr);
    let mut lp = Biquad::new(Kind::Low, 9000.0, 0.7, sr);
    let mut noise_env = Decay::new(0.13, sr);
    (0..n)
        .map(|_| {
            let bend = 1.0 + 0.15 * drop.next();
            let shell = lo.next(185.0 * bend, sr) * lo_env.next()
                + 0.6 * hi.next(330.0 * bend, sr) * hi_env.next();
            let snares = lp.run(hp.run(noise.sample())) * noise_env.next();
            0.6 * shell + snares
        })
        .collect()
}

/// Hi-hat: the 808 square bank through a 10 kHz band-pass and a 7 kHz high-pass, with a
/// little high-passed noise for sizzle; `tau` is the decay time constant.
fn hat(sr: f64, seconds: f64, tau: f64, seed: u64) -> Vec<f64> {
    let n = frames(seconds, sr);
    let mut metal = Metal::new();
    let mut bp = Biquad::new(Kind::Band, 10_000.0, 1.2, sr);
    let mut hp = Biquad::new(Kind::High, 7_000.0, 0.7, sr);
    let mut noise = super::dsp::noise(seed);
    let mut env = Decay::new(tau, sr);
    (0..n)
        .map(|_| {
            let x = bp.run(metal.next(sr)) + 0.15 * noise.sample();
            hp.run(x) * env.next()
        })
        .collect()
}

/// Closed hi-hat: [`hat`] with τ = 22 ms.
pub fn hh(sr: f64) -> Vec<f64> {
    hat(sr, 0.25, 0.022, 3)
}

/// Open hi-hat: [`hat`] with τ = 0.3 s.
pub fn oh(sr: f64) -> Vec<f64> {
    hat(sr, 1.2, 0.3, 4)
}

/// Crash: the 808 cymbal's two band-passes of the square bank (3.44 kHz decaying with
/// τ = 0.35 s, 7.1 kHz with τ = 1 s) plus a 3 kHz high-passed noise wash (τ = 0.8 s).
pub fn cr(sr: f64) -> Vec<f64> {
    let n = frames(2.5, sr);
    let mut metal = Metal::new();
    let mut low = Biquad::new(Kind::Band, 3440.0, 3.0, sr);
    let mut high = Biquad::new(Kind::Band, 7100.0, 3.0, sr);
    let mut wash_hp = Biquad::new(Kind::High, 3000.0, 0.7, sr);
    let mut out_hp = Biquad::new(Kind::High, 2000.0, 0.7, sr);
    let (mut low_env, mut high_env, mut wash_env) = (
        Decay::new(0.35, sr),
        Decay::new(1.0, sr),
        Decay::new(0.8, sr),
    );
    let mut noise = super::dsp::noise(5);
    (0..n)
        .map(|_| {
            let m = metal.next(sr);
            let x = low.run(m) * low_env.next()
                + high.run(m) * high_env.next()
                + 0.4 * wash_hp.run(noise.sample()) * wash_env.next();
            out_hp.run(x)
        })
        .collect()
}

/// Hand clap (808 service notes): noise through a 1.1 kHz band-pass (Q 2), enveloped by
/// three 10 ms sawtooth pulses and a fourth that decays (τ = 7 ms), plus a "reverb"
/// noise tail decaying with τ = 0.1 s.
pub fn cp(sr: f64) -> Vec<f64> {
    let n = frames(0.6, sr);
    let mut bp = Biquad::new(Kind::Band, 1100.0, 2.0, sr);
    let mut tail_bp = Biquad::new(Kind::Band, 1300.0, 0.8, sr);
    let mut noise = super::dsp::noise(6);
    let mut tail_env = Decay::new(0.1, sr);
    (0..n)
        .map(|i| {
            let t = i as f64 / sr;
            let strike = if t < 0.03 {
                let within = t - 0.01 * (t / 0.01).floor();
                1.0 - 0.9 * within / 0.01
            } else {
                exp(-(t - 0.03) / 0.007)
            };
            let x = noise.sample();
            bp.run(x) * strike + 0.35 * tail_bp.run(x) * tail_env.next()
        })
        .collect()
}

/// Rim shot: two struck resonances at 455 Hz and 1.67 kHz (the 808's bridged-T pair)
/// with 6–8 ms decays, high-passed at 300 Hz and softly clipped as the 808's VCA does.
pub fn rim(sr: f64) -> Vec<f64> {
    let n = frames(0.15, sr);
    let (mut a, mut b) = (Sine::default(), Sine::default());
    let (mut ea, mut eb) = (Decay::new(0.008, sr), Decay::new(0.006, sr));
    let mut hp = Biquad::new(Kind::High, 300.0, 0.7, sr);
    (0..n)
        .map(|_| {
            let x = a.next(455.0, sr) * ea.next() + 0.8 * b.next(1667.0, sr) * eb.next();
            let y = hp.run(x) * 2.0;
            y / (1.0 + y.abs())
        })
        .collect()
}

/// A tom: a sine that falls 35% in pitch onto `freq` (τ = 40 ms), decaying with `tau`,
/// with a short low-passed noise attack.
fn tom(sr: f64, freq: f64, tau: f64, seconds: f64, seed: u64) -> Vec<f64> {
    let n = frames(seconds, sr);
    let mut body = Sine::default();
    let mut env = Decay::new(tau, sr);
    let mut bend = Decay::new(0.04, sr);
    let mut noise = super::dsp::noise(seed);
    let mut lp = Biquad::new(Kind::Low, 2000.0, 0.7, sr);
    let mut noise_env = Decay::new(0.02, sr);
    (0..n)
        .map(|_| {
            let f = freq * (1.0 + 0.35 * bend.next());
            body.next(f, sr) * env.next() + 0.15 * lp.run(noise.sample()) * noise_env.next()
        })
        .collect()
}

/// Low tom at 95 Hz.
pub fn lt(sr: f64) -> Vec<f64> {
    tom(sr, 95.0, 0.25, 1.0, 7)
}

/// Mid tom at 140 Hz.
pub fn mt(sr: f64) -> Vec<f64> {
    tom(sr, 140.0, 0.2, 0.8, 8)
}

/// High tom at 200 Hz.
pub fn ht(sr: f64) -> Vec<f64> {
    tom(sr, 200.0, 0.16, 0.7, 9)
}

/// Cowbell: the 808's two squares at 540 and 800 Hz through a 1.2 kHz band-pass, with
/// its two-stage envelope (a fast 12 ms drop into a 0.15 s tail).
pub fn cb(sr: f64) -> Vec<f64> {
    let n = frames(0.6, sr);
    let (mut a, mut b) = (Blep::new(0.0), Blep::new(0.25));
    let mut bp = Biquad::new(Kind::Band, 1200.0, 1.0, sr);
    let mut lp = Biquad::new(Kind::Low, 6000.0, 0.7, sr);
    let (mut fast, mut slow) = (Decay::new(0.012, sr), Decay::new(0.15, sr));
    (0..n)
        .map(|_| {
            let x = a.square(540.0, sr) + b.square(800.0, sr);
            let env = 0.6 * fast.next() + 0.4 * slow.next();
            lp.run(bp.run(x)) * env
        })
        .collect()
}
