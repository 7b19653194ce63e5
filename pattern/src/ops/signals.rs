//! Continuous patterns (Tidal's `sig`-based oscillators), one cycle per period.
//!
//! Tidal computes these from the time as a float (`sin (2π t)`); we take the exact cycle
//! position first, which differs from Tidal by at most a rounding step and makes each
//! signal exactly periodic (its period is 1 cycle).

use crate::core::{fastcat, Pattern};
use crate::time::Time;
use crate::value::Value;

fn sig(f: impl Fn(f64) -> f64 + Send + Sync + 'static) -> Pattern<Value> {
    Pattern::signal(move |t: Time| Value::Num(f(t.cycle_pos().to_f64()))).with_period(Some(1))
}

/// `sine`: from 0.5 up to 1, down to 0 and back, once per cycle.
pub fn sine() -> Pattern<Value> {
    sig(|x| ((std::f64::consts::PI * 2.0 * x).sin() + 1.0) / 2.0)
}

/// `cosine`: `sine` a quarter cycle later.
pub fn cosine() -> Pattern<Value> {
    sine()
        .rotr(Time::new(1, 4).unwrap_or(Time::ZERO))
        .with_period(Some(1))
}

/// `saw`: from 0 up to 1 each cycle.
pub fn saw() -> Pattern<Value> {
    sig(|x| x)
}

/// `isaw`: from 1 down to 0 each cycle.
pub fn isaw() -> Pattern<Value> {
    sig(|x| 1.0 - x)
}

/// `tri`: up in the first half cycle, down in the second.
pub fn tri() -> Pattern<Value> {
    fastcat(vec![saw(), isaw()])
}

/// `square`: 0 in the first half cycle, 1 in the second.
pub fn square() -> Pattern<Value> {
    sig(|x| (x * 2.0).floor())
}
