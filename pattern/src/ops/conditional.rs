//! Functions applied to some cycles or some events: `every`, `whenmod`, `chunk`,
//! `sometimesBy` and its family, `off`, `superimpose`.

use super::{haskell_mod, ints, numbers, times, Func};
use crate::core::{slowcat, stack, tparam, tparam2, unwrap, when_cycle, when_time, Pattern};
use crate::random::{degrade_by, somecycles_by, sometimes_by, undegrade_by};
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;

/// `every n f p`: `f` applied every `n`th cycle, starting with cycle 0.
pub fn every(n: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let (f, p) = (f.clone(), p.clone());
    tparam(&ints(n), move |n| {
        let n = *n;
        if n == 0 {
            return p.clone();
        }
        let f = f.clone();
        when_cycle(
            move |c| haskell_mod(c, n) == 0,
            move |q| f(q),
            &p,
            n.checked_abs(),
        )
    })
}

/// `every' n o f p`: `f` applied in cycles whose number mod `n` is `o`.
pub fn every_offset(
    n: &Pattern<Value>,
    o: &Pattern<Value>,
    f: &Func,
    p: &Pattern<Value>,
) -> Pattern<Value> {
    let (f, p) = (f.clone(), p.clone());
    // Tidal binds both arguments (`do n <- np; o <- op`): wholes meet.
    let pairs = crate::core::app_both(&ints(n), &ints(o), |a, b| (*a, *b));
    unwrap(&pairs.fmap(move |(n, o)| {
        let (n, o) = (*n, *o);
        if n == 0 {
            return p.clone();
        }
        let f = f.clone();
        when_cycle(
            move |c| haskell_mod(c, n) == o,
            move |q| f(q),
            &p,
            n.checked_abs(),
        )
    }))
}

/// `whenmod a b f p`: `f` applied where the cycle position mod `a` is at least `b`.
pub fn whenmod(
    a: &Pattern<Value>,
    b: &Pattern<Value>,
    f: &Func,
    p: &Pattern<Value>,
) -> Pattern<Value> {
    let (f, p) = (f.clone(), p.clone());
    tparam2(&times(a), &times(b), move |a, b| {
        let (a, b) = (*a, *b);
        if a == Time::ZERO {
            return p.clone();
        }
        let f = f.clone();
        let period = Some(a.numer().abs());
        when_time(
            move |t| t - a * Time::int((t / a).floor()) >= b,
            move |q| f(q),
            &p,
            period,
        )
    })
}

/// `chunk n f p`: the cycle in `n` parts; `f` applied to part 0 in cycle 0, part 1 in
/// cycle 1, …; negative `n` goes backwards from the last part.
pub fn chunk(n: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let (f, p) = (f.clone(), p.clone());
    tparam(&ints(n), move |n| chunk_by(*n, &f, &p))
}

/// `chunk' n f p`: `chunk (-n)`, as Tidal's deprecated spelling.
pub fn chunk_back(n: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let (f, p) = (f.clone(), p.clone());
    tparam(&ints(n), move |n| chunk_by(n.saturating_neg(), &f, &p))
}

fn part(i: i64, n: i64) -> Span {
    Span::new(
        Time::new(i, n).unwrap_or(Time::ZERO),
        Time::new(i + 1, n).unwrap_or(Time::ONE),
    )
}

fn chunk_by(n: i64, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    if n.abs() > crate::euclid::MAX_STEPS || n == 0 {
        return if n == 0 {
            Pattern::silence()
        } else {
            Pattern::faulty(crate::QueryError::Overflow)
        };
    }
    if n > 0 {
        return slowcat((0..n).map(|i| p.within(part(i, n), |q| f(q))).collect());
    }
    let m = -n;
    // Tidal: do i <- _slow m $ rev $ run m; within (i/m, (i+1)/m) f p
    let idx = crate::core::fastcat((0..m).map(Pattern::pure).collect())
        .rev()
        .slow(Time::int(m));
    let (f, p) = (f.clone(), p.clone());
    unwrap(&idx.fmap(move |i| p.within(part(*i, m), |q| f(q))))
}

/// `sometimesBy x f p`: `f` applied to each event with probability `x` (Tidal's
/// definition: the degraded pattern overlaid with `f` of its complement).
pub fn sometimes_by_(x: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let f = f.clone();
    sometimes_by(&numbers(x), move |q| f(q), p)
}

/// `someCyclesBy x f p`: `f` applied to whole cycles with probability `x`.
pub fn somecycles_by_(x: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let f = f.clone();
    somecycles_by(&numbers(x), move |q| f(q), p)
}

/// `degradeBy x p`: each event removed with probability `x`.
pub fn degrade_by_(x: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    degrade_by(&numbers(x), p)
}

/// `unDegradeBy x p`: the events `degradeBy x` would remove.
pub fn undegrade_by_(x: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    undegrade_by(&numbers(x), p)
}

/// `off t f p`: `p` with `f` of `p` shifted `t` later on top.
pub fn off(t: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let (f, p) = (f.clone(), p.clone());
    tparam(&times(t), move |t| stack(vec![p.clone(), f(&p.rotr(*t))]))
}

/// `superimpose f p`: `p` with `f p` on top.
pub fn superimpose(f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    stack(vec![p.clone(), f(p)])
}
