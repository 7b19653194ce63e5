//! Functions of time: speed, shifts, reversal, repetition within cycles.

use super::{times, Func};
use crate::core::{slowcat, squeeze_join, tparam, Pattern};
use crate::event::Event;
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

/// The value of `p` at the start of cycle `c` (its first event there that is a number):
/// Phonon's `swing` and `groove` read their amount once a cycle, at its start.
fn number_at_cycle(p: &Pattern<Value>, c: i64) -> Option<f64> {
    if let Some(v) = p.pure_value() {
        return v.as_f64();
    }
    let t = Time::int(c);
    p.raw(Span::new(t, t)).iter().find_map(|e| e.value.as_f64())
}

/// The word of `p` at the start of cycle `c`.
fn word_at_cycle(p: &Pattern<Value>, c: i64) -> Option<std::sync::Arc<str>> {
    let word = |v: &Value| match v {
        Value::Word(w) => Some(w.clone()),
        _ => None,
    };
    if let Some(v) = p.pure_value() {
        return word(v);
    }
    let t = Time::int(c);
    p.raw(Span::new(t, t)).iter().find_map(|e| word(&e.value))
}

/// Every event of `p` moved in time by an amount that depends on its onset cycle:
/// `shifts(c, events)` gets the events whose onsets lie in cycle `c` (whole events, in
/// the order of their onsets) and gives each its shift, which is kept within `bounds`
/// (`lo ≤ 0 ≤ hi`, at most a cycle either way). Continuous events stay where they are.
fn nudge(
    p: &Pattern<Value>,
    bounds: (Time, Time),
    period: Option<i64>,
    shifts: impl Fn(i64, &[Event<Value>]) -> Vec<Time> + Send + Sync + 'static,
) -> Pattern<Value> {
    let p = p.clone();
    let (lo, hi) = bounds;
    Pattern::new(move |q: Span| {
        // An event shifted by d meets q when its unshifted whole meets q - d.
        let wide = p.raw(Span::new(q.begin - hi, q.end - lo));
        let mut cycles: Vec<i64> = wide
            .iter()
            .filter_map(|e| e.whole.map(|w| w.begin.floor()))
            .collect();
        cycles.sort_unstable();
        cycles.dedup();
        let mut out: Vec<Event<Value>> = Vec::new();
        if wide.iter().any(|e| e.whole.is_none()) {
            out.extend(p.raw(q).into_iter().filter(|e| e.whole.is_none()));
        }
        for c in cycles {
            let cycle = Span::new(Time::int(c), Time::int(c) + Time::ONE);
            let mut evs: Vec<Event<Value>> =
                p.raw(cycle).into_iter().filter(|e| e.has_onset()).collect();
            evs.sort_by_key(|e| e.whole_begin());
            let ds = shifts(c, &evs);
            for (e, d) in evs.into_iter().zip(ds) {
                let d = d.max(lo).min(hi);
                let Some(w) = e.whole else { continue };
                let w = Span::new(w.begin + d, w.end + d);
                if let Some(part) = w.sub_span(q) {
                    out.push(Event::new(w, part, e.value));
                }
            }
        }
        out
    })
    .with_period(period)
}

/// The bounds of `amount × x` for x in `[lo, hi]` when the amount is a constant, else a
/// cycle either way.
fn shift_bounds(amount: &Pattern<Value>, lo: Time, hi: Time) -> (Time, Time) {
    let one = (-Time::ONE, Time::ONE);
    let Some(a) = amount.pure_value().and_then(Value::as_f64) else {
        return one;
    };
    let Some(a) = Time::from_f64(a) else {
        return one;
    };
    let (x, y) = match (a.checked_mul(lo), a.checked_mul(hi)) {
        (Some(x), Some(y)) => (x.min(y), x.max(y)),
        _ => return one,
    };
    (
        x.min(Time::ZERO).max(-Time::ONE),
        y.max(Time::ZERO).min(Time::ONE),
    )
}

/// A time from a number of cycles, 0 when it has none.
fn cycles_of(x: f64) -> Time {
    Time::from_f64(x).unwrap_or(Time::ZERO)
}

/// Phonon's `swing amount` (`pattern_ops_extended.rs`): in each cycle, every other event
/// (the second, fourth, … by onset) is `amount` cycles later; the amount is read at the
/// start of the cycle, and a shift is at most a cycle either way.
pub fn swing_odd(amount: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let bounds = shift_bounds(amount, Time::ZERO, Time::ONE);
    let period = crate::core::lcm_periods([p.period(), amount.period()]);
    let amount = amount.clone();
    nudge(p, bounds, period, move |c, evs| {
        let a = cycles_of(number_at_cycle(&amount, c).unwrap_or(0.0));
        (0..evs.len())
            .map(|i| if i % 2 == 1 { a } else { Time::ZERO })
            .collect()
    })
}

/// `swing n p`: Tidal's `swingBy (1/3) n` when `n` is a whole number of steps (|n| ≥ 1);
/// a fraction (|n| < 1) is Phonon's one-argument `swing amount` ([`swing_odd`]).
pub fn swing(n: &Pattern<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    tparam(&super::numbers(n), move |n| {
        let k = Pattern::pure(Value::Num(*n));
        if n.abs() < 1.0 {
            swing_odd(&k, &p)
        } else {
            swing_by(&Pattern::pure(Value::Num(1.0 / 3.0)), &k, &p)
        }
    })
}

/// The groove templates of Phonon (`src/groove.rs`, `presets`), by their names there.
pub const GROOVES: &[&str] = &["mpc", "hiphop", "reggae", "jazz", "drunken"];

/// A groove template: the steps of its grid per cycle and the delay of each step in
/// cycles (at amount 1), exactly Phonon's numbers. Phonon's other names for them
/// (`mpc_swing`, `lazy_hiphop`, `reggae_one_drop`, `one_drop`, `jazz_swing`, `drunk`)
/// are accepted too.
pub fn groove_template(name: &str) -> Option<(i64, Vec<Time>)> {
    let t = |n: i64, d: i64| Time::new(n, d).unwrap_or(Time::ZERO);
    let steps = |n: usize, f: &dyn Fn(usize) -> Time| (0..n).map(f).collect::<Vec<Time>>();
    Some(match name {
        // 16ths, the off-beats (odd steps) half a step late: 0.5/16.
        "mpc" | "mpc_swing" => (
            16,
            steps(16, &|i| if i % 2 == 1 { t(1, 32) } else { Time::ZERO }),
        ),
        // Beats 2 and 4 (steps 4, 12) 0.02 late, the 8th off-beats (2, 6, 10, 14) 0.01.
        "hiphop" | "lazy_hiphop" => (
            16,
            steps(16, &|i| match i {
                4 | 12 => t(1, 50),
                2 | 6 | 10 | 14 => t(1, 100),
                _ => Time::ZERO,
            }),
        ),
        // Beat 3 (step 8) 0.025 late, the 8th off-beats 0.01.
        "reggae" | "reggae_one_drop" | "one_drop" => (
            16,
            steps(16, &|i| match i {
                8 => t(1, 40),
                2 | 6 | 10 | 14 => t(1, 100),
                _ => Time::ZERO,
            }),
        ),
        // 8ths, the off-beats half a step late: 0.5/8.
        "jazz" | "jazz_swing" => (
            8,
            steps(8, &|i| if i % 2 == 1 { t(1, 16) } else { Time::ZERO }),
        ),
        // Sixteen fixed offsets, each times 0.5/16.
        "drunken" | "drunk" => {
            const BASE: [i64; 16] = [
                30, -20, 10, -30, 20, -10, 25, -25, 15, -35, 20, -15, 35, -20, 10, -30,
            ];
            (16, steps(16, &|i| t(BASE[i], 3200)))
        }
        _ => return None,
    })
}

/// Phonon's `groove preset amount`: each event later (or earlier) by its template's
/// delay for the grid step its onset falls in, times the amount. The preset and the
/// amount are read at the start of each cycle; an unknown preset leaves the events as
/// they are (kanonc refuses it when compiling); a shift is at most a cycle either way.
pub fn groove(
    preset: &Pattern<Value>,
    amount: &Pattern<Value>,
    p: &Pattern<Value>,
) -> Pattern<Value> {
    // The widest delays of any template: -0.35/32 and 1/16.
    let bounds = match preset.pure_value() {
        Some(Value::Word(w)) => match groove_template(w) {
            Some((_, ds)) => {
                let lo = ds.iter().copied().fold(Time::ZERO, Time::min);
                let hi = ds.iter().copied().fold(Time::ZERO, Time::max);
                shift_bounds(amount, lo, hi)
            }
            None => (Time::ZERO, Time::ZERO),
        },
        _ => (-Time::ONE, Time::ONE),
    };
    let period = crate::core::lcm_periods([p.period(), amount.period(), preset.period()]);
    let (preset, amount) = (preset.clone(), amount.clone());
    nudge(p, bounds, period, move |c, evs| {
        let template = word_at_cycle(&preset, c).and_then(|w| groove_template(&w));
        let Some((grid, ds)) = template else {
            return vec![Time::ZERO; evs.len()];
        };
        let a = cycles_of(number_at_cycle(&amount, c).unwrap_or(1.0));
        evs.iter()
            .map(|e| {
                let step = (e.whole_begin().cycle_pos() * Time::int(grid)).floor();
                let d = usize::try_from(step).ok().and_then(|s| ds.get(s)).copied();
                d.unwrap_or(Time::ZERO).checked_mul(a).unwrap_or(Time::ZERO)
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mini(s: &str) -> Pattern<Value> {
        crate::mini::pattern(s).unwrap()
    }

    fn t(s: &str) -> Time {
        s.parse().unwrap()
    }

    /// (begin, end, value) of the events with onsets in `a..b`, as text.
    fn events(p: &Pattern<Value>, a: &str, b: &str) -> String {
        crate::text::render(p, t(a), t(b)).unwrap()
    }

    #[test]
    fn phonons_swing_delays_every_other_event_of_each_cycle() {
        let p = swing_odd(&Pattern::pure(Value::Num(0.15)), &mini("hh*4"));
        assert_eq!(
            events(&p, "0", "1"),
            "0 1/4 hh\n2/5 13/20 hh\n1/2 3/4 hh\n9/10 23/20 hh\n"
        );
        // The count starts again each cycle: with three events the third stays.
        let p = swing_odd(&Pattern::pure(Value::Num(0.25)), &mini("a b c"));
        assert_eq!(
            events(&p, "1", "3"),
            "1 4/3 a\n19/12 23/12 b\n5/3 2 c\n2 7/3 a\n31/12 35/12 b\n8/3 3 c\n"
        );
    }

    #[test]
    fn phonons_swing_reads_its_amount_at_each_cycle_start() {
        // "0.1 0.3" is 0.1 at every cycle's start; "<0 0.25>" alternates.
        let p = swing_odd(&mini("0.1 0.3"), &mini("a b"));
        assert_eq!(events(&p, "0", "1"), "0 1/2 a\n3/5 11/10 b\n");
        let p = swing_odd(&mini("<0 0.25>"), &mini("a b"));
        assert_eq!(
            events(&p, "0", "2"),
            "0 1/2 a\n1/2 1 b\n1 3/2 a\n7/4 9/4 b\n"
        );
    }

    #[test]
    fn a_shift_earlier_crosses_into_the_cycle_before() {
        let p = swing_odd(&Pattern::pure(Value::Num(-0.9)), &mini("a b"));
        // b of cycle 0 starts at 1/2 - 9/10 = -2/5; b of cycle 1 at 3/5.
        assert_eq!(events(&p, "-1", "0"), "-1 -1/2 a\n-2/5 1/10 b\n");
        assert_eq!(events(&p, "0", "1"), "0 1/2 a\n3/5 11/10 b\n");
        // A query inside the moved event gets its piece.
        let evs = p.query(Span::new(Time::ZERO, t("1/20"))).unwrap();
        assert_eq!(evs.len(), 2, "{evs:?}");
        assert!(evs
            .iter()
            .any(|e| e.whole == Some(Span::new(t("-2/5"), t("1/10")))
                && e.part == Span::new(Time::ZERO, t("1/20"))));
    }

    #[test]
    fn swing_with_a_whole_number_is_tidals_and_with_a_fraction_phonons() {
        let tidal = swing_by(
            &Pattern::pure(Value::Num(1.0 / 3.0)),
            &Pattern::pure(Value::Num(4.0)),
            &mini("hh*8"),
        );
        let a = swing(&Pattern::pure(Value::Num(4.0)), &mini("hh*8"));
        assert_eq!(events(&a, "0", "2"), events(&tidal, "0", "2"));
        let b = swing(&Pattern::pure(Value::Num(0.1)), &mini("hh*8"));
        let phonon = swing_odd(&Pattern::pure(Value::Num(0.1)), &mini("hh*8"));
        assert_eq!(events(&b, "0", "2"), events(&phonon, "0", "2"));
        assert_ne!(events(&a, "0", "1"), events(&b, "0", "1"));
    }

    #[test]
    fn groove_templates_are_phonons_numbers() {
        let (g, ds) = groove_template("mpc").unwrap();
        assert_eq!(g, 16);
        assert_eq!(ds[1], t("1/32"));
        assert_eq!(ds[2], Time::ZERO);
        let (_, ds) = groove_template("hiphop").unwrap();
        assert_eq!(
            (ds[4], ds[12], ds[2], ds[14], ds[8]),
            (t("1/50"), t("1/50"), t("1/100"), t("1/100"), Time::ZERO)
        );
        let (_, ds) = groove_template("reggae").unwrap();
        assert_eq!((ds[8], ds[6], ds[4]), (t("1/40"), t("1/100"), Time::ZERO));
        let (g, ds) = groove_template("jazz").unwrap();
        assert_eq!((g, ds[3], ds[4]), (8, t("1/16"), Time::ZERO));
        let (_, ds) = groove_template("drunken").unwrap();
        assert_eq!((ds[0], ds[9]), (t("3/320"), t("-7/640")));
        for n in GROOVES {
            assert!(groove_template(n).is_some(), "{n}");
        }
        assert!(groove_template("funk").is_none());
    }

    #[test]
    fn groove_moves_each_event_by_its_onsets_step() {
        let word = |w: &str| Pattern::pure(Value::word(w));
        let one = Pattern::pure(Value::Num(1.0));
        // mpc: the odd 16ths 1/32 later; the even ones stay.
        let p = groove(&word("mpc"), &one, &mini("bd sn hh*4 cp"));
        assert_eq!(
            events(&p, "0", "1"),
            "0 1/4 bd\n1/4 1/2 sn\n1/2 9/16 hh\n19/32 21/32 hh\n5/8 11/16 hh\n23/32 25/32 hh\n3/4 1 cp\n"
        );
        // The amount scales the delays, and is read at each cycle's start.
        let p = groove(&word("jazz"), &mini("<0 2>"), &mini("a b"));
        assert_eq!(events(&p, "0", "2"), "0 1/2 a\n1/2 1 b\n1 3/2 a\n3/2 2 b\n");
        let p = groove(&word("jazz"), &mini("<0 2>"), &mini("a*8"));
        assert_eq!(
            events(&p, "1", "2"),
            "1 9/8 a\n5/4 11/8 a\n5/4 11/8 a\n3/2 13/8 a\n3/2 13/8 a\n7/4 15/8 a\n7/4 15/8 a\n"
        );
        // An unknown preset leaves the pattern as it is.
        let p = groove(&word("funk"), &one, &mini("a b"));
        assert_eq!(events(&p, "0", "1"), "0 1/2 a\n1/2 1 b\n");
        // The period is the pattern's.
        assert_eq!(groove(&word("mpc"), &one, &mini("<a b>")).period(), Some(2));
    }
}
