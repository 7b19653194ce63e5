//! Tidal's deterministic randomness: a function of time, no state (`Sound/Tidal/UI.hs`).
//!
//! `timeToRand t`: take t/300, keep its fractional part (truncated toward zero, as
//! Haskell's `properFraction`), scale by 2^29 and truncate, apply one xorshift step
//! (13 left, 17 right arithmetic, 5 left on a signed 64-bit integer), then take the
//! result mod 2^29 over 2^29. Time 0 gives 0.5. All of it is exact: the scaling is done on
//! the rational time, so the value matches Tidal's bit for bit.

use crate::core::{app_left, stack, tparam, unwrap, Pattern};
use crate::span::Span;
use crate::time::Time;

const TWO_29: i64 = 1 << 29;

/// One xorshift step (Tidal's `xorwise`).
pub fn xorwise(x: i64) -> i64 {
    let a = (x << 13) ^ x;
    let b = (a >> 17) ^ a;
    (b << 5) ^ b
}

/// The integer seed of a time (Tidal's `timeToIntSeed` on a `Rational`).
pub fn time_to_int_seed(t: Time) -> i64 {
    let (n, d) = (t.numer() as i128, t.denom() as i128 * 300);
    // The fractional part of n/d is (n rem d)/d, with n's sign, as properFraction gives.
    let frac_num = n % d;
    xorwise(((frac_num * TWO_29 as i128) / d) as i64)
}

/// A seed to a number in [0, 1) (Tidal's `intSeedToRand`).
pub fn int_seed_to_rand(seed: i64) -> f64 {
    seed.rem_euclid(TWO_29) as f64 / TWO_29 as f64
}

/// The random number at time `t` (Tidal's `timeToRand`).
pub fn time_to_rand(t: Time) -> f64 {
    if t == Time::ZERO {
        return 0.5;
    }
    int_seed_to_rand(time_to_int_seed(t))
}

/// The random number at a time given as a `Double`, as Tidal computes it where the time is
/// a float (`someCyclesBy` reads `timeToRand (fromIntegral c :: Double)`).
pub fn time_to_rand_f64(t: f64) -> f64 {
    if t == 0.0 {
        return 0.5;
    }
    let x = t / 300.0;
    let frac = x - x.trunc();
    int_seed_to_rand(xorwise((frac * TWO_29 as f64).trunc() as i64))
}

/// Random numbers in [0, 1): a continuous pattern, repeating every 300 cycles (Tidal's
/// `rand`).
pub fn rand() -> Pattern<f64> {
    Pattern::signal(time_to_rand).with_period(Some(300))
}

/// Random whole numbers from 0 to n-1 (Tidal's `irand`).
pub fn irand(n: &Pattern<f64>) -> Pattern<f64> {
    unwrap(&n.fmap(|n| {
        let n = *n;
        rand().fmap(move |r| (r * n).floor())
    }))
}

/// Events of `p` kept where `prand` at their onset is at least `x` (Tidal's
/// `_degradeByUsing`).
pub fn degrade_by_using<T: crate::core::Val>(
    prand: &Pattern<f64>,
    x: f64,
    p: &Pattern<T>,
) -> Pattern<T> {
    app_left(p, prand, |v, r| (v.clone(), *r))
        .filter_values(move |(_, r)| *r >= x)
        .fmap(|(v, _)| v.clone())
}

/// Events randomly removed with probability `x` (Tidal's `degradeBy`).
pub fn degrade_by<T: crate::core::Val>(x: &Pattern<f64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    tparam(x, move |x| degrade_by_using(&rand(), *x, &p))
}

/// The events `degrade_by` removes: kept where the random number is below `x` (Tidal's
/// `unDegradeBy`).
pub fn undegrade_by<T: crate::core::Val>(x: &Pattern<f64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    tparam(x, move |x| {
        let x = *x;
        app_left(&p, &rand(), |v, r| (v.clone(), *r))
            .filter_values(move |(_, r)| *r < x)
            .fmap(|(v, _)| v.clone())
    })
}

/// `f` applied to a random share `x` of the events, the rest left as they are (Tidal's
/// `sometimesBy`).
pub fn sometimes_by<T: crate::core::Val>(
    x: &Pattern<f64>,
    f: impl Fn(&Pattern<T>) -> Pattern<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    stack(vec![degrade_by(x, p), f(&undegrade_by(x, p))])
}

/// `f` applied to whole cycles chosen at random with probability `x` (Tidal's
/// `someCyclesBy`).
pub fn somecycles_by<T: crate::core::Val>(
    x: &Pattern<f64>,
    f: impl Fn(&Pattern<T>) -> Pattern<T> + Send + Sync + 'static,
    p: &Pattern<T>,
) -> Pattern<T> {
    let p = p.clone();
    let f = std::sync::Arc::new(f);
    tparam(x, move |x| {
        let x = *x;
        let f = f.clone();
        crate::core::when_cycle(
            move |c| time_to_rand_f64(c as f64) < x,
            |q| f(q),
            &p,
            Some(300),
        )
    })
}

/// One of `xs` by the value of `f` in [0, 1) (Tidal's `chooseBy`).
pub fn choose_by<T: crate::core::Val>(f: &Pattern<f64>, xs: Vec<T>) -> Pattern<T> {
    if xs.is_empty() {
        return Pattern::silence();
    }
    let n = xs.len();
    f.fmap(move |r| {
        let i = (r * n as f64).floor() as i64;
        xs[i.rem_euclid(n as i64) as usize].clone()
    })
}

/// The mini-notation's `a | b | c`: one alternative per cycle, chosen by `rand` shifted by
/// `seed`/10000 cycles (Tidal's `TPat_CycleChoose`).
pub fn cycle_choose<T: crate::core::Val>(seed: u32, xs: Vec<Pattern<T>>) -> Pattern<T> {
    let r = rand().rotl(seed_offset(seed));
    let chosen = choose_by(&r, xs);
    // segment 1: one choice per cycle, read at the cycle's start.
    let per_cycle = app_left(&Pattern::pure(()), &chosen, |_, p| p.clone());
    unwrap(&per_cycle)
}

/// The mini-notation's `x?p`: events kept where `rand` shifted by `seed`/10000 cycles is
/// at least `p` (Tidal's `TPat_DegradeBy`).
pub fn seeded_degrade<T: crate::core::Val>(seed: u32, amount: f64, p: &Pattern<T>) -> Pattern<T> {
    degrade_by_using(&rand().rotl(seed_offset(seed)), amount, p)
}

fn seed_offset(seed: u32) -> Time {
    Time::new(seed as i64, 10000).unwrap_or(Time::ZERO)
}

/// The random values at the start of each of `n` cycles from 0, for tests and docs.
pub fn first_values(n: i64) -> Vec<f64> {
    (0..n)
        .map(|c| {
            rand()
                .query(Span::new(Time::int(c), Time::int(c)))
                .map(|e| e[0].value)
                .unwrap_or(f64::NAN)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xorwise_matches_tidal_on_known_seeds() {
        // By hand: a = 1 ^ 1<<13 = 8193; b = a ^ a>>17 = 8193; b ^ b<<5 = 270369.
        assert_eq!(xorwise(1), 270369);
        assert_eq!(xorwise(0), 0);
        // Wrapping shifts and arithmetic shift right on negatives, as Haskell's Int:
        // a = -1<<13 ^ -1 = 8191; b = 8191; b ^ b<<5 = 253983 (checked in Python).
        assert_eq!(xorwise(-1), 253983);
    }

    #[test]
    fn time_to_rand_matches_tidal() {
        // From Tidal's test suite (UITest.hs, "rand"): queryArc rand (0.25, 0.25)
        // and (0.75, 0.75) give 0.6295689214020967 and 0.20052618719637394.
        let t = |s: &str| s.parse::<Time>().unwrap();
        assert_eq!(time_to_rand(t("1/4")), 0.6295689214020967);
        assert_eq!(time_to_rand(t("3/4")), 0.20052618719637394);
        assert_eq!(time_to_rand(Time::ZERO), 0.5);
        // The float path agrees with the exact one away from rounding edges.
        assert_eq!(time_to_rand_f64(1.0), time_to_rand(Time::ONE));
        assert_eq!(time_to_rand_f64(0.0), 0.5);
    }

    #[test]
    fn negative_times_use_haskells_truncating_fraction() {
        let t = "-1/4".parse::<Time>().unwrap();
        let v = time_to_rand(t);
        assert!((0.0..1.0).contains(&v));
        assert_ne!(v, time_to_rand("1/4".parse().unwrap()));
    }

    #[test]
    fn rand_repeats_every_300_cycles() {
        let a = "7/3".parse::<Time>().unwrap();
        assert_eq!(time_to_rand(a), time_to_rand(a + Time::int(300)));
        assert_eq!(rand().period(), Some(300));
    }
}
