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

/// The history of a signal, for reading it `k` samples back (0 = the newest).
struct History(Vec<f64>, usize);

impl History {
    fn new() -> History {
        History(vec![0.0; 1 << 16], 0)
    }
    fn push(&mut self, v: f64) {
        self.1 = (self.1 + 1) & 0xffff;
        self.0[self.1] = v;
    }
    fn ago(&self, k: usize) -> f64 {
        self.0[(self.1 + 0x10000 - k) & 0xffff]
    }
    /// `k` samples back, fractional: linear between `⌊k⌋` and `⌊k⌋ + 1`.
    fn ago_frac(&self, k: f64) -> f64 {
        let i = k.floor();
        let f = k - i;
        let (a, b) = (self.ago(i as usize), self.ago(i as usize + 1));
        a + f * (b - a)
    }
}

/// A Schroeder allpass `w = u + g·w[n−N]`, `out = w[n−N] − g·w`.
struct Lattice(History);

impl Lattice {
    fn process(&mut self, u: f64, g: f64, back: f64) -> (f64, f64) {
        // The line's newest sample is w[n−1] before the push.
        let d = self.0.ago_frac(back - 1.0);
        let w = u + g * d;
        self.0.push(w);
        (d - g * w, w)
    }
}

/// Dattorro's plate (JAES 1997, figure 1, tables 1 and 2), as kanonc's `plate` documents
/// it: lengths at 29,761 Hz scaled and rounded, a 1 Hz sine/cosine modulation of 16
/// samples, output gain 0.6, wet·mix + dry·(1 − mix).
pub struct Plate {
    sr: f64,
    pre: History,
    bandwidth: f64,
    diffusers: Vec<Lattice>,
    modap: Vec<Lattice>,
    delay1: Vec<History>,
    damp: [f64; 2],
    ap2: Vec<Lattice>,
    ap2_w: Vec<History>,
    delay2: Vec<History>,
    lfo: f64,
}

impl Plate {
    pub fn new(sr: f64) -> Plate {
        let n = |k: usize| (0..k).map(|_| History::new()).collect::<Vec<_>>();
        let l = |k: usize| (0..k).map(|_| Lattice(History::new())).collect::<Vec<_>>();
        Plate {
            sr,
            pre: History::new(),
            bandwidth: 0.0,
            diffusers: l(4),
            modap: l(2),
            delay1: n(2),
            damp: [0.0; 2],
            ap2: l(2),
            ap2_w: n(2),
            delay2: n(2),
            lfo: 0.0,
        }
    }

    fn len(&self, n: usize) -> f64 {
        ((n as f64 * self.sr / 29_761.0).round() as usize).max(1) as f64
    }

    #[allow(clippy::too_many_arguments)]
    pub fn process(
        &mut self,
        in_l: f64,
        in_r: f64,
        pre_delay: f64,
        decay: f64,
        diffusion: f64,
        damping: f64,
        mod_depth: f64,
        mix: f64,
    ) -> [f64; 2] {
        let decay = decay.clamp(0.0, 0.99);
        let diffusion = diffusion.clamp(0.0, 1.0);
        let damping = damping.clamp(0.0, 1.0);
        let mix = mix.clamp(0.0, 1.0);
        self.pre.push((in_l + in_r) * 0.5);
        let pre = pre_delay.clamp(0.0, 1.0) * self.sr;
        let x = self.pre.ago_frac(pre);
        self.bandwidth = 0.9995 * x + (1.0 - 0.9995) * self.bandwidth;
        let mut x = self.bandwidth;
        for (i, (n, g)) in [(142, 0.75), (107, 0.75), (379, 0.625), (277, 0.625)]
            .into_iter()
            .enumerate()
        {
            let back = self.len(n);
            x = self.diffusers[i].process(x, g * diffusion, back).0;
        }
        let halves = [[672, 4453, 1800, 3720], [908, 4217, 2656, 3163]];
        // The ends from the previous sample: delay2 read N behind, its newest sample
        // being last sample's input.
        let ends: Vec<f64> = (0..2)
            .map(|h| self.delay2[h].ago(self.len(halves[h][3]) as usize - 1))
            .collect();
        let p = self.lfo;
        let s = p + 1.0 / self.sr;
        self.lfo = s - s.floor();
        let excursion = 16.0 * self.sr / 29_761.0 * mod_depth;
        for h in 0..2 {
            let u = x + decay * ends[1 - h];
            let m = excursion * kanon_compiler::ir::math::sin_turns(p + 0.25 * h as f64);
            let back = self.len(halves[h][0]) + m;
            let (ap, _) = self.modap[h].process(u, -0.7 * diffusion, back);
            self.delay1[h].push(ap);
            let d1 = self.delay1[h].ago(self.len(halves[h][1]) as usize);
            self.damp[h] = (1.0 - damping) * d1 + damping * self.damp[h];
            let decayed = self.damp[h] * decay;
            let back2 = self.len(halves[h][2]);
            let (ap2, w2) = self.ap2[h].process(decayed, 0.5 * diffusion, back2);
            self.ap2_w[h].push(w2);
            self.delay2[h].push(ap2);
        }
        let taps = [
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
        let mut out = [0.0; 2];
        for (side, t) in taps.iter().enumerate() {
            let mut acc = 0.0;
            for &(h, el, k, sign) in t {
                let k = self.len(k) as usize;
                let line = match el {
                    0 => &self.delay1[h],
                    1 => &self.ap2_w[h],
                    _ => &self.delay2[h],
                };
                acc += sign * line.ago(k);
            }
            let dry_in = if side == 0 { in_l } else { in_r };
            out[side] = acc * 0.6 * mix + dry_in * (1.0 - mix);
        }
        out
    }
}
