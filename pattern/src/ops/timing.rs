//! Functions of time: speed, shifts, reversal, repetition within cycles.

use super::{times, Func};
use crate::core::{slowcat, squeeze_join, tparam, Pattern};
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;

/// `fast r p`: faster by `r` (patterned; Tidal's `fast`).
pub fn fast(r: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&times(r), move |r| p.fast(*r))
}

/// `slow r p`: slower by `r` (Tidal's `slow`).
pub fn slow(r: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&times(r), move |r| p.slow(*r))
}

/// `t ~> p`: later by `t` cycles (Tidal's `~>`, `late`).
pub fn late(t: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&times(t), move |t| p.rotr(*t))
}

/// `t <~ p`: earlier by `t` cycles (Tidal's `<~`, `early`).
pub fn early(t: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&times(t), move |t| p.rotl(*t))
}

/// `rev p`: each cycle backwards.
pub fn rev(p: &Pattern<Value>) -> Pattern<Value> {
    p.rev()
}

/// `iter n p`: each cycle starts 1/n later into the pattern than the one before.
pub fn iter(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&super::ints(n), move |n| iter_by(*n, &p, false))
}

/// `iter' n p`: as `iter`, the other way.
pub fn iter_back(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&super::ints(n), move |n| iter_by(*n, &p, true))
}

fn iter_by(n: i64, p: &Pattern<Value>, back: bool) -> Pattern<Value> {
    if !(1..=crate::euclid::MAX_STEPS).contains(&n) {
        return Pattern::silence();
    }
    slowcat(
        (0..n)
            .map(|i| {
                let t = Time::new(i, n).unwrap_or(Time::ZERO);
                if back {
                    p.rotr(t)
                } else {
                    p.rotl(t)
                }
            })
            .collect(),
    )
}

/// `palindrome p`: forwards, then backwards, alternating cycles.
pub fn palindrome(p: &Pattern<Value>) -> Pattern<Value> {
    slowcat(vec![p.clone(), p.rev()])
}

/// `ply n p`: each event repeated `n` times within its own span.
pub fn ply(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&times(n), move |n| {
        let n = *n;
        squeeze_join(&p.fmap(move |v| Pattern::pure(v.clone()).fast(n)))
    })
}

/// `linger t p`: the first `t` of each cycle repeated to fill it (negative: the last).
pub fn linger(t: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&times(t), move |n| {
        let n = *n;
        if n == Time::ZERO {
            return Pattern::silence();
        }
        let zoomed = if n < Time::ZERO {
            p.zoom(Span::new(Time::ONE + n, Time::ONE))
        } else {
            p.zoom(Span::new(Time::ZERO, n))
        };
        // Tidal's `_fast (1/n)`: a negative n also reverses, as Tidal's _fast does.
        zoomed.fast(Time::ONE / n)
    })
}

/// `inside n f p`: `f` applied inside each 1/n of a cycle (`fast n $ f $ slow n p`).
pub fn inside(n: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let (p, f) = (p.clone(), f.clone());
    tparam(&times(n), move |n| f(&p.slow(*n)).fast(*n))
}

/// `swingBy x n p`: the second half of each 1/n of a cycle delayed by `x` (of that 1/n).
pub fn swing_by(x: &Pattern<Value>, n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let x = x.clone();
    let f: Func = std::sync::Arc::new(move |q: &Pattern<Value>| {
        let x = x.clone();
        q.within(
            Span::new(Time::new(1, 2).unwrap_or(Time::ZERO), Time::ONE),
            move |r| late(&x, r),
        )
    });
    inside(n, &f, p)
}

/// `segment n p`: `n` discrete events per cycle, each sampling `p` at its start.
pub fn segment(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&times(n), move |n| {
        crate::core::app_left(&Pattern::pure(()).fast(*n), &p, |_, v| v.clone())
    })
}

/// `hurry r p`: `fast r` that also multiplies the `speed` control by `r`.
pub fn hurry(r: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let speed = super::controls::control("speed", r);
    super::combine::op_left(&fast(r, p), &speed, super::combine::Op::Mul)
}

/// Tidal's `_rearrangeWith ipat n p`: each event of `ipat` (an index i) plays the i-th of
/// the n parts of `p`'s cycle, fitted into the event (`_fast n $ _repeatCycles n`).
fn rearrange_with(ipat: &Pattern<i64>, n: i64, p: &Pattern<Value>) -> Pattern<Value> {
    let parts: Vec<Pattern<Value>> = (0..n)
        .map(|i| {
            let (b, e) = (Time::new(i, n), Time::new(i + 1, n));
            match (b, e) {
                (Some(b), Some(e)) => p.zoom(crate::span::Span::new(b, e)),
                _ => Pattern::silence(),
            }
        })
        .collect();
    crate::core::inner_join(&ipat.fmap(move |i| {
        match usize::try_from(*i).ok().and_then(|i| parts.get(i)) {
            // _repeatCycles n: each cycle n times; then n of those to the cycle.
            Some(part) => crate::core::slowcat(vec![part.clone(); n as usize]).fast(Time::int(n)),
            None => Pattern::silence(),
        }
    }))
}

/// Tidal's `scramble n p`: n parts of each cycle, each slot a random one of them
/// (`_rearrangeWith (_segment n $ _irand n) n`), Tidal's random numbers.
pub fn scramble(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&super::ints(n), move |n| {
        let n = *n;
        if n < 1 {
            return Pattern::silence();
        }
        // n parts, each repeated n times: n² patterns.
        if n > 1024 {
            return Pattern::faulty(crate::QueryError::TooManyEvents { limit: 1024 });
        }
        let k = Pattern::pure(Value::Num(n as f64));
        let picks = segment(&k, &super::structure::irand(&k));
        rearrange_with(&super::ints(&picks), n, &p)
    })
}
