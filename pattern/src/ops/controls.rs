//! Control patterns: values named for a synth or sampler (`s`, `n`, `gain`, `pan`, …) and
//! the functions that work on them (`jux`, `chop`, `striate`, `stut`, `echo`).

use std::sync::Arc;

use super::combine::{op_left, Op};
use super::{ints, numbers, times, Func};
use crate::core::{fastcat, squeeze_join, stack, tparam, tparam3, Pattern};
use crate::time::Time;
use crate::value::{ControlMap, Value};

/// The control names the function table offers as functions (`gain "1 0.5"`).
pub const NAMES: &[&str] = &[
    "s",
    "sound",
    "n",
    "note",
    "gain",
    "speed",
    "pan",
    "begin",
    "end",
    "cut",
    "shape",
    "crush",
    "coarse",
    "vowel",
    "room",
    "size",
    "orbit",
    "legato",
    "sustain",
    "accelerate",
    "cutoff",
    "lpf",
    "resonance",
    "hcutoff",
    "hpf",
    "delay",
    "delaytime",
    "delayfeedback",
    "velocity",
    "amp",
    "unit",
    "loop",
    "octave",
    "attack",
    "release",
    "up",
];

fn map1(k: &str, v: Value) -> Value {
    let mut m = ControlMap::new();
    m.insert(Arc::from(k), v);
    Value::Map(Arc::new(m))
}

/// `name pat`: each value of `pat` under the control `name`. `s`/`sound` split a sample
/// word at its index (`bd:3` gives `s=bd n=3`), as Tidal's `sound` does.
pub fn control(name: &str, p: &Pattern<Value>) -> Pattern<Value> {
    let name: Arc<str> = Arc::from(if name == "sound" { "s" } else { name });
    if &*name == "s" {
        return p.fmap(|v| match v.sample() {
            Some((s, Some(i))) => {
                let mut m = ControlMap::new();
                m.insert(Arc::from("s"), Value::word(s));
                m.insert(Arc::from("n"), Value::Num(i as f64));
                Value::Map(Arc::new(m))
            }
            _ => map1("s", v.clone()),
        });
    }
    p.fmap(move |v| map1(&name, v.clone()))
}

/// `juxBy w f p`: `p` panned left by w/2 and `f p` right by w/2 (from their pan, or
/// 0.5), so `jux` (w = 1) pans hard left and right.
pub fn jux_by(w: &Pattern<Value>, f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    let half = numbers(w).fmap(|w| map1("pan", Value::Num(w / 2.0)));
    let centre = Pattern::pure(map1("pan", Value::Num(0.5)));
    let left = op_left(&op_left(p, &centre, Op::Add), &half, Op::Sub);
    let right = op_left(&op_left(p, &centre, Op::Add), &half, Op::Add);
    stack(vec![left, f(&right)])
}

/// `jux f p`: `juxBy 1`.
pub fn jux(f: &Func, p: &Pattern<Value>) -> Pattern<Value> {
    jux_by(&Pattern::pure(Value::Num(1.0)), f, p)
}

fn get(m: &ControlMap, k: &str) -> Option<f64> {
    m.get(k).and_then(Value::as_f64)
}

fn with_range(v: &Value, b: f64, e: f64) -> Value {
    let mut m = v.as_map().cloned().unwrap_or_default();
    m.insert(Arc::from("begin"), Value::Num(b));
    m.insert(Arc::from("end"), Value::Num(e));
    Value::Map(Arc::new(m))
}

/// `chop n p`: each event cut into `n` parts playing successive parts of its sample
/// (`begin`/`end`).
pub fn chop(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&ints(n), move |n| {
        let n = *n;
        if !(1..=crate::euclid::MAX_STEPS).contains(&n) {
            return Pattern::silence();
        }
        squeeze_join(&p.fmap(move |v| {
            let slices = (0..n).map(|i| {
                let (b, e) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
                // An event that already has begin and end is cut within them.
                let (b, e) = match v
                    .as_map()
                    .and_then(|m| Some((get(m, "begin")?, get(m, "end")?)))
                {
                    Some((b0, e0)) => (b0 + b * (e0 - b0), b0 + e * (e0 - b0)),
                    None => (b, e),
                };
                Pattern::pure(with_range(v, b, e))
            });
            fastcat(slices.collect())
        }))
    })
}

/// `striate n p`: the pattern played `n` times per cycle, the i-th time playing the i-th
/// part of each sample.
pub fn striate(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&ints(n), move |n| {
        let n = *n;
        if !(1..=crate::euclid::MAX_STEPS).contains(&n) {
            return Pattern::silence();
        }
        fastcat(
            (0..n)
                .map(|i| {
                    let (b, e) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
                    p.fmap(move |v| {
                        let m = v.as_map();
                        let b0 = m.and_then(|m| get(m, "begin")).unwrap_or(0.0);
                        let e0 = m.and_then(|m| get(m, "end")).unwrap_or(1.0);
                        let d = e0 - b0;
                        with_range(v, b * d + b0, e * d + b0)
                    })
                })
                .collect(),
        )
    })
}

fn times_gain(p: &Pattern<Value>, g: f64) -> Pattern<Value> {
    op_left(p, &Pattern::pure(map1("gain", Value::Num(g))), Op::Mul)
}

/// `stut count feedback time p`: `count` echoes `time` apart, gain falling from 1
/// toward `feedback` (Tidal's `stut`).
pub fn stut(
    count: &Pattern<Value>,
    feedback: &Pattern<Value>,
    time: &Pattern<Value>,
    p: &Pattern<Value>,
) -> Pattern<Value> {
    let p = p.clone();
    tparam3(
        &ints(count),
        &numbers(feedback),
        &times(time),
        move |c, fb, t| {
            let (c, fb, t) = (*c, *fb, *t);
            if c > 1024 {
                return Pattern::faulty(crate::QueryError::TooManyEvents { limit: 1024 });
            }
            let scale = |x: f64| fb + (1.0 - fb) * ((c as f64 - x) / c as f64);
            let mut layers = vec![p.clone()];
            for x in 1..c.max(1) {
                layers.push(times_gain(&p, scale(x as f64)).rotr(t * Time::int(x)));
            }
            stack(layers)
        },
    )
}

/// `echo count time feedback p`: `count` copies `time` apart, each `feedback` times the
/// gain of the one before (Tidal 1.9's `echo`).
pub fn echo(
    count: &Pattern<Value>,
    time: &Pattern<Value>,
    feedback: &Pattern<Value>,
    p: &Pattern<Value>,
) -> Pattern<Value> {
    let p = p.clone();
    tparam3(
        &ints(count),
        &times(time),
        &numbers(feedback),
        move |c, t, fb| {
            let (c, t, fb) = (*c, *t, *fb);
            if c > 1024 {
                return Pattern::faulty(crate::QueryError::TooManyEvents { limit: 1024 });
            }
            // _echoWith: overlay (f (time `rotR` _echoWith (count - 1) time f p)) p
            let mut acc = p.clone();
            for _ in 1..c.max(1) {
                acc = stack(vec![times_gain(&acc.rotr(t), fb), p.clone()]);
            }
            acc
        },
    )
}

/// Tidal's `slice pN pI p`: `begin b # end e # p`, each index `i` of `pI` (structure from
/// it) playing the `(i mod n)`-th of `n` equal parts of the sample.
pub fn slice(n: &Pattern<Value>, i: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let bounds = crate::core::app_left(&ints(i), &ints(n), |i, n| {
        let n = *n;
        if n <= 0 {
            return None;
        }
        let b = super::haskell_mod(*i, n) as f64 / n as f64;
        let mut m = ControlMap::new();
        m.insert(Arc::from("begin"), Value::Num(b));
        m.insert(Arc::from("end"), Value::Num(b + 1.0 / n as f64));
        Some(Value::Map(Arc::new(m)))
    })
    .filter_values(Option::is_some)
    .fmap(|v| v.clone().unwrap_or(Value::Num(0.0)));
    super::combine::op_left(&bounds, p, Op::Right)
}

/// Tidal's `splice bits i p`: `slice`, each part's `speed` multiplied by
/// `(1/bits) / (its event's length in cycles)` and `unit "c"`, so a part fills its slot.
pub fn splice(bits: &Pattern<Value>, i: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let (i, p) = (i.clone(), p.clone());
    tparam(&ints(bits), move |bits| {
        let bits = *bits;
        if bits <= 0 {
            return Pattern::silence();
        }
        let sliced = slice(&Pattern::pure(Value::Num(bits as f64)), &i, &p);
        let sz = 1.0 / bits as f64;
        let period = sliced.period();
        let fitted = Pattern::new(move |span| {
            sliced
                .raw(span)
                .into_iter()
                .map(|e| {
                    let w = e.whole_or_part();
                    let d = sz / (w.end - w.begin).to_f64();
                    let mut m = e.value.as_map().cloned().unwrap_or_default();
                    let s = get(&m, "speed").map_or(d, |s| d * s);
                    m.insert(Arc::from("speed"), Value::Num(s));
                    e.with_value(Value::Map(Arc::new(m)))
                })
                .collect()
        })
        .with_period(period);
        super::combine::op_left(
            &fitted,
            &Pattern::pure(map1("unit", Value::word("c"))),
            Op::Right,
        )
    })
}

/// Tidal's `loopAt n p`: `slow n p |* speed (1/n) # unit "c"`, a sample stretched over
/// n cycles.
pub fn loop_at(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let slowed = super::timing::slow(n, p);
    let speed = super::numbers(n)
        .filter_values(|n| *n != 0.0)
        .fmap(|n| map1("speed", Value::Num(1.0 / n)));
    let sped = op_left(&slowed, &speed, Op::Mul);
    op_left(
        &sped,
        &Pattern::pure(map1("unit", Value::word("c"))),
        Op::Right,
    )
}
