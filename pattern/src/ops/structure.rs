//! Structure: `struct`, `mask`, Euclid, lists of patterns, and generated values
//! (`run`, `irand`, `range`).

use super::{ints, numbers};
use crate::core::{app_left, app_right, fastcat, unwrap, Pattern};
use crate::euclid;
use crate::random;
use crate::value::Value;

/// True for the values `struct` and `mask` treat as "on": `t`, `true`, non-zero numbers
/// and (as in Strudel) any other word; `f`, `false`, `0` are off.
fn on(v: &Value) -> bool {
    v.as_bool().unwrap_or(!matches!(v, Value::Map(_)))
}

/// `struct b p`: `p`'s values on the structure of `b`'s true events.
pub fn struct_(b: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    app_left(b, p, |b, v| (on(b), v.clone()))
        .filter_values(|(b, _)| *b)
        .fmap(|(_, v)| v.clone())
}

/// `mask b p`: `p` kept only where `b` is true (structure from `p`).
pub fn mask(b: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    app_left(p, &b.filter_values(on), |v, _| v.clone())
}

/// `euclid k n p`.
pub fn euclid(k: &Pattern<Value>, n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    euclid::euclid(&ints(k), &ints(n), p)
}

/// `euclidOff k n r p` (also `eoff`): rotated left by `r` steps.
pub fn euclid_off(
    k: &Pattern<Value>,
    n: &Pattern<Value>,
    r: &Pattern<Value>,
    p: &Pattern<Value>,
) -> Pattern<Value> {
    euclid::euclid_off(&ints(k), &ints(n), &ints(r), p)
}

/// `euclidInv k n p`: `p` on the rests.
pub fn euclid_inv(k: &Pattern<Value>, n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    euclid::euclid_inv(&ints(k), &ints(n), p)
}

/// `euclidFull k n p q`: `p` on the pulses, `q` on the rests.
pub fn euclid_full(
    k: &Pattern<Value>,
    n: &Pattern<Value>,
    p: &Pattern<Value>,
    q: &Pattern<Value>,
) -> Pattern<Value> {
    euclid::euclid_full(&ints(k), &ints(n), p, q)
}

/// `run n`: 0 to n-1 in one cycle (Haskell's `enumFromTo 0 (n-1)`).
pub fn run(n: &Pattern<Value>) -> Pattern<Value> {
    unwrap(&numbers(n).fmap(|n| {
        let n = *n;
        if n.is_nan() || n < 0.5 {
            return Pattern::silence();
        }
        if n > 65536.0 {
            return Pattern::faulty(crate::QueryError::TooManyEvents { limit: 65536 });
        }
        let k = (n - 0.5).floor() as i64 + 1;
        fastcat(
            (0..k)
                .map(|i| Pattern::pure(Value::Num(i as f64)))
                .collect(),
        )
    }))
}

/// `irand n`: random whole numbers from 0 to n-1, continuous.
pub fn irand(n: &Pattern<Value>) -> Pattern<Value> {
    random::irand(&numbers(n)).fmap(|x| Value::Num(*x))
}

/// `rand`: random numbers in [0, 1), continuous.
pub fn rand() -> Pattern<Value> {
    random::rand().fmap(|x| Value::Num(*x))
}

/// `range lo hi p`: `p` (from 0 to 1) scaled to `lo`..`hi`, structure from `p`.
pub fn range(lo: &Pattern<Value>, hi: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let bounds = app_right(&numbers(lo), &numbers(hi), |a, b| (*a, *b));
    app_right(&bounds, p, |(lo, hi), v| match v.as_f64() {
        Some(x) => Value::Num(x * (hi - lo) + lo),
        None => v.clone(),
    })
}
