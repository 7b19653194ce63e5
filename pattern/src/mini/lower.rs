//! The mini-notation's meaning: an [`Ast`] turned into a pattern, as Tidal's `toPat`.

use super::ast::{Ast, Kind, Node, Step};
use super::error::MiniError;
use super::parse::exact_time;
use crate::core::{app_both, fastcat, slowcat, stack, timecat, tparam, unwrap, Pattern, Val};
use crate::euclid::euclid_off;
use crate::fault::QueryError;
use crate::notes::{apply_modifier, chord_intervals, note_number, parse_modifiers};
use crate::random::{cycle_choose, seeded_degrade};
use crate::time::Time;
use crate::value::Value;

/// The most values one `a .. b` range may enumerate.
const MAX_RANGE: f64 = 65536.0;

/// What a mini-notation leaf can become: a [`Value`] for patterns, a [`Time`] for factors
/// and Euclid arguments (read exactly from the literal's text).
pub(crate) trait Atom: Val {
    /// A word leaf.
    fn word(text: &str, at: usize) -> Result<Self, MiniError>;
    /// A number leaf.
    fn number(v: f64, text: &str, at: usize) -> Result<Self, MiniError>;
    /// `a .. b` between two values (Tidal's `fromTo`).
    fn range(a: &Self, b: &Self) -> Pattern<Self>;
    /// `root'name'mods`.
    fn chord(node: &Node) -> Result<Pattern<Self>, MiniError> {
        Err(MiniError::new(
            node.span.start,
            "a chord here: expected a number",
        ))
    }
}

/// Haskell's `enumFromTo` on fractional numbers, with Tidal's reversal for a > b.
fn enum_from_to(a: f64, b: f64) -> Option<Vec<f64>> {
    let (lo, hi) = if a > b { (b, a) } else { (a, b) };
    let count = (hi + 0.5 - lo).floor() + 1.0;
    if count.is_nan() || count > MAX_RANGE {
        return None;
    }
    let mut v: Vec<f64> = (0..count.max(0.0) as i64)
        .map(|k| lo + k as f64)
        .take_while(|x| *x <= hi + 0.5)
        .collect();
    if a > b {
        v.reverse();
    }
    Some(v)
}

impl Atom for Value {
    fn word(text: &str, _: usize) -> Result<Value, MiniError> {
        Ok(Value::word(text))
    }
    fn number(v: f64, _: &str, _: usize) -> Result<Value, MiniError> {
        Ok(Value::Num(v))
    }
    fn range(a: &Value, b: &Value) -> Pattern<Value> {
        match (a, b) {
            (Value::Num(x), Value::Num(y)) => match enum_from_to(*x, *y) {
                Some(v) => fastcat(
                    v.into_iter()
                        .map(|x| Pattern::pure(Value::Num(x)))
                        .collect(),
                ),
                None => Pattern::faulty(QueryError::TooManyEvents {
                    limit: MAX_RANGE as usize,
                }),
            },
            // Words have no order: Tidal's `fromTo` for strings plays both ends.
            _ => fastcat(vec![Pattern::pure(a.clone()), Pattern::pure(b.clone())]),
        }
    }
    fn chord(node: &Node) -> Result<Pattern<Value>, MiniError> {
        let Kind::Chord {
            root,
            name,
            modifiers,
        } = &node.kind
        else {
            unreachable!("chord node")
        };
        let root: Pattern<f64> = match root {
            Some(r) => {
                check_leaves(r, &|k| match k {
                    Kind::Word(w) if note_number(w).is_none() => {
                        Some("a chord root must be a number or a note name")
                    }
                    _ => None,
                })?;
                lower::<Value>(r)?.fmap(|v| v.as_f64().unwrap_or(0.0))
            }
            None => Pattern::pure(0.0),
        };
        let name = lower::<Value>(name)?.fmap(|v| v.to_string());
        let mut chord: Pattern<Vec<f64>> = unwrap(&root.fmap(move |r| {
            let r = *r;
            name.fmap(move |n| {
                chord_intervals(n)
                    .iter()
                    .map(|i| r + *i as f64)
                    .collect::<Vec<f64>>()
            })
        }));
        for m in modifiers {
            check_leaves(m, &|k| match k {
                Kind::Word(w) if parse_modifiers(w).is_none() => {
                    Some("a chord modifier is `i`, `o`, `d` and a number, or a number")
                }
                Kind::Number(_, t) if parse_modifiers(t).is_none() => {
                    Some("a chord modifier number is a whole number")
                }
                _ => None,
            })?;
            let mp =
                lower::<Value>(m)?.fmap(|v| parse_modifiers(&v.to_string()).unwrap_or_default());
            chord = unwrap(&chord.fmap(move |notes| {
                let notes = notes.clone();
                mp.fmap(move |ms| {
                    ms.iter()
                        .fold(notes.clone(), |acc, m| apply_modifier(*m, &acc))
                })
            }));
        }
        Ok(uncollect(&chord))
    }
}

/// Each list value spread into simultaneous events (Tidal's `uncollect`).
fn uncollect(p: &Pattern<Vec<f64>>) -> Pattern<Value> {
    let p2 = p.clone();
    Pattern::new(move |span| {
        p2.raw(span)
            .into_iter()
            .flat_map(|e| {
                let (whole, part) = (e.whole, e.part);
                e.value.into_iter().map(move |x| crate::event::Event {
                    whole,
                    part,
                    value: Value::Num(x),
                })
            })
            .collect()
    })
    .with_period(p.period())
}

impl Atom for Time {
    fn word(text: &str, at: usize) -> Result<Time, MiniError> {
        // Tidal reads note names in its integer patterns (`bd(3,c)`): so do we.
        match note_number(text) {
            Some(n) => Ok(Time::int(n)),
            None => Err(MiniError::new(
                at,
                format!("expected a number, found the word `{text}`"),
            )),
        }
    }
    fn number(_: f64, text: &str, at: usize) -> Result<Time, MiniError> {
        exact_time(text).ok_or_else(|| {
            MiniError::new(
                at,
                format!("`{text}` is too large or too fine to be an exact time"),
            )
        })
    }
    fn range(a: &Time, b: &Time) -> Pattern<Time> {
        let (lo, hi) = if a > b { (*b, *a) } else { (*a, *b) };
        let Some(span) = hi.checked_sub(lo) else {
            return Pattern::faulty(QueryError::Overflow);
        };
        if span > Time::int(MAX_RANGE as i64) {
            return Pattern::faulty(QueryError::TooManyEvents {
                limit: MAX_RANGE as usize,
            });
        }
        let half = Time::new(1, 2).unwrap_or(Time::ZERO);
        let mut v = Vec::new();
        let mut x = lo;
        while x <= hi + half {
            v.push(Pattern::pure(x));
            x = x + Time::ONE;
        }
        if a > b {
            v.reverse();
        }
        fastcat(v)
    }
}

/// Fails on the first leaf for which `bad` has a complaint.
fn check_leaves(n: &Node, bad: &dyn Fn(&Kind) -> Option<&'static str>) -> Result<(), MiniError> {
    if let Some(msg) = bad(&n.kind) {
        return Err(MiniError::new(n.span.start, msg));
    }
    match &n.kind {
        Kind::Sequence(steps) => steps.iter().try_for_each(|s| check_leaves(&s.node, bad)),
        Kind::Feet(v) | Kind::Stack(v) | Kind::Alternate(v) => {
            v.iter().try_for_each(|x| check_leaves(x, bad))
        }
        Kind::Choose { options, .. } => options.iter().try_for_each(|x| check_leaves(x, bad)),
        Kind::Polymeter { layers, .. } => layers.iter().try_for_each(|x| check_leaves(x, bad)),
        Kind::Fast(x, _) | Kind::Slow(x, _) => check_leaves(x, bad),
        Kind::Euclid { pattern, .. } | Kind::Degrade { pattern, .. } => check_leaves(pattern, bad),
        Kind::Range(a, b) => check_leaves(a, bad).and_then(|_| check_leaves(b, bad)),
        _ => Ok(()),
    }
}

/// The pattern of a whole parsed string.
pub fn to_pattern(ast: &Ast) -> Result<Pattern<Value>, MiniError> {
    lower::<Value>(&ast.root)
}

/// A sequence's total weight and its pattern (Tidal's `resolve_seq`).
fn sequence<A: Atom>(steps: &[Step], at: usize) -> Result<(Time, Pattern<A>), MiniError> {
    let mut parts = Vec::new();
    let mut total = Time::ZERO;
    for s in steps {
        let p = lower::<A>(&s.node)?;
        for _ in 0..s.repeat {
            total = total
                .checked_add(s.weight)
                .ok_or_else(|| MiniError::new(at, "the weights of this sequence are too large"))?;
            parts.push((s.weight, p.clone()));
        }
    }
    if parts.is_empty() {
        return Ok((Time::ZERO, Pattern::silence()));
    }
    if total <= Time::ZERO {
        return Err(MiniError::new(
            at,
            "the weights of this sequence add up to nothing",
        ));
    }
    Ok((total, timecat(parts)))
}

/// A layer's step count and pattern (Tidal's `resolve_tpat`).
fn layer<A: Atom>(n: &Node) -> Result<(Time, Pattern<A>), MiniError> {
    match &n.kind {
        Kind::Sequence(steps) => sequence(steps, n.span.start),
        // Feet are a sequence of sub-sequences: one step each (Tidal's TPat_Seq of TPat_Seq).
        Kind::Feet(feet) => Ok((Time::int(feet.len() as i64), lower(n)?)),
        _ => Ok((Time::ONE, lower(n)?)),
    }
}

/// A node's pattern.
pub(crate) fn lower<A: Atom>(n: &Node) -> Result<Pattern<A>, MiniError> {
    let at = n.span.start;
    Ok(match &n.kind {
        Kind::Word(w) => Pattern::pure(A::word(w, at)?),
        Kind::Number(v, text) => Pattern::pure(A::number(*v, text, at)?),
        Kind::Rest => Pattern::silence(),
        Kind::Sequence(steps) => sequence(steps, at)?.1,
        Kind::Feet(feet) => {
            let mut parts = Vec::new();
            for f in feet {
                parts.push((Time::ONE, lower(f)?));
            }
            timecat(parts)
        }
        Kind::Stack(layers) => stack(layers.iter().map(lower).collect::<Result<_, _>>()?),
        Kind::Choose { seed, options } => {
            cycle_choose(*seed, options.iter().map(lower).collect::<Result<_, _>>()?)
        }
        Kind::Alternate(layers) => polymeter(layers, Some(Pattern::pure(Time::ONE)))?,
        Kind::Polymeter { layers, steps } => {
            let steps = match steps {
                Some(s) => Some(lower::<Time>(s)?),
                None => None,
            };
            polymeter(layers, steps)?
        }
        Kind::Fast(x, f) => {
            let x = lower::<A>(x)?;
            tparam(&lower::<Time>(f)?, move |r| x.fast(*r))
        }
        Kind::Slow(x, f) => {
            let x = lower::<A>(x)?;
            tparam(&lower::<Time>(f)?, move |r| x.slow(*r))
        }
        Kind::Euclid {
            pattern,
            pulses,
            steps,
            rotation,
        } => {
            let int = |n: &Node| -> Result<Pattern<i64>, MiniError> {
                check_leaves(n, &|k| match k {
                    Kind::Number(v, _) if v.fract() != 0.0 => {
                        Some("Euclid arguments are whole numbers")
                    }
                    _ => None,
                })?;
                Ok(lower::<Time>(n)?.fmap(|t| t.floor()))
            };
            let r = match rotation {
                Some(r) => int(r)?,
                None => Pattern::pure(0),
            };
            euclid_off(&int(pulses)?, &int(steps)?, &r, &lower::<A>(pattern)?)
        }
        Kind::Degrade {
            pattern,
            seed,
            amount,
        } => seeded_degrade(*seed, amount.unwrap_or(0.5), &lower::<A>(pattern)?),
        Kind::Range(a, b) => {
            let pairs = app_both(&lower::<A>(a)?, &lower::<A>(b)?, |x, y| A::range(x, y));
            unwrap(&pairs)
        }
        Kind::Chord { .. } => A::chord(n)?,
    })
}

/// Layers aligned so that `steps` of each play per cycle (Tidal's `TPat_Polyrhythm`).
fn polymeter<A: Atom>(
    layers: &[Node],
    steps: Option<Pattern<Time>>,
) -> Result<Pattern<A>, MiniError> {
    let pats: Vec<(Time, Pattern<A>)> = layers.iter().map(layer).collect::<Result<_, _>>()?;
    let base = match (steps, pats.first()) {
        (Some(s), _) => s,
        (None, Some((n, _))) => Pattern::pure(*n),
        (None, None) => return Ok(Pattern::silence()),
    };
    let mut out = Vec::new();
    for (n, p) in pats {
        if n == Time::ZERO {
            continue;
        }
        let rate = base.fmap(move |s| *s / n);
        out.push(tparam(&rate, move |r| p.fast(*r)));
    }
    Ok(stack(out))
}

/// One pattern per cycle from a list (for tests of `<a b>` against Tidal's `cat`).
#[allow(dead_code)]
pub(crate) fn cat_words(ws: &[&str]) -> Pattern<Value> {
    slowcat(ws.iter().map(|w| Pattern::pure(Value::word(w))).collect())
}
