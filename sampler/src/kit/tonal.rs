//! The pitched sounds. Each sounds its note at `note 0` (SuperDirt's convention for
//! pitched sounds: `superpiano` at note 0 is middle C), so `# note "0 4 7"` plays a chord.

use super::dsp::{frames, Biquad, Blep, Decay, Kind, Rotor};
use crate::math::exp2;

/// Middle C (MIDI 60), the pitch of `pluck` and `keys` at note 0.
pub const C4: f64 = 261.625_565_300_598_6;
/// Two octaves lower (MIDI 36), the pitch of `bass` at note 0.
pub const C2: f64 = C4 / 4.0;

/// Plucked string: Karplus–Strong (1983) at C4. A low-passed noise burst fills a delay
/// line one period long; each pass averages adjacent samples and loses 1%; a first-order
/// all-pass supplies the fractional part of the period (Jaffe & Smith 1983).
pub fn pluck(sr: f64) -> Vec<f64> {
    let n = frames(2.0, sr);
    // Loop delay = line + 0.5 (the averager) + the all-pass's phase delay.
    let period = sr / C4;
    let line = ((period - 0.5).floor() as usize).max(2);
    let frac = (period - 0.5 - line as f64).clamp(0.05, 1.05);
    let c = (1.0 - frac) / (1.0 + frac);
    let mut noise = super::dsp::noise(11);
    let mut bright = Biquad::new(Kind::Low, 5000.0, 0.7, sr);
    let mut buf: Vec<f64> = (0..line).map(|_| bright.run(noise.sample())).collect();
    let (mut idx, mut prev, mut ap_x, mut ap_y) = (0usize, 0.0, 0.0, 0.0);
    (0..n)
        .map(|_| {
            let out = buf[idx];
            let avg = 0.99 * 0.5 * (out + prev);
            let ap = c * avg + ap_x - c * ap_y;
            ap_x = avg;
            ap_y = ap;
            buf[idx] = ap;
            prev = out;
            idx = (idx + 1) % line;
            out
        })
        .collect()
}

/// Bass at C2: a PolyBLEP saw and square through a resonant RBJ low-pass (Q 3) whose
/// cutoff falls from 2.8 kHz to 180 Hz (τ = 0.12 s), with a 2 ms attack and τ = 0.5 s decay.
pub fn bass(sr: f64) -> Vec<f64> {
    let n = frames(1.5, sr);
    let (mut saw, mut sq) = (Blep::new(0.0), Blep::new(0.0));
    let mut lp = Biquad::new(Kind::Low, 2980.0, 3.0, sr);
    let mut sweep = Decay::new(0.12, sr);
    let mut env = Decay::new(0.5, sr);
    let attack = frames(0.002, sr).max(1);
    (0..n)
        .map(|i| {
            let cutoff = 180.0 + 2800.0 * sweep.next();
            lp.set(Kind::Low, cutoff, 3.0, sr);
            let x = 0.7 * saw.saw(C2, sr) + 0.4 * sq.square(C2, sr);
            let rise = ((i + 1) as f64 / attack as f64).min(1.0);
            lp.run(x) * env.next() * rise
        })
        .collect()
}

/// Relative amplitudes of the keys' first ten partials.
const KEYS_PARTIALS: [f64; 10] = [1.0, 0.55, 0.36, 0.22, 0.15, 0.1, 0.07, 0.05, 0.035, 0.025];

/// Keys at C4, a piano-like tone: ten partials stretched as a stiff string's
/// (f_k = k·f·√(1 + B·k²), B = 0.0004, Fletcher 1964), each on two strings 1.2 cents
/// apart so they beat, each with a two-stage decay (a fast "prompt" and a slow
/// "aftersound", Weinreich 1977) that is faster for higher partials, plus a 4 ms hammer thump.
pub fn keys(sr: f64) -> Vec<f64> {
    let n = frames(3.0, sr);
    let b = 0.0004;
    let detune = exp2(0.6 / 1200.0);
    struct Partial {
        strings: [Rotor; 2],
        prompt: Decay,
        after: Decay,
        amp: f64,
    }
    let mut partials: Vec<Partial> = KEYS_PARTIALS
        .iter()
        .enumerate()
        .filter_map(|(i, &amp)| {
            let k = (i + 1) as f64;
            let f = k * C4 * (1.0 + b * k * k).sqrt();
            if f * detune >= 0.45 * sr {
                return None;
            }
            let tau = 1.6 / (1.0 + 0.45 * (k - 1.0));
            Some(Partial {
                strings: [Rotor::new(f * detune, sr), Rotor::new(f / detune, sr)],
                prompt: Decay::new(0.35 * tau, sr),
                after: Decay::new(tau, sr),
                amp,
            })
        })
        .collect();
    let mut noise = super::dsp::noise(12);
    let mut thump_lp = Biquad::new(Kind::Low, 1500.0, 0.7, sr);
    let mut thump_env = Decay::new(0.004, sr);
    let attack = frames(0.001, sr).max(1);
    (0..n)
        .map(|i| {
            let mut x = 0.0;
            for p in partials.iter_mut() {
                let s = p.strings[0].next() + p.strings[1].next();
                x += p.amp * s * (0.65 * p.prompt.next() + 0.35 * p.after.next());
            }
            x += 0.15 * thump_lp.run(noise.sample()) * thump_env.next();
            x * ((i + 1) as f64 / attack as f64).min(1.0)
        })
        .collect()
}
