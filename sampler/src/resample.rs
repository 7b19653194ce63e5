//! Load-time sample-rate conversion: a Kaiser-windowed sinc, computed once per file.
//!
//! Output frame `m` sits at input position `t = m · from / to`, kept as an exact integer
//! ratio. Each output sample is the dot product of the input around `t` with
//! `c · sinc(c · (i − t)) · kaiser((i − t) / W)`, where the cutoff `c` is
//! [`CUTOFF`] of the lower of the two Nyquist frequencies (scaled to the input rate) and
//! the half-width `W` is [`ZERO_CROSSINGS`] zero crossings of the lower rate. When
//! `to / gcd(from, to)` is at most [`MAX_PHASES`] (every pair of common rates), the
//! kernel is tabulated exactly for each output phase; otherwise the table has
//! [`MAX_PHASES`] phases and adjacent phases are interpolated linearly.
//!
//! Measured (tests in this module): a 1 kHz sine converted 44.1 → 48 kHz stays within
//! 2e-5 of the ideal sine; a 30 kHz sine converted 96 → 48 kHz (which would alias to
//! 18 kHz) is attenuated by more than 80 dB; the passband is flat within 0.01 dB up to
//! 0.40 of the lower rate (17.6 kHz at 44.1 kHz).
//!
//! Only IEEE basic operations and our own [`crate::math`] functions are used, so the
//! output is the same on every machine.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::math::sin_turns;

/// Half-width of the kernel in zero crossings of the lower sample rate.
pub const ZERO_CROSSINGS: usize = 32;
/// Cutoff as a fraction of the lower Nyquist frequency.
pub const CUTOFF: f64 = 0.92;
/// Kaiser window β (sidelobes near −90 dB).
pub const KAISER_BETA: f64 = 9.0;
/// The most output phases tabulated exactly.
pub const MAX_PHASES: usize = 4096;

/// Converts interleaved `data` (`channels` per frame) from `from` Hz to `to` Hz.
///
/// The output has `ceil(frames · to / from)` frames. Equal rates copy the input.
pub fn resample(data: &[f32], channels: usize, from: u32, to: u32) -> Vec<f32> {
    let channels = channels.max(1);
    if from == to || from == 0 || to == 0 || data.len() < channels {
        return data.to_vec();
    }
    let frames = data.len() / channels;
    let out_frames = ((frames as u128 * to as u128).div_ceil(from as u128)) as usize;
    let kernel = kernel_for(from, to);
    // Each channel as f64 with `taps` zeros on both sides, so every dot product is one
    // straight slice with no bounds logic.
    let pad = kernel.taps;
    let planes: Vec<Vec<f64>> = (0..channels)
        .map(|c| {
            let mut p = vec![0.0; frames + 2 * pad + 2];
            for (i, frame) in data.chunks_exact(channels).enumerate() {
                p[pad + i] = frame[c] as f64;
            }
            p
        })
        .collect();
    let g = gcd(from as u64, to as u64);
    let (a, b) = (from as u64 / g, to as u64 / g); // t = m·a/b input frames
    let mut out = Vec::with_capacity(out_frames * channels);
    for m in 0..out_frames as u64 {
        let num = m as u128 * a as u128;
        let base = (num / b as u128) as usize;
        let rem = (num % b as u128) as u64; // phase = rem / b
                                            // base + first ≥ −reach + 1 and pad ≥ reach: the start is never negative.
        let start = (base as i64 + kernel.first + pad as i64) as usize;
        for plane in &planes {
            let x = &plane[start..start + kernel.taps];
            out.push(kernel.apply(x, rem, b) as f32);
        }
    }
    out
}

/// The kernel for a rate pair, built once per pair and kept (building one takes about a
/// millisecond; a library of Dirt-Samples needs one or two pairs).
fn kernel_for(from: u32, to: u32) -> Arc<Kernel> {
    type Cache = Mutex<HashMap<(u32, u32), Arc<Kernel>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= 16 && !cache.contains_key(&(from, to)) {
        cache.clear(); // bounded: unusual rates do not pile up
    }
    Arc::clone(
        cache
            .entry((from, to))
            .or_insert_with(|| Arc::new(Kernel::new(from, to))),
    )
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Zeroth-order modified Bessel function of the first kind, by its power series.
fn bessel_i0(x: f64) -> f64 {
    let q = x * x / 4.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut k = 1.0;
    while term > sum * 1e-17 {
        term *= q / (k * k);
        sum += term;
        k += 1.0;
    }
    sum
}

/// The tabulated polyphase kernel.
struct Kernel {
    /// Taps per phase.
    taps: usize,
    /// Phases tabulated.
    phases: usize,
    /// Whether phases are exact (`phases == b`) or interpolated.
    exact: bool,
    /// `phases + 1` rows of `taps` coefficients (the extra row is phase 1, for interpolation).
    table: Vec<f64>,
    /// Offset of tap 0 relative to the base input frame.
    first: i64,
}

impl Kernel {
    fn new(from: u32, to: u32) -> Kernel {
        let g = gcd(from as u64, to as u64);
        let b = (to as u64 / g) as usize;
        let (phases, exact) = if b <= MAX_PHASES {
            (b, true)
        } else {
            (MAX_PHASES, false)
        };
        // Kernel scale in input samples: 1 when upsampling, to/from when downsampling.
        let scale = (to as f64 / from as f64).min(1.0);
        let cutoff = CUTOFF * scale;
        let half_width = ZERO_CROSSINGS as f64 / scale; // in input samples
        let reach = half_width.ceil() as i64;
        let taps = (2 * reach) as usize;
        let first = -reach + 1;
        let i0_beta = bessel_i0(KAISER_BETA);
        let mut table = Vec::with_capacity((phases + 1) * taps);
        for p in 0..=phases {
            let frac = p as f64 / phases as f64;
            for k in 0..taps {
                // Distance from the output position to this input sample.
                let x = (first + k as i64) as f64 - frac;
                let r = x / half_width;
                let w = if r.abs() >= 1.0 {
                    0.0
                } else {
                    bessel_i0(KAISER_BETA * (1.0 - r * r).sqrt()) / i0_beta
                };
                let arg = cutoff * x;
                let sinc = if arg == 0.0 {
                    1.0
                } else {
                    sin_turns(arg / 2.0) / (std::f64::consts::PI * arg)
                };
                table.push(cutoff * sinc * w);
            }
        }
        Kernel {
            taps,
            phases,
            exact,
            table,
            first,
        }
    }

    /// One output sample from the `taps` input samples `x` at phase `rem / b`.
    fn apply(&self, x: &[f64], rem: u64, b: u64) -> f64 {
        if self.exact {
            dot(&self.table[rem as usize * self.taps..][..self.taps], x)
        } else {
            let pos = rem as f64 / b as f64 * self.phases as f64;
            let p = (pos as usize).min(self.phases - 1);
            let w = pos - p as f64;
            let y0 = dot(&self.table[p * self.taps..][..self.taps], x);
            let y1 = dot(&self.table[(p + 1) * self.taps..][..self.taps], x);
            y0 + (y1 - y0) * w
        }
    }
}

/// Σ a[k]·b[k] with four running sums (for instruction-level parallelism), added in a
/// fixed order so the result is the same everywhere.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let tail: f64 = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ca.zip(cb) {
        acc[0] += x[0] * y[0];
        acc[1] += x[1] * y[1];
        acc[2] += x[2] * y[2];
        acc[3] += x[3] * y[3];
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f64, rate: u32, frames: usize) -> Vec<f32> {
        (0..frames)
            .map(|i| (std::f64::consts::TAU * freq * i as f64 / rate as f64).sin() as f32)
            .collect()
    }

    /// Largest error against the ideal sine at the output rate, away from the edges.
    fn worst_error(out: &[f32], freq: f64, rate: u32, skip: usize) -> f64 {
        out[skip..out.len() - skip]
            .iter()
            .enumerate()
            .map(|(i, &y)| {
                let t = (i + skip) as f64 / rate as f64;
                (y as f64 - (std::f64::consts::TAU * freq * t).sin()).abs()
            })
            .fold(0.0, f64::max)
    }

    fn rms(x: &[f32]) -> f64 {
        (x.iter().map(|&v| v as f64 * v as f64).sum::<f64>() / x.len() as f64).sqrt()
    }

    #[test]
    fn length_is_ceil_of_ratio() {
        let x = vec![0.0f32; 441];
        assert_eq!(resample(&x, 1, 44_100, 48_000).len(), 480);
        assert_eq!(resample(&x, 1, 44_100, 22_050).len(), 221);
        let stereo = vec![0.0f32; 882];
        assert_eq!(resample(&stereo, 2, 44_100, 48_000).len(), 960);
    }

    #[test]
    fn equal_rates_copy() {
        let x = sine(1000.0, 48_000, 100);
        assert_eq!(resample(&x, 1, 48_000, 48_000), x);
    }

    #[test]
    fn sine_44k1_to_48k_is_accurate() {
        let x = sine(1000.0, 44_100, 44_100);
        let y = resample(&x, 1, 44_100, 48_000);
        let err = worst_error(&y, 1000.0, 48_000, 200);
        assert!(err < 2e-5, "worst error {err}");
    }

    #[test]
    fn high_sine_upsampled_keeps_frequency() {
        let x = sine(15_000.0, 44_100, 44_100);
        let y = resample(&x, 1, 44_100, 48_000);
        let err = worst_error(&y, 15_000.0, 48_000, 200);
        assert!(err < 1e-3, "worst error {err}");
    }

    #[test]
    fn downsampling_filters_what_would_alias() {
        let x = sine(30_000.0, 96_000, 96_000);
        let y = resample(&x, 1, 96_000, 48_000);
        let level = rms(&y[200..y.len() - 200]) / std::f64::consts::FRAC_1_SQRT_2;
        assert!(level < 1e-4, "alias level {level} (must be below -80 dB)");
        // And a passband sine survives the same conversion.
        let x = sine(5_000.0, 96_000, 96_000);
        let y = resample(&x, 1, 96_000, 48_000);
        assert!(worst_error(&y, 5_000.0, 48_000, 200) < 2e-5);
    }

    #[test]
    fn passband_is_flat() {
        for &f in &[100.0, 5_000.0, 12_000.0, 17_600.0] {
            let x = sine(f, 44_100, 22_050);
            let y = resample(&x, 1, 44_100, 48_000);
            let gain = rms(&y[400..y.len() - 400]) / rms(&x[400..x.len() - 400]);
            let db = 20.0 * gain.log10();
            assert!(db.abs() < 0.01, "{f} Hz: {db} dB");
        }
    }

    #[test]
    fn odd_rates_use_interpolated_phases() {
        // 44101 / 48000 has 48000 phases: more than the exact table holds.
        let x = sine(1000.0, 44_101, 44_101);
        let y = resample(&x, 1, 44_101, 48_000);
        assert!(worst_error(&y, 1000.0, 48_000, 200) < 1e-4);
    }

    #[test]
    fn stereo_channels_stay_apart() {
        let mut x = Vec::new();
        for _ in 0..4410 {
            x.push(1.0f32);
            x.push(0.0);
        }
        let y = resample(&x, 2, 44_100, 48_000);
        assert!(y
            .chunks(2)
            .skip(100)
            .take(4000)
            .all(|f| (f[0] - 1.0).abs() < 1e-3 && f[1] == 0.0));
    }
}
