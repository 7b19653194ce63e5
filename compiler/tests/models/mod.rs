#![allow(dead_code)] // each test crate that includes this module uses part of it
//! Plain-Rust transcriptions of published DSP code, for checking builtins sample by
//! sample: Faust's `envelopes.lib` (`en.adsr`, `en.ar`, `en.asr`) and Jezar's Freeverb.
//! State is f64 like kanonc's; the arithmetic is in the published order.

/// Faust's `gate'`: the gate one sample ago, 0 before the start.
#[derive(Default)]
pub struct Faust {
    gate1: f64,
    atime: f64,
    rtime: f64,
}

impl Faust {
    /// `en.adsr(at, dt, sl, rt, gate)` from envelopes.lib:
    /// `atime = +(gate) ~ *(gate' >= gate)`, `A = atime*adelta`, `D = D0 - atime*ddelta`,
    /// `ADS = min(A, max(D, sl))`, `rtime = (+(1) : *(gate == 0)) ~ _`, `R = rtime/rn`,
    /// `ADS : *(1-R) : max(0)`.
    pub fn adsr(&mut self, sr: f64, at: f64, dt: f64, sl: f64, rt: f64, gate: f64) -> f64 {
        let an = f64::max(1.0, at * sr);
        let dn = f64::max(1.0, dt * sr);
        let rn = f64::max(1.0, rt * sr);
        let adelta = 1.0 / an;
        let ddelta = (1.0 - sl) / dn;
        self.atime = self.atime * f64::from(u8::from(self.gate1 >= gate)) + gate;
        let a = self.atime * adelta;
        let d0 = 1.0 + an * ddelta;
        let d = d0 - self.atime * ddelta;
        let ads = a.min(d.max(sl));
        self.rtime = (self.rtime + 1.0) * f64::from(u8::from(gate == 0.0));
        let r = self.rtime / rn;
        self.gate1 = gate;
        (ads * (1.0 - r)).max(0.0)
    }

    /// `en.ar(at, rt, gate)`: `atime = (raise*reset + upfront) ~ _` with
    /// `upfront = gate > gate'`, `reset = gate <= gate'`, `raise(x) = x + (x > 0)`;
    /// `AR = min(atime*adelta, D0 - atime*rdelta) : max(0)`.
    pub fn ar(&mut self, sr: f64, at: f64, rt: f64, gate: f64) -> f64 {
        let an = f64::max(1.0, at * sr);
        let rn = f64::max(1.0, rt * sr);
        let adelta = 1.0 / an;
        let rdelta = 1.0 / rn;
        let upfront = f64::from(u8::from(gate > self.gate1));
        let reset = f64::from(u8::from(gate <= self.gate1));
        let raised = self.atime + f64::from(u8::from(self.atime > 0.0));
        self.atime = raised * reset + upfront;
        self.gate1 = gate;
        let a = self.atime * adelta;
        let d0 = 1.0 + an * rdelta;
        let d = d0 - self.atime * rdelta;
        a.min(d).max(0.0)
    }

    /// `en.asr(at, sl, rt, gate)`: `AS = min(atime*adelta, sl)` with `adelta = sl/an`,
    /// `R = rtime*rdelta` with `rdelta = sl/rn`, `AS - R : max(0)`.
    pub fn asr(&mut self, sr: f64, at: f64, sl: f64, rt: f64, gate: f64) -> f64 {
        let an = f64::max(1.0, at * sr);
        let rn = f64::max(1.0, rt * sr);
        let adelta = sl / an;
        let rdelta = sl / rn;
        self.atime = self.atime * f64::from(u8::from(self.gate1 >= gate)) + gate;
        let a = (self.atime * adelta).min(sl);
        self.rtime = (self.rtime + 1.0) * f64::from(u8::from(gate == 0.0));
        self.gate1 = gate;
        (a - self.rtime * rdelta).max(0.0)
    }
}

/// Freeverb's `comb` (`comb.hpp`/`comb.cpp`).
struct Comb {
    buffer: Vec<f64>,
    idx: usize,
    filterstore: f64,
}

impl Comb {
    fn process(&mut self, input: f64, feedback: f64, damp1: f64, damp2: f64) -> f64 {
        let output = self.buffer[self.idx];
        self.filterstore = (output * damp2) + (self.filterstore * damp1);
        self.buffer[self.idx] = input + (self.filterstore * feedback);
        self.idx += 1;
        if self.idx >= self.buffer.len() {
            self.idx = 0;
        }
        output
    }
}

/// Freeverb's `allpass`.
struct Allpass {
    buffer: Vec<f64>,
    idx: usize,
}

impl Allpass {
    fn process(&mut self, input: f64) -> f64 {
        let bufout = self.buffer[self.idx];
        let output = -input + bufout;
        self.buffer[self.idx] = input + (bufout * 0.5);
        self.idx += 1;
        if self.idx >= self.buffer.len() {
            self.idx = 0;
        }
        output
    }
}

/// Jezar's `revmodel` (Freeverb 3, public domain) with width 1 and the wet level of its
/// default (wet parameter 1/3 × scalewet 3 = 1) scaled by `mix`, dry `1 − mix`.
pub struct Freeverb {
    combs: [Vec<Comb>; 2],
    allpasses: [Vec<Allpass>; 2],
}

impl Freeverb {
    pub fn new(sr: f64) -> Freeverb {
        let scale = |n: usize| ((n as f64 * sr / 44_100.0).round() as usize).max(1);
        let combs = |spread: usize| {
            [1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617]
                .iter()
                .map(|&n| Comb {
                    buffer: vec![0.0; scale(n + spread)],
                    idx: 0,
                    filterstore: 0.0,
                })
                .collect()
        };
        let allpasses = |spread: usize| {
            [556, 441, 341, 225]
                .iter()
                .map(|&n| Allpass {
                    buffer: vec![0.0; scale(n + spread)],
                    idx: 0,
                })
                .collect()
        };
        Freeverb {
            combs: [combs(0), combs(23)],
            allpasses: [allpasses(0), allpasses(23)],
        }
    }

    /// `revmodel::processreplace` for one frame.
    pub fn process(&mut self, in_l: f64, in_r: f64, room: f64, damp: f64, mix: f64) -> [f64; 2] {
        // kanonc clamps the settings to Freeverb's range, 0 to 1.
        let (room, damp) = (room.clamp(0.0, 1.0), damp.clamp(0.0, 1.0));
        let roomsize = (room * 0.28) + 0.7;
        let damp1 = damp * 0.4;
        let damp2 = 1.0 - damp1;
        let input = (in_l + in_r) * 0.015;
        let mut out = [0.0; 2];
        for (ch, o) in out.iter_mut().enumerate() {
            for c in &mut self.combs[ch] {
                *o += c.process(input, roomsize, damp1, damp2);
            }
            for a in &mut self.allpasses[ch] {
                *o = a.process(*o);
            }
        }
        let (wet1, dry) = (mix, 1.0 - mix);
        [out[0] * wet1 + in_l * dry, out[1] * wet1 + in_r * dry]
    }
}
