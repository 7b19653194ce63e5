//! Hann-windowed real FFTs giving levels in dBFS, shared by spectrum and spectrogram.

use std::sync::Arc;

use realfft::num_complex::Complex;
use realfft::{RealFftPlanner, RealToComplex};

/// The lowest level drawn or reported, in dB.
pub(crate) const FLOOR_DB: f64 = -200.0;

/// One FFT size with its window and buffers, reused frame after frame.
pub(crate) struct Analyzer {
    fft: Arc<dyn RealToComplex<f64>>,
    window: Vec<f64>,
    input: Vec<f64>,
    output: Vec<Complex<f64>>,
    scratch: Vec<Complex<f64>>,
    /// Scales |X[k]|² so a full-scale sine centred on a bin reads 1 (0 dB).
    norm: f64,
}

impl Analyzer {
    /// An analyzer of `n` points (`n` ≥ 2, even).
    pub(crate) fn new(n: usize) -> Analyzer {
        let fft = RealFftPlanner::<f64>::new().plan_fft_forward(n);
        // The periodic Hann window, the usual choice for spectral analysis.
        let window: Vec<f64> = (0..n)
            .map(|i| 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / n as f64).cos())
            .collect();
        let sum: f64 = window.iter().sum();
        Analyzer {
            input: fft.make_input_vec(),
            output: fft.make_output_vec(),
            scratch: fft.make_scratch_vec(),
            fft,
            window,
            norm: (2.0 / sum).powi(2),
        }
    }

    /// The FFT size.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.window.len()
    }

    /// Bins in a spectrum (`len / 2 + 1`).
    pub(crate) fn bins(&self) -> usize {
        self.output.len()
    }

    /// Adds the normalised power of frames `start .. start + len` of `signal(i)` (zero
    /// outside `0..frames`) to `acc`, bin by bin.
    pub(crate) fn add_power(
        &mut self,
        signal: impl Fn(usize) -> f64,
        frames: usize,
        start: isize,
        acc: &mut [f64],
    ) {
        for (i, (x, w)) in self.input.iter_mut().zip(&self.window).enumerate() {
            let at = start + i as isize;
            let s = if at >= 0 && (at as usize) < frames {
                signal(at as usize)
            } else {
                0.0
            };
            *x = s * w;
        }
        // Buffer sizes come from the plan itself, so this cannot fail.
        let _ = self
            .fft
            .process_with_scratch(&mut self.input, &mut self.output, &mut self.scratch);
        for (a, c) in acc.iter_mut().zip(&self.output) {
            *a += c.norm_sqr() * self.norm;
        }
    }
}

/// A power as dB, floored at [`FLOOR_DB`] and rounded to 1/64 dB so last-bit differences
/// between FFT implementations cannot move a pixel.
pub(crate) fn power_db(p: f64) -> f64 {
    let db = if p > 0.0 && p.is_finite() {
        10.0 * p.log10()
    } else {
        FLOOR_DB
    };
    (db.max(FLOOR_DB) * 64.0).round() / 64.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_scale_sine_on_a_bin_reads_0_db() {
        let n = 1024;
        let mut a = Analyzer::new(n);
        assert_eq!((a.len(), a.bins()), (1024, 513));
        let mut acc = vec![0.0; a.bins()];
        let k = 64.0;
        a.add_power(
            |i| (std::f64::consts::TAU * k * i as f64 / n as f64).sin(),
            n,
            0,
            &mut acc,
        );
        let peak = acc
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.total_cmp(y.1))
            .unwrap();
        assert_eq!(peak.0, 64);
        assert!(power_db(*peak.1).abs() < 0.02, "{}", power_db(*peak.1));
        // Half amplitude reads −6 dB.
        let mut acc = vec![0.0; a.bins()];
        a.add_power(
            |i| 0.5 * (std::f64::consts::TAU * k * i as f64 / n as f64).sin(),
            n,
            0,
            &mut acc,
        );
        assert!((power_db(acc[64]) + 6.02).abs() < 0.02);
    }

    #[test]
    fn zero_padding_outside_the_signal() {
        let mut a = Analyzer::new(8);
        let mut acc = vec![0.0; a.bins()];
        // Entirely before the signal: silence.
        a.add_power(|_| 1.0, 4, -8, &mut acc);
        assert!(acc.iter().all(|&p| p == 0.0));
        a.add_power(|_| 1.0, 4, 0, &mut acc);
        assert!(acc[0] > 0.0);
    }

    #[test]
    fn db_is_floored_and_quantised() {
        assert_eq!(power_db(0.0), FLOOR_DB);
        assert_eq!(power_db(f64::NAN), FLOOR_DB);
        assert_eq!(power_db(1e-40), FLOOR_DB);
        assert_eq!(power_db(1.0), 0.0);
        let x = power_db(0.5);
        assert_eq!(x * 64.0, (x * 64.0).round());
        assert!((x + 3.0103).abs() < 1.0 / 64.0);
    }
}
