//! Deterministic elementary functions for the kit and the load-time resampler.
//!
//! The platform's `sin`/`exp` may differ in the last bit between machines and C
//! libraries; the built-in kit must be bit-identical everywhere, so everything here is
//! made of IEEE-754 basic operations only (`+ - * /`, `floor`, `sqrt`, bit casts), which
//! are correctly rounded on every conforming machine. Rust never contracts `a * b + c`
//! into a fused multiply-add on its own, so the order written is the order computed.

/// 2π to double precision.
const TAU: f64 = std::f64::consts::TAU;

/// sin(2π·turns) for any finite `turns`; absolute error below 1e-15 on [−1, 1] turns.
pub fn sin_turns(turns: f64) -> f64 {
    if !turns.is_finite() {
        return 0.0;
    }
    // Reduce to t in [-0.25, 0.25] with sin(2πt) equal to the wanted value.
    let mut t = turns - turns.floor(); // [0, 1)
    if t >= 0.5 {
        t -= 1.0; // [-0.5, 0.5)
    }
    if t > 0.25 {
        t = 0.5 - t;
    } else if t < -0.25 {
        t = -0.5 - t;
    }
    let u = TAU * t; // [-π/2, π/2]
    let u2 = u * u;
    // Taylor series to u^19: the first omitted term is below (π/2)^21/21! ≈ 6e-17.
    let mut p = -1.0 / 121_645_100_408_832_000.0; // -1/19!
    p = p * u2 + 1.0 / 355_687_428_096_000.0; // 1/17!
    p = p * u2 - 1.0 / 1_307_674_368_000.0; // -1/15!
    p = p * u2 + 1.0 / 6_227_020_800.0; // 1/13!
    p = p * u2 - 1.0 / 39_916_800.0; // -1/11!
    p = p * u2 + 1.0 / 362_880.0; // 1/9!
    p = p * u2 - 1.0 / 5_040.0; // -1/7!
    p = p * u2 + 1.0 / 120.0; // 1/5!
    p = p * u2 - 1.0 / 6.0; // -1/3!
    p = p * u2 + 1.0;
    u * p
}

/// cos(2π·turns), by [`sin_turns`] a quarter turn later.
pub fn cos_turns(turns: f64) -> f64 {
    sin_turns(turns + 0.25)
}

/// 2^x, deterministic, for x clamped to [−1022, 1023]; NaN gives 1.
pub fn exp2(x: f64) -> f64 {
    if x.is_nan() {
        return 1.0;
    }
    let x = x.clamp(-1022.0, 1023.0);
    let k = x.floor();
    let f = x - k; // [0, 1)
                   // 2^f = e^(f·ln2), Taylor to degree 13: error below (ln2)^14/14! ≈ 7e-14 relative.
    let y = f * std::f64::consts::LN_2;
    let mut p = 1.0 / 6_227_020_800.0; // 1/13!
    p = p * y + 1.0 / 479_001_600.0; // 1/12!
    p = p * y + 1.0 / 39_916_800.0;
    p = p * y + 1.0 / 3_628_800.0;
    p = p * y + 1.0 / 362_880.0;
    p = p * y + 1.0 / 40_320.0;
    p = p * y + 1.0 / 5_040.0;
    p = p * y + 1.0 / 720.0;
    p = p * y + 1.0 / 120.0;
    p = p * y + 1.0 / 24.0;
    p = p * y + 1.0 / 6.0;
    p = p * y + 0.5;
    p = p * y + 1.0;
    p = p * y + 1.0;
    // k is an integer in [-1022, 1023]: its power of two is exact as a bit pattern.
    let scale = f64::from_bits(((k as i64 + 1023) as u64) << 52);
    p * scale
}

/// e^x, deterministic (see [`exp2`]).
pub fn exp(x: f64) -> f64 {
    exp2(x * std::f64::consts::LOG2_E)
}

/// The per-sample multiplier of an exponential decay with time constant `tau` seconds.
pub fn decay_coeff(tau: f64, sample_rate: f64) -> f64 {
    if tau <= 0.0 || !tau.is_finite() {
        return 0.0;
    }
    exp(-1.0 / (tau * sample_rate))
}

/// A deterministic white-noise source (xorshift64*), uniform in [−1, 1).
#[derive(Clone, Debug)]
pub struct Noise(u64);

impl Noise {
    /// A generator with the given seed (0 is replaced by a fixed non-zero seed).
    pub fn new(seed: u64) -> Self {
        Noise(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }

    /// The next value in [−1, 1).
    pub fn sample(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        let r = x.wrapping_mul(0x2545_F491_4F6C_DD1D);
        // The top 53 bits as a fraction in [0, 1): exact.
        (r >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0) * 2.0 - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sin_matches_std_closely() {
        let mut worst: f64 = 0.0;
        for i in -4000..=4000 {
            let t = i as f64 / 1000.0 + 0.000_123;
            worst = worst.max((sin_turns(t) - (TAU * t).sin()).abs());
        }
        assert!(worst < 1e-14, "worst {worst}");
        assert_eq!(sin_turns(0.0), 0.0);
        assert!((sin_turns(0.25) - 1.0).abs() < 1e-15);
        assert_eq!(sin_turns(f64::NAN), 0.0);
    }

    #[test]
    fn exp_matches_std_closely() {
        for i in -700..=700 {
            let x = i as f64 * 0.137;
            let rel = (exp(x) - x.exp()).abs() / x.exp();
            assert!(rel < 1e-12, "x {x} rel {rel}");
        }
        assert_eq!(exp2(3.0), 8.0);
        assert_eq!(exp2(-1.0), 0.5);
        assert_eq!(exp2(f64::NAN), 1.0);
        assert!(exp2(f64::INFINITY).is_finite());
        assert_eq!(exp2(f64::NEG_INFINITY), f64::from_bits(1u64 << 52));
    }

    #[test]
    fn noise_is_uniform_and_repeatable() {
        let mut a = Noise::new(7);
        let mut b = Noise::new(7);
        let mut sum = 0.0;
        for _ in 0..100_000 {
            let x = a.sample();
            assert_eq!(x, b.sample());
            assert!((-1.0..1.0).contains(&x));
            sum += x;
        }
        assert!((sum / 100_000.0).abs() < 0.01);
    }
}
