//! Building blocks for the kit: oscillators, RBJ biquads, envelopes. Deterministic: only
//! IEEE basic operations and [`crate::math`].

use crate::math::{cos_turns, decay_coeff, sin_turns, Noise};

/// Seconds to frames at `sr`, rounded down.
pub fn frames(seconds: f64, sr: f64) -> usize {
    (seconds * sr) as usize
}

/// A sine oscillator with its phase in turns.
#[derive(Clone, Debug, Default)]
pub struct Sine {
    phase: f64,
}

impl Sine {
    /// The current output, then the phase advances by `freq / sr`.
    pub fn next(&mut self, freq: f64, sr: f64) -> f64 {
        let y = sin_turns(self.phase);
        self.phase += freq / sr;
        self.phase -= self.phase.floor();
        y
    }
}

/// A sinusoid by rotation (two multiplies per term): fast for long additive partials.
#[derive(Clone, Debug)]
pub struct Rotor {
    re: f64,
    im: f64,
    c: f64,
    s: f64,
}

impl Rotor {
    /// A rotor at `freq` Hz starting at phase 0 (output sin).
    pub fn new(freq: f64, sr: f64) -> Rotor {
        Rotor {
            re: 1.0,
            im: 0.0,
            c: cos_turns(freq / sr),
            s: sin_turns(freq / sr),
        }
    }

    /// sin of the current phase, then one step.
    pub fn next(&mut self) -> f64 {
        let y = self.im;
        let re = self.re * self.c - self.im * self.s;
        self.im = self.re * self.s + self.im * self.c;
        self.re = re;
        y
    }
}

/// Polynomial band-limited step correction (PolyBLEP, Välimäki & Huovilainen 2007).
fn blep(t: f64, dt: f64) -> f64 {
    if t < dt {
        let x = t / dt;
        x + x - x * x - 1.0
    } else if t > 1.0 - dt {
        let x = (t - 1.0) / dt;
        x * x + x + x + 1.0
    } else {
        0.0
    }
}

/// A band-limited (PolyBLEP) square or saw.
#[derive(Clone, Debug)]
pub struct Blep {
    phase: f64,
}

impl Blep {
    /// An oscillator starting at phase `phase` turns.
    pub fn new(phase: f64) -> Blep {
        Blep { phase }
    }

    /// A ±1 square wave sample, then one step at `freq`.
    pub fn square(&mut self, freq: f64, sr: f64) -> f64 {
        let dt = (freq / sr).min(0.5);
        let t = self.phase;
        let mut y = if t < 0.5 { 1.0 } else { -1.0 };
        y += blep(t, dt);
        let t2 = t + 0.5;
        y -= blep(t2 - t2.floor(), dt);
        self.advance(dt);
        y
    }

    /// A falling-edge saw in [−1, 1), then one step at `freq`.
    pub fn saw(&mut self, freq: f64, sr: f64) -> f64 {
        let dt = (freq / sr).min(0.5);
        let y = 2.0 * self.phase - 1.0 - blep(self.phase, dt);
        self.advance(dt);
        y
    }

    fn advance(&mut self, dt: f64) {
        self.phase += dt;
        self.phase -= self.phase.floor();
    }
}

/// An exponential decay from 1 with time constant `tau` seconds (a recurrence).
#[derive(Clone, Debug)]
pub struct Decay {
    level: f64,
    k: f64,
}

impl Decay {
    /// A decay with time constant `tau` seconds at `sr`.
    pub fn new(tau: f64, sr: f64) -> Decay {
        Decay {
            level: 1.0,
            k: decay_coeff(tau, sr),
        }
    }

    /// The current level, then one step.
    pub fn next(&mut self) -> f64 {
        let y = self.level;
        self.level *= self.k;
        y
    }
}

/// Filter kinds of the RBJ Audio-EQ Cookbook used here.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// Low-pass.
    Low,
    /// High-pass.
    High,
    /// Band-pass, 0 dB peak.
    Band,
}

/// An RBJ Audio-EQ-Cookbook biquad, direct form I.
#[derive(Clone, Debug, Default)]
pub struct Biquad {
    b: [f64; 3],
    a: [f64; 2],
    x: [f64; 2],
    y: [f64; 2],
}

impl Biquad {
    /// A filter of `kind` at `freq` Hz (kept below 0.45·sr) with quality `q`.
    pub fn new(kind: Kind, freq: f64, q: f64, sr: f64) -> Biquad {
        let mut f = Biquad::default();
        f.set(kind, freq, q, sr);
        f
    }

    /// Recomputes the coefficients, keeping the filter's memory.
    pub fn set(&mut self, kind: Kind, freq: f64, q: f64, sr: f64) {
        let w = (freq / sr).clamp(1e-5, 0.45);
        let (cw, sw) = (cos_turns(w), sin_turns(w));
        let alpha = sw / (2.0 * q);
        let a0 = 1.0 + alpha;
        let b = match kind {
            Kind::Low => [(1.0 - cw) / 2.0, 1.0 - cw, (1.0 - cw) / 2.0],
            Kind::High => [(1.0 + cw) / 2.0, -(1.0 + cw), (1.0 + cw) / 2.0],
            Kind::Band => [alpha, 0.0, -alpha],
        };
        self.b = [b[0] / a0, b[1] / a0, b[2] / a0];
        self.a = [-2.0 * cw / a0, (1.0 - alpha) / a0];
    }

    /// Filters one sample.
    pub fn run(&mut self, x: f64) -> f64 {
        let y = self.b[0] * x + self.b[1] * self.x[0] + self.b[2] * self.x[1]
            - self.a[0] * self.y[0]
            - self.a[1] * self.y[1];
        self.x = [x, self.x[0]];
        self.y = [y, self.y[0]];
        y
    }
}

/// White noise in [−1, 1) from a fixed seed.
pub fn noise(seed: u64) -> Noise {
    Noise::new(seed)
}

/// Scales `x` so its largest magnitude is `peak`, then fades the last `fade` seconds
/// linearly to exactly zero, and converts to `f32`.
pub fn finish(mut x: Vec<f64>, peak: f64, fade: f64, sr: f64) -> Vec<f32> {
    let max = x.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if max > 0.0 {
        let g = peak / max;
        x.iter_mut().for_each(|v| *v *= g);
    }
    let n = frames(fade, sr).min(x.len());
    let len = x.len();
    for (i, v) in x[len - n..].iter_mut().enumerate() {
        *v *= (n - 1 - i) as f64 / n as f64;
    }
    x.into_iter().map(|v| v as f32).collect()
}
