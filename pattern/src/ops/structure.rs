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

/// The scales `scale` knows: Tidal's `scaleTable` names for the common scales, and the
/// names Phonon's programs use (`pentatonic`, `harmonic`, `blues`, …, from Phonon's
/// `midi_input::Scale::from_str`), which Tidal lacks.
pub const SCALES: &[(&str, &[i64])] = &[
    ("major", &[0, 2, 4, 5, 7, 9, 11]),
    ("ionian", &[0, 2, 4, 5, 7, 9, 11]),
    ("maj", &[0, 2, 4, 5, 7, 9, 11]),
    ("dorian", &[0, 2, 3, 5, 7, 9, 10]),
    ("phrygian", &[0, 1, 3, 5, 7, 8, 10]),
    ("lydian", &[0, 2, 4, 6, 7, 9, 11]),
    ("mixolydian", &[0, 2, 4, 5, 7, 9, 10]),
    ("mixo", &[0, 2, 4, 5, 7, 9, 10]),
    ("aeolian", &[0, 2, 3, 5, 7, 8, 10]),
    ("minor", &[0, 2, 3, 5, 7, 8, 10]),
    ("min", &[0, 2, 3, 5, 7, 8, 10]),
    ("natural_minor", &[0, 2, 3, 5, 7, 8, 10]),
    ("locrian", &[0, 1, 3, 5, 6, 8, 10]),
    ("majPent", &[0, 2, 4, 7, 9]),
    ("pentatonic", &[0, 2, 4, 7, 9]),
    ("pent", &[0, 2, 4, 7, 9]),
    ("major_pentatonic", &[0, 2, 4, 7, 9]),
    ("minPent", &[0, 3, 5, 7, 10]),
    ("minor_pentatonic", &[0, 3, 5, 7, 10]),
    ("ritusen", &[0, 2, 5, 7, 9]),
    ("egyptian", &[0, 2, 5, 7, 10]),
    ("harmonicMinor", &[0, 2, 3, 5, 7, 8, 11]),
    ("harmonic_minor", &[0, 2, 3, 5, 7, 8, 11]),
    ("harmonic", &[0, 2, 3, 5, 7, 8, 11]),
    ("harmonicMajor", &[0, 2, 4, 5, 7, 8, 11]),
    ("melodicMinor", &[0, 2, 3, 5, 7, 9, 11]),
    ("melodic_minor", &[0, 2, 3, 5, 7, 9, 11]),
    ("melodic", &[0, 2, 3, 5, 7, 9, 11]),
    ("blues", &[0, 3, 5, 6, 7, 10]),
    ("whole", &[0, 2, 4, 6, 8, 10]),
    ("wholetone", &[0, 2, 4, 6, 8, 10]),
    ("whole_tone", &[0, 2, 4, 6, 8, 10]),
    ("diminished", &[0, 1, 3, 4, 6, 7, 9, 10]),
    ("chromatic", &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
];

/// The steps of the scale called `name`, if `scale` knows it.
pub fn scale_steps(name: &str) -> Option<&'static [i64]> {
    SCALES.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}

/// Tidal's `noteInScale`: degree `x` (floored) of the scale, octaves past its length.
fn note_in_scale(steps: &[i64], x: f64) -> f64 {
    let x = x.floor() as i64;
    let len = steps.len() as i64;
    let i = super::haskell_mod(x, len);
    (steps[i as usize] + 12 * x.div_euclid(len)) as f64
}

/// `scale names p`: Tidal's `scale`, structure from `p` (`<$> p <* sp`): each number of
/// `p` taken as a degree of the scale named at that time. Phonon's `n "0 2" # scale
/// "minor"` is the same function with `n`: the `n` and `note` values of control maps
/// are degrees too. An unknown name drops the event (the compiler reports it first).
pub fn scale(names: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let names = names.fmap(|v| match v {
        Value::Word(w) => scale_steps(w),
        _ => None,
    });
    let mapped = app_left(p, &names, |v, steps| {
        let Some(steps) = steps else { return None };
        Some(match v {
            Value::Map(m) => {
                let mut m = (**m).clone();
                for k in ["n", "note"] {
                    if let Some(x) = m.get(k).and_then(Value::as_f64) {
                        m.insert(std::sync::Arc::from(k), Value::Num(note_in_scale(steps, x)));
                    }
                }
                Value::Map(std::sync::Arc::new(m))
            }
            v => Value::Num(note_in_scale(steps, v.as_f64()?)),
        })
    });
    mapped
        .filter_values(|v| v.is_some())
        .fmap(|v| v.clone().unwrap_or(Value::Num(0.0)))
}

/// The intervals of the chord called `name` in Tidal's chord table, if there is one.
pub fn chord_steps(name: &str) -> Option<&'static [i64]> {
    crate::notes::CHORDS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
}

/// `chord names p`: each value of `p` as the root of the chord named at that time, its
/// notes stacked in one event each (Phonon's `n "0 5 7" # chord "maj"`; the `n`/`note`
/// values of control maps are roots too). Structure from `p`, as Phonon's chord modifier;
/// an unknown name drops the event (the compiler reports it first).
pub fn chord(names: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let names = names.fmap(|v| match v {
        Value::Word(w) => chord_steps(w),
        _ => None,
    });
    let shift = |v: &Value, by: i64| -> Option<Value> {
        Some(match v {
            Value::Map(m) => {
                let mut m = (**m).clone();
                for k in ["n", "note"] {
                    if let Some(x) = m.get(k).and_then(Value::as_f64) {
                        m.insert(std::sync::Arc::from(k), Value::Num(x + by as f64));
                    }
                }
                Value::Map(std::sync::Arc::new(m))
            }
            v => Value::Num(v.as_f64()? + by as f64),
        })
    };
    let chords = app_left(p, &names, move |v, steps| {
        let notes: Vec<Pattern<Value>> = steps
            .unwrap_or(&[])
            .iter()
            .filter_map(|&i| shift(v, i))
            .map(Pattern::pure)
            .collect();
        crate::core::stack(notes)
    });
    crate::core::squeeze_join(&chords)
}

/// Tidal's `chord names` alone: the named chords on 0, structure from the names.
pub fn chord_alone(names: &Pattern<Value>) -> Pattern<Value> {
    chord(names, &names.fmap(|_| Value::Num(0.0)))
}

/// Tidal's `stitch pb a b`: `a` on the true events of `pb`, `b` on the false ones.
pub fn stitch(pb: &Pattern<Value>, a: &Pattern<Value>, b: &Pattern<Value>) -> Pattern<Value> {
    let trues = pb.filter_values(|v| v.as_bool() == Some(true));
    let falses = pb
        .filter_values(|v| v.as_bool() == Some(false))
        .fmap(|_| Value::word("t"));
    crate::core::stack(vec![struct_(&trues, a), struct_(&falses, b)])
}
