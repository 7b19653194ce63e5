//! Values that patterns carry: words, numbers and control maps.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::notes::note_number;

/// Named control values of one event (`s`, `n`, `gain`, …), as Tidal's `ValueMap`.
pub type ControlMap = BTreeMap<Arc<str>, Value>;

/// One value of a pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A word as written: `bd`, `bd:3`, `c4`, `superpiano`.
    Word(Arc<str>),
    /// A number: written (`0.25`, `-1`) or generated (ranges, chords, arithmetic).
    Num(f64),
    /// Control values, for control patterns (`s "bd" # gain 0.8`).
    Map(Arc<ControlMap>),
}

impl Value {
    /// A word value.
    pub fn word(s: &str) -> Value {
        Value::Word(Arc::from(s))
    }

    /// The value as a number: numbers as they are, note names (`c`, `cs5`, `ef3`) as
    /// semitones from c5, other words and maps `None`.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(x) => Some(*x),
            Value::Word(w) => note_number(w).map(|n| n as f64),
            Value::Map(_) => None,
        }
    }

    /// The value as a boolean, as Tidal reads `t`/`f` and `1`/`0`: words `t`/`true` are
    /// true, `f`/`false` false, numbers are true when non-zero.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Num(x) => Some(*x != 0.0),
            Value::Word(w) => match &**w {
                "t" | "true" => Some(true),
                "f" | "false" => Some(false),
                _ => None,
            },
            Value::Map(_) => None,
        }
    }

    /// The control map, for map values.
    pub fn as_map(&self) -> Option<&ControlMap> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// A sample word split into name and index at its last `:` (`bd:3` → `bd`, 3).
    pub fn sample(&self) -> Option<(&str, Option<i64>)> {
        let Value::Word(w) = self else { return None };
        match w.rsplit_once(':') {
            Some((name, i)) if !name.is_empty() => match i.parse() {
                Ok(i) => Some((name, Some(i))),
                Err(_) => Some((w, None)),
            },
            _ => Some((w, None)),
        }
    }

    /// Numeric operation in Tidal's manner: numbers combine; a word on the left stays;
    /// maps combine key by key (`|+ n 1` adds to `n`, other keys are united); a number
    /// with a map is the map `n=number` (Tidal's `fromInteger` for control maps), so
    /// `n "0 2" + 12` adds to `n` as Phonon's `~degrees + 57` does.
    pub fn num_op(&self, o: &Value, f: &dyn Fn(f64, f64) -> f64) -> Value {
        let as_n = |x: f64| {
            let mut m = ControlMap::new();
            m.insert(Arc::from("n"), Value::Num(x));
            Value::Map(Arc::new(m))
        };
        match (self, o) {
            (Value::Map(_), Value::Num(x)) => return self.num_op(&as_n(*x), f),
            (Value::Num(x), Value::Map(_)) => return as_n(*x).num_op(o, f),
            _ => {}
        }
        match (self, o) {
            (Value::Map(a), Value::Map(b)) => {
                let mut m = (**a).clone();
                for (k, v) in b.iter() {
                    let nv = match m.get(k) {
                        Some(old) => old.num_op(v, f),
                        None => v.clone(),
                    };
                    m.insert(k.clone(), nv);
                }
                Value::Map(Arc::new(m))
            }
            (Value::Num(a), Value::Num(b)) => Value::Num(f(*a, *b)),
            (a, b) => match (a.as_f64(), b.as_f64(), a) {
                // A note name in arithmetic is its number (`"c e" + 12`).
                (Some(x), Some(y), Value::Word(_)) => Value::Num(f(x, y)),
                (Some(x), Some(y), _) if matches!(b, Value::Word(_)) => Value::Num(f(x, y)),
                _ => a.clone(),
            },
        }
    }

    /// Tidal's `#`/`|>` on maps: keys of the right override; other values: the right one.
    pub fn union_right(&self, o: &Value) -> Value {
        match (self, o) {
            (Value::Map(a), Value::Map(b)) => {
                let mut m = (**a).clone();
                for (k, v) in b.iter() {
                    m.insert(k.clone(), v.clone());
                }
                Value::Map(Arc::new(m))
            }
            _ => o.clone(),
        }
    }

    /// Tidal's `|<` on maps: keys of the left win; other values: the left one.
    pub fn union_left(&self, o: &Value) -> Value {
        o.union_right(self)
    }
}

/// Formats a number the shortest way that reads back the same (`0.25`, `3`, `-1.5`).
pub fn format_number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let s = format!("{x}");
    if s.len() > 24 {
        format!("{x:e}")
    } else {
        s
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Word(w) => f.write_str(w),
            Value::Num(x) => f.write_str(&format_number(*x)),
            Value::Map(m) => {
                let mut first = true;
                for (k, v) in m.iter() {
                    if !first {
                        f.write_str(" ")?;
                    }
                    first = false;
                    write!(f, "{k}={v}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_shortest() {
        assert_eq!(Value::Num(0.25).to_string(), "0.25");
        assert_eq!(Value::Num(3.0).to_string(), "3");
        assert_eq!(Value::Num(-0.0).to_string(), "0");
        assert_eq!(Value::Num(1e30).to_string(), "1e30");
    }

    #[test]
    fn words_read_as_notes_and_samples() {
        assert_eq!(Value::word("cs5").as_f64(), Some(1.0));
        assert_eq!(Value::word("bd").as_f64(), None);
        assert_eq!(Value::word("bd:3").sample(), Some(("bd", Some(3))));
        assert_eq!(Value::word("bd").sample(), Some(("bd", None)));
        assert_eq!(Value::word("t").as_bool(), Some(true));
        assert_eq!(Value::Num(0.0).as_bool(), Some(false));
    }

    #[test]
    fn arithmetic_keeps_words_and_merges_maps() {
        let add = |a: f64, b: f64| a + b;
        assert_eq!(
            Value::Num(1.0).num_op(&Value::Num(2.0), &add),
            Value::Num(3.0)
        );
        assert_eq!(
            Value::word("bd").num_op(&Value::Num(2.0), &add),
            Value::word("bd")
        );
        assert_eq!(
            Value::word("c").num_op(&Value::Num(12.0), &add),
            Value::Num(12.0)
        );
        let m = |k: &str, v: f64| Value::Map(Arc::new([(Arc::from(k), Value::Num(v))].into()));
        let sum = m("n", 1.0).num_op(&m("n", 2.0), &add);
        assert_eq!(sum, m("n", 3.0));
        assert_eq!(m("n", 1.0).union_right(&m("n", 2.0)), m("n", 2.0));
        assert_eq!(m("n", 1.0).union_left(&m("n", 2.0)), m("n", 1.0));
    }
}
