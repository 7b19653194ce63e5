//! Pattern functions with Tidal's meaning, built from the core primitives. Each function
//! takes its arguments in Tidal's order; patterned arguments are patterns.

pub mod combine;
pub mod conditional;
pub mod controls;
pub mod signals;
pub mod structure;
pub mod timing;

use crate::core::Pattern;
use crate::time::Time;
use crate::value::Value;

/// A pattern function argument that is itself a function (`every 2 (fast 2)`).
pub type Func = std::sync::Arc<dyn Fn(&Pattern<Value>) -> Pattern<Value> + Send + Sync>;

/// Values read as times (numbers and note names); other values are dropped, as Tidal's
/// typed parameters would refuse them.
pub fn times(p: &Pattern<Value>) -> Pattern<Time> {
    p.filter_values(|v| v.as_f64().and_then(Time::from_f64).is_some())
        .fmap(|v| v.as_f64().and_then(Time::from_f64).unwrap_or(Time::ZERO))
}

/// Values read as numbers; other values are dropped.
pub fn numbers(p: &Pattern<Value>) -> Pattern<f64> {
    p.filter_values(|v| v.as_f64().is_some())
        .fmap(|v| v.as_f64().unwrap_or(0.0))
}

/// Values read as whole numbers (floored, as Tidal's `getI`); other values are dropped.
pub fn ints(p: &Pattern<Value>) -> Pattern<i64> {
    numbers(p)
        .filter_values(|x| x.abs() < 9.0e15)
        .fmap(|x| x.floor() as i64)
}

/// Haskell's `mod`: the result takes the divisor's sign.
pub(crate) fn haskell_mod(a: i64, n: i64) -> i64 {
    let r = a % n;
    if r != 0 && (r < 0) != (n < 0) {
        r + n
    } else {
        r
    }
}
