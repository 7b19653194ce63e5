//! Euclidean rhythms: Bjorklund's algorithm as Tidal computes it (`Bjorklund.hs`), and
//! `euclid`, `euclidOff`, `euclidInv`, `euclidFull` (`UI.hs`).

use crate::core::{fastcat, stack, tparam2, tparam3, Pattern, Val};
use crate::fault::QueryError;
use crate::time::Time;

/// The largest step count a Euclidean rhythm may have.
pub const MAX_STEPS: i64 = 1 << 16;

/// `k` onsets spread over `n` steps, as Tidal's `bjorklund (k, n)` (including its edge
/// cases: `k > n` gives `k` onsets and no rests; negative counts give none).
pub fn bjorklund(k: i64, n: i64) -> Vec<bool> {
    let (i, j) = (k, n - k);
    let mut xs: Vec<Vec<bool>> = (0..i.max(0)).map(|_| vec![true]).collect();
    let mut ys: Vec<Vec<bool>> = (0..j.max(0)).map(|_| vec![false]).collect();
    let (mut i, mut j) = (i, j);
    while i.min(j) > 1 {
        if i > j {
            // Tidal's `left`: the first j of xs take ys' lists; the rest become ys.
            let rest = xs.split_off(j as usize);
            for (x, y) in xs.iter_mut().zip(ys.drain(..)) {
                x.extend(y);
            }
            ys = rest;
            (i, j) = (j, i - j);
        } else {
            // Tidal's `right`: each x takes one of the first i ys; the rest stay ys.
            let rest = ys.split_off(i as usize);
            for (x, y) in xs.iter_mut().zip(ys.drain(..)) {
                x.extend(y);
            }
            ys = rest;
            j -= i;
        }
    }
    xs.into_iter().chain(ys).flatten().collect()
}

fn too_big<T: Val>(n: i64) -> Option<Pattern<T>> {
    (n.abs() > MAX_STEPS).then(|| {
        Pattern::faulty(QueryError::TooManyEvents {
            limit: MAX_STEPS as usize,
        })
    })
}

/// `p` on the onsets of `bjorklund(k, n)`; negative `k` plays the rests of `(-k, n)`
/// instead (Tidal's `_euclid`).
pub fn euclid_<T: Val>(k: i64, n: i64, p: &Pattern<T>) -> Pattern<T> {
    if let Some(e) = too_big(k).or_else(|| too_big(n)) {
        return e;
    }
    let bools = bjorklund(k.abs(), n);
    let on = k >= 0;
    let steps: Vec<Pattern<T>> = bools
        .into_iter()
        .map(|b| {
            if b == on {
                p.clone()
            } else {
                Pattern::silence()
            }
        })
        .collect();
    if steps.is_empty() {
        return Pattern::silence();
    }
    fastcat(steps)
}

/// As [`euclid_`], rotated left by `r` steps; `n = 0` is silence (Tidal's `_euclidOff`).
pub fn euclid_off_<T: Val>(k: i64, n: i64, r: i64, p: &Pattern<T>) -> Pattern<T> {
    if n == 0 {
        return Pattern::silence();
    }
    match Time::new(r, n) {
        Some(shift) => euclid_(k, n, p).rotl(shift),
        None => Pattern::faulty(QueryError::Overflow),
    }
}

/// Patterned `euclid k n p`.
pub fn euclid<T: Val>(k: &Pattern<i64>, n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    tparam2(k, n, move |k, n| euclid_(*k, *n, &p))
}

/// Patterned `euclidOff k n r p` (the mini-notation's `(k,n,r)`).
pub fn euclid_off<T: Val>(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    r: &Pattern<i64>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let p = p.clone();
    tparam3(k, n, r, move |k, n, r| euclid_off_(*k, *n, *r, &p))
}

/// Patterned `euclidInv k n p`: `p` on the rests.
pub fn euclid_inv<T: Val>(k: &Pattern<i64>, n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    tparam2(k, n, move |k, n| euclid_(k.saturating_neg(), *n, &p))
}

/// `euclidFull k n p q`: `p` on the onsets and `q` on the rests.
pub fn euclid_full<T: Val>(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    p: &Pattern<T>,
    q: &Pattern<T>,
) -> Pattern<T> {
    stack(vec![euclid(k, n, p), euclid_inv(k, n, q)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(v: &[bool]) -> String {
        v.iter().map(|b| if *b { 'x' } else { '.' }).collect()
    }

    #[test]
    fn bjorklund_matches_tidal() {
        assert_eq!(show(&bjorklund(3, 8)), "x..x..x.");
        assert_eq!(show(&bjorklund(5, 8)), "x.xx.xx.");
        assert_eq!(show(&bjorklund(2, 5)), "x.x..");
        assert_eq!(show(&bjorklund(3, 4)), "xxx.");
        assert_eq!(show(&bjorklund(5, 12)), "x..x.x..x.x.");
        assert_eq!(show(&bjorklund(7, 16)), "x..x.x.x..x.x.x.");
        assert_eq!(show(&bjorklund(0, 4)), "....");
        assert_eq!(show(&bjorklund(4, 4)), "xxxx");
        // k > n: Tidal returns k onsets.
        assert_eq!(show(&bjorklund(5, 3)), "xxxxx");
        assert_eq!(show(&bjorklund(0, 0)), "");
    }
}
