//! The pattern core: a pattern is a query from a span of cycles to events (Tidal's
//! `Pattern`), plus the handful of primitives every function is built from.
//!
//! Each primitive is a few lines with Tidal's meaning (`Sound/Tidal/Pattern.hs` and
//! `Core.hs`). Alongside the query a pattern carries two facts the compiler needs: its
//! constant value when it is one (Tidal's `pureValue`, which lets a patterned argument such
//! as the `2` in `fast 2` skip the join) and a whole number of cycles after which it
//! provably repeats (see `period.rs`).

use std::sync::Arc;

use crate::event::Event;
use crate::fault::{self, QueryError, DEFAULT_BUDGET};
use crate::span::Span;
use crate::time::{lcm, Time};

/// What a pattern can carry: cheap to clone and shareable across threads.
pub trait Val: Clone + Send + Sync + 'static {}
impl<T: Clone + Send + Sync + 'static> Val for T {}

type Query<T> = dyn Fn(Span) -> Vec<Event<T>> + Send + Sync;

/// A pattern: events of `T` in exact rational time.
#[derive(Clone)]
pub struct Pattern<T> {
    query: Arc<Query<T>>,
    pure: Option<T>,
    period: Option<i64>,
}

impl<T: Val + std::fmt::Debug> std::fmt::Debug for Pattern<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let evs = self.query(Span::new(Time::ZERO, Time::ONE));
        f.debug_struct("Pattern")
            .field("cycle0", &evs)
            .field("period", &self.period)
            .finish()
    }
}

/// The period of `p` after `fast r`: the numerator of `P / r` (whole cycles), if any.
fn scaled_period(p: Option<i64>, r: Time) -> Option<i64> {
    let p = Time::int(p?).checked_div(r)?;
    let n = p.numer().checked_abs()?;
    (n > 0).then_some(n)
}

/// The least common multiple of every period, `None` if any is unknown.
pub(crate) fn lcm_periods(ps: impl IntoIterator<Item = Option<i64>>) -> Option<i64> {
    let mut acc = 1i64;
    for p in ps {
        acc = lcm(acc, p?)?;
    }
    Some(acc)
}

impl<T: Val> Pattern<T> {
    /// A pattern from a query function, of unknown period.
    pub fn new(q: impl Fn(Span) -> Vec<Event<T>> + Send + Sync + 'static) -> Pattern<T> {
        Pattern {
            query: Arc::new(q),
            pure: None,
            period: None,
        }
    }

    /// The same pattern declared to repeat after `period` whole cycles (`None`: unknown).
    pub fn with_period(mut self, period: Option<i64>) -> Pattern<T> {
        self.period = period.filter(|p| *p > 0);
        self
    }

    /// The events of `span`, or why they cannot be computed exactly.
    pub fn query(&self, span: Span) -> Result<Vec<Event<T>>, QueryError> {
        self.query_with_budget(span, DEFAULT_BUDGET)
    }

    /// As [`Pattern::query`] with at most `budget` intermediate events.
    pub fn query_with_budget(
        &self,
        span: Span,
        budget: usize,
    ) -> Result<Vec<Event<T>>, QueryError> {
        fault::guarded(budget, || self.raw(span))
    }

    /// The events of `span` from inside another query (faults go to the outer record).
    pub(crate) fn raw(&self, span: Span) -> Vec<Event<T>> {
        if fault::faulted() {
            return Vec::new();
        }
        (self.query)(span)
    }

    /// The constant value, when this pattern is `pure v`.
    pub fn pure_value(&self) -> Option<&T> {
        self.pure.as_ref()
    }

    /// A whole number of cycles after which the pattern provably repeats.
    pub fn period(&self) -> Option<i64> {
        self.period
    }

    /// One event per cycle with value `v` (Tidal's `pure`).
    pub fn pure(v: T) -> Pattern<T> {
        let value = v.clone();
        let q = move |span: Span| {
            let mut out = Vec::new();
            for whole in span.whole_cycles() {
                out.push(Event::new(whole, span.sect(whole), value.clone()));
            }
            out
        };
        Pattern {
            query: Arc::new(q),
            pure: Some(v),
            period: Some(1),
        }
    }

    /// No events.
    pub fn silence() -> Pattern<T> {
        Pattern::new(|_| Vec::new()).with_period(Some(1))
    }

    /// A continuous pattern whose value at each query is `f` of the query's begin
    /// (Tidal's `sig`).
    pub fn signal(f: impl Fn(Time) -> T + Send + Sync + 'static) -> Pattern<T> {
        Pattern::new(move |span: Span| {
            if span.begin > span.end || !fault::spend(1) {
                return Vec::new();
            }
            vec![Event {
                whole: None,
                part: span,
                value: f(span.begin),
            }]
        })
    }

    /// Each value mapped by `f`.
    pub fn fmap<U: Val>(&self, f: impl Fn(&T) -> U + Send + Sync + 'static) -> Pattern<U> {
        let p = self.clone();
        let pure = self.pure.as_ref().map(&f);
        let q = move |span: Span| {
            p.raw(span)
                .into_iter()
                .map(|e| Event {
                    whole: e.whole,
                    part: e.part,
                    value: f(&e.value),
                })
                .collect()
        };
        Pattern {
            query: Arc::new(q),
            pure,
            period: self.period,
        }
    }

    /// Only the events whose value passes `f`.
    pub fn filter_values(&self, f: impl Fn(&T) -> bool + Send + Sync + 'static) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |span| p.raw(span).into_iter().filter(|e| f(&e.value)).collect())
            .with_period(self.period)
    }

    /// Only the events that pass `f`.
    pub fn filter_events(
        &self,
        f: impl Fn(&Event<T>) -> bool + Send + Sync + 'static,
    ) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |span| p.raw(span).into_iter().filter(|e| f(e)).collect())
            .with_period(self.period)
    }

    /// Only the events whose whole begins at a time that passes `f` (Tidal's `filterWhen`).
    pub fn filter_when(&self, f: impl Fn(Time) -> bool + Send + Sync + 'static) -> Pattern<T> {
        self.filter_events(move |e| f(e.whole_begin()))
    }

    /// Only the pieces that contain their onset (Tidal's `filterOnsets`).
    pub fn filter_onsets(&self) -> Pattern<T> {
        self.filter_events(|e| e.has_onset())
    }

    /// Each query's span mapped by `f` before it reaches this pattern.
    pub fn with_query_span(&self, f: impl Fn(Span) -> Span + Send + Sync + 'static) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |span| p.raw(f(span)))
    }

    /// Each query's begin and end mapped by `f` (Tidal's `withQueryTime`).
    pub fn with_query_time(&self, f: impl Fn(Time) -> Time + Send + Sync + 'static) -> Pattern<T> {
        self.with_query_span(move |s| s.map(&f))
    }

    /// Each result's whole and part mapped by `f` (Tidal's `withResultArc`).
    pub fn with_result_span(&self, f: impl Fn(Span) -> Span + Send + Sync + 'static) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |span| {
            p.raw(span)
                .into_iter()
                .map(|e| Event {
                    whole: e.whole.map(&f),
                    part: f(e.part),
                    value: e.value,
                })
                .collect()
        })
    }

    /// Each result's times mapped by `f` (Tidal's `withResultTime`).
    pub fn with_result_time(&self, f: impl Fn(Time) -> Time + Send + Sync + 'static) -> Pattern<T> {
        self.with_result_span(move |s| s.map(&f))
    }

    /// Queries split at cycle boundaries, so the inner query never spans two cycles.
    pub fn split_queries(&self) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |span: Span| span.cycles().into_iter().flat_map(|s| p.raw(s)).collect())
            .with_period(self.period)
    }

    /// Shifted earlier by `t` cycles (Tidal's `rotL`, `<~`).
    pub fn rotl(&self, t: Time) -> Pattern<T> {
        if t == Time::ZERO {
            return self.clone();
        }
        self.with_query_time(move |x| x + t)
            .with_result_time(move |x| x - t)
            .with_period(self.period)
    }

    /// Shifted later by `t` cycles (Tidal's `rotR`, `~>`).
    pub fn rotr(&self, t: Time) -> Pattern<T> {
        self.rotl(-t)
    }

    /// Sped up by `rate` (Tidal's `_fast`): 0 is silence, negative rates also reverse.
    pub fn fast(&self, rate: Time) -> Pattern<T> {
        if rate == Time::ZERO {
            return Pattern::silence();
        }
        if rate < Time::ZERO {
            return self.fast(-rate).rev();
        }
        if rate == Time::ONE {
            return self.clone();
        }
        self.with_query_time(move |t| t * rate)
            .with_result_time(move |t| t / rate)
            .with_period(scaled_period(self.period, rate))
    }

    /// Slowed down by `rate` (Tidal's `_slow`): 0 is silence.
    pub fn slow(&self, rate: Time) -> Pattern<T> {
        if rate == Time::ZERO {
            return Pattern::silence();
        }
        match Time::ONE.checked_div(rate) {
            Some(r) => self.fast(r),
            None => Pattern::faulty(QueryError::Overflow),
        }
    }

    /// A pattern whose every query fails with `e` (for arguments that cannot work).
    pub(crate) fn faulty(e: QueryError) -> Pattern<T> {
        Pattern::new(move |_| {
            fault::raise(e);
            Vec::new()
        })
    }

    /// Each cycle reversed (Tidal's `rev`).
    pub fn rev(&self) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |span: Span| {
            let mid = span.begin.sam() + Time::new(1, 2).unwrap_or(Time::ZERO);
            let mirror = |s: Span| Span::new(mid - (s.end - mid), mid + (mid - s.begin));
            p.raw(mirror(span))
                .into_iter()
                .map(|e| {
                    // The whole is kept relative to the part, then both are reflected.
                    let part = mirror(e.part);
                    let whole = e.whole.map(|w| {
                        let (lead, tail) = (e.part.begin - w.begin, w.end - e.part.end);
                        Span::new(part.begin - tail, part.end + lead)
                    });
                    Event {
                        whole,
                        part,
                        value: e.value,
                    }
                })
                .collect()
        })
        .split_queries()
        .with_period(self.period)
    }

    /// Squeezed into `span` of each cycle, silent elsewhere (Tidal's `compressArc`:
    /// `rotR s $ _fastGap (1/(e-s))`, fused here into one query).
    pub fn compress(&self, span: Span) -> Pattern<T> {
        let (s, e) = (span.begin, span.end);
        if s > e || s > Time::ONE || e > Time::ONE || s < Time::ZERO || e < Time::ZERO || s == e {
            return Pattern::silence();
        }
        let r = (Time::ONE / (e - s)).max(Time::ONE);
        let p = self.clone();
        Pattern::new(move |q: Span| {
            let mut out = Vec::new();
            for piece in q.map(|t| t - s).cycles() {
                fast_gap_piece(&p, r, piece, |x| x + s, &mut out);
            }
            out
        })
        .with_period(self.period)
    }

    /// Sped up by `r` but only within each cycle, leaving a gap (Tidal's `_fastGap`).
    pub fn fast_gap(&self, r: Time) -> Pattern<T> {
        if r <= Time::ZERO {
            return Pattern::silence();
        }
        let r = r.max(Time::ONE);
        let p = self.clone();
        Pattern::new(move |q: Span| {
            let mut out = Vec::new();
            for piece in q.cycles() {
                fast_gap_piece(&p, r, piece, |x| x, &mut out);
            }
            out
        })
        .with_period(self.period)
    }

    /// The stretch `span` of each cycle zoomed out to fill the cycle (Tidal's `zoomArc`).
    pub fn zoom(&self, span: Span) -> Pattern<T> {
        let (s, e) = (span.begin, span.end);
        if s >= e {
            return Pattern::silence();
        }
        let d = e - s;
        let p = self.clone();
        Pattern::new(move |q: Span| {
            let inner = q.with_cycle(|t| t * d + s);
            p.raw(inner)
                .into_iter()
                .map(|ev| {
                    let f = |x: Span| x.with_cycle(|t| (t - s) / d);
                    Event {
                        whole: ev.whole.map(f),
                        part: f(ev.part),
                        value: ev.value,
                    }
                })
                .collect()
        })
        .split_queries()
        // Cycle c reads the pattern at c + s: it repeats when the pattern does.
        .with_period(self.period)
    }

    /// Keeps only events whose whole begins in `span` of each cycle, else `other`'s (a
    /// helper of Tidal's `within`).
    pub fn within(&self, span: Span, f: impl Fn(&Pattern<T>) -> Pattern<T>) -> Pattern<T> {
        let inside = move |t: Time| {
            let c = t.cycle_pos();
            c >= span.begin && c < span.end
        };
        stack(vec![
            f(self).filter_when(inside),
            self.filter_when(move |t| !inside(t)),
        ])
    }
}

/// One within-cycle query of Tidal's `_fastGap r` (r ≥ 1), results moved by `shift`.
fn fast_gap_piece<T: Val>(
    p: &Pattern<T>,
    r: Time,
    span: Span,
    shift: impl Fn(Time) -> Time,
    out: &mut Vec<Event<T>>,
) {
    let munge = |t: Time| t.sam() + (r * t.cycle_pos()).min(Time::ONE);
    let q = Span::new(munge(span.begin), munge(span.end));
    if q.begin == span.begin.next_sam() {
        return;
    }
    // Each span is mapped back within the cycle of its own begin, as Tidal does.
    let back = |x: Span| {
        let cyc = x.begin.sam();
        Span::new(
            shift(cyc + (x.begin - cyc) / r),
            shift(cyc + (x.end - cyc) / r),
        )
    };
    out.extend(p.raw(q).into_iter().map(|e| Event {
        whole: e.whole.map(back),
        part: back(e.part),
        value: e.value,
    }));
}

/// Events of every pattern at once (Tidal's `stack`).
pub fn stack<T: Val>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    let period = lcm_periods(pats.iter().map(|p| p.period));
    let pats = Arc::new(pats);
    Pattern::new(move |span| pats.iter().flat_map(|p| p.raw(span)).collect()).with_period(period)
}

/// One pattern per cycle, in turn, each continuing where it left off (Tidal's `cat`).
pub fn slowcat<T: Val>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    match pats.len() {
        0 => return Pattern::silence(),
        1 => return pats.into_iter().next().expect("one pattern"),
        _ => {}
    }
    let n = pats.len() as i64;
    let period = lcm_periods(pats.iter().map(|p| p.period)).and_then(|p| p.checked_mul(n));
    let pats = Arc::new(pats);
    Pattern::new(move |span: Span| {
        let mut out = Vec::new();
        for a in span.cycles() {
            let cyc = a.begin.floor();
            let i = cyc.rem_euclid(n);
            // Pattern i plays its own cycle (cyc - i) / n here.
            let offset = Time::int(cyc - (cyc - i).div_euclid(n));
            let q = Span::new(a.begin - offset, a.end - offset);
            out.extend(pats[i as usize].raw(q).into_iter().map(|e| Event {
                whole: e.whole.map(|w| w.map(|t| t + offset)),
                part: e.part.map(|t| t + offset),
                value: e.value,
            }));
        }
        out
    })
    .with_period(period)
}

/// All patterns squeezed into one cycle, one after another (Tidal's `fastcat`).
pub fn fastcat<T: Val>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    if pats.len() == 1 {
        return pats.into_iter().next().expect("one pattern");
    }
    let n = Time::int(pats.len() as i64);
    slowcat(pats).fast(n)
}

/// Patterns sharing a cycle in proportion to their weights (Tidal's `timeCat`).
pub fn timecat<T: Val>(parts: Vec<(Time, Pattern<T>)>) -> Pattern<T> {
    if parts.len() == 1 {
        return parts.into_iter().next().expect("one part").1;
    }
    let total = parts.iter().fold(Time::ZERO, |a, (w, _)| a + *w);
    let mut begin = Time::ZERO;
    let mut slots = Vec::new();
    for (w, p) in parts {
        if w <= Time::ZERO {
            continue;
        }
        let end = begin + w;
        let slot = Span::new(begin / total, end / total);
        slots.push((slot, p.compress(slot)));
        begin = end;
    }
    let period = lcm_periods(slots.iter().map(|(_, p)| p.period));
    let slots = Arc::new(slots);
    // As `stack` of the compressed parts, but a part is only asked when its slot meets
    // the query (its events lie inside its slot): a long sequence costs per event.
    Pattern::new(move |span: Span| {
        let mut out = Vec::new();
        for piece in span.cycles() {
            let (x, y) = (
                piece.begin.cycle_pos(),
                piece.begin.cycle_pos() + piece.len(),
            );
            for (slot, p) in slots.iter() {
                let meets = if x == y {
                    x >= slot.begin && x < slot.end
                } else {
                    x < slot.end && y > slot.begin
                };
                if meets {
                    out.extend(p.raw(piece));
                }
            }
        }
        out
    })
    .with_period(period)
}

/// Values of two patterns combined with structure from both (Tidal's `<*>`).
pub fn app_both<A: Val, B: Val, C: Val>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    let (pa, pb2) = (pa.clone(), pb.clone());
    let period = lcm_periods([pa.period, pb.period]);
    let pure = match (&pa.pure, &pb.pure) {
        (Some(a), Some(b)) => Some(f(a, b)),
        _ => None,
    };
    let q = move |span: Span| {
        let mut out = Vec::new();
        let combine = |ea: &Event<A>, eb: &Event<B>, out: &mut Vec<Event<C>>| {
            let whole = match (ea.whole, eb.whole) {
                (Some(a), Some(b)) => match a.sub_span(b) {
                    Some(w) => Some(w),
                    None => return,
                },
                _ => None,
            };
            if let Some(part) = ea.part.sub_span(eb.part) {
                out.push(Event {
                    whole,
                    part,
                    value: f(&ea.value, &eb.value),
                });
            }
        };
        for ea in pa.raw(span) {
            match ea.whole {
                // Analog left events meet every right event in their part.
                None => {
                    for eb in pb2.raw(ea.part) {
                        combine(&ea, &eb, &mut out);
                    }
                }
                Some(w) => {
                    for eb in pb2.raw(w).into_iter().filter(|e| e.whole.is_some()) {
                        combine(&ea, &eb, &mut out);
                    }
                }
            }
        }
        // Analog right events meet the digital left events in their part.
        for eb in pb2.raw(span).into_iter().filter(|e| e.whole.is_none()) {
            for ea in pa.raw(eb.part).into_iter().filter(|e| e.whole.is_some()) {
                combine(&ea, &eb, &mut out);
            }
        }
        out
    };
    Pattern {
        query: Arc::new(q),
        pure,
        period,
    }
}

/// Values combined with the structure (wholes) of the left pattern (Tidal's `<*`).
pub fn app_left<A: Val, B: Val, C: Val>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    let (pa2, pb2) = (pa.clone(), pb.clone());
    let period = lcm_periods([pa.period, pb.period]);
    Pattern::new(move |span: Span| {
        let mut out = Vec::new();
        for ea in pa2.raw(span) {
            for eb in pb2.raw(ea.whole_or_part()) {
                if let Some(part) = ea.part.sub_span(eb.part) {
                    out.push(Event {
                        whole: ea.whole,
                        part,
                        value: f(&ea.value, &eb.value),
                    });
                }
            }
        }
        out
    })
    .with_period(period)
}

/// Values combined with the structure (wholes) of the right pattern (Tidal's `*>`).
pub fn app_right<A: Val, B: Val, C: Val>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    app_left(pb, pa, move |b, a| f(a, b))
}

/// Values combined with the right pattern squeezed into each left event (Tidal's `<<*`).
pub fn app_squeeze<A: Val, B: Val, C: Val>(
    pa: &Pattern<A>,
    pb: &Pattern<B>,
    f: impl Fn(&A, &B) -> C + Send + Sync + 'static,
) -> Pattern<C> {
    let f = Arc::new(f);
    let pb = pb.clone();
    squeeze_join(&pa.fmap(move |a| {
        let (a, f) = (a.clone(), f.clone());
        pb.fmap(move |b| f(&a, b))
    }))
}

/// The period of a join: the outer's, combined with that of every inner pattern the outer
/// carries during one of its periods.
fn join_period<T: Val>(pp: &Pattern<Pattern<T>>) -> Option<i64> {
    let outer = pp.period?;
    // More outer cycles than events we would look at: give up rather than query them.
    if outer > 4096 {
        return None;
    }
    let evs = fault::checked(|| pp.raw(Span::new(Time::ZERO, Time::int(outer)))).ok()?;
    if evs.len() > 4096 {
        return None;
    }
    lcm_periods(std::iter::once(Some(outer)).chain(evs.iter().map(|e| e.value.period)))
}

/// Flattens a pattern of patterns, wholes from both (Tidal's `unwrap`, monadic bind).
pub fn unwrap<T: Val>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    let period = join_period(pp);
    let pp = pp.clone();
    Pattern::new(move |span: Span| {
        let mut out = Vec::new();
        for outer in pp.raw(span) {
            for inner in outer.value.raw(outer.part) {
                let whole = match (outer.whole, inner.whole) {
                    (Some(a), Some(b)) => match a.sub_span(b) {
                        Some(w) => Some(w),
                        None => continue,
                    },
                    _ => None,
                };
                if let Some(part) = outer.part.sub_span(inner.part) {
                    out.push(Event {
                        whole,
                        part,
                        value: inner.value,
                    });
                }
            }
        }
        out
    })
    .with_period(period)
}

/// Flattens a pattern of patterns, wholes from the inner patterns (Tidal's `innerJoin`).
pub fn inner_join<T: Val>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    let period = join_period(pp);
    let pp = pp.clone();
    Pattern::new(move |span: Span| {
        let mut out = Vec::new();
        for outer in pp.raw(span) {
            for inner in outer.value.raw(outer.part) {
                let Some(p) = span.sub_span(inner.part) else {
                    continue;
                };
                let Some(p) = p.sub_span(span) else { continue };
                out.push(Event {
                    whole: inner.whole,
                    part: p,
                    value: inner.value,
                });
            }
        }
        out
    })
    .with_period(period)
}

/// Flattens a pattern of patterns, wholes from the outer one; each inner pattern is read
/// at the outer event's start (Tidal's `outerJoin`).
pub fn outer_join<T: Val>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    let period = join_period(pp);
    let pp = pp.clone();
    Pattern::new(move |span: Span| {
        let mut out = Vec::new();
        for outer in pp.raw(span) {
            let t = outer.whole_begin();
            for inner in outer.value.raw(Span::new(t, t)) {
                if let Some(part) = span.sub_span(outer.part) {
                    out.push(Event {
                        whole: outer.whole,
                        part,
                        value: inner.value,
                    });
                }
            }
        }
        out
    })
    .with_period(period)
}

/// Flattens a pattern of patterns, each inner cycle squeezed into its outer event
/// (Tidal's `squeezeJoin`).
pub fn squeeze_join<T: Val>(pp: &Pattern<Pattern<T>>) -> Pattern<T> {
    let period = join_period(pp);
    let pp = pp.clone();
    Pattern::new(move |span: Span| {
        let mut out = Vec::new();
        for outer in pp.raw(span) {
            let focus = outer.whole_or_part();
            let inner = focus_span(&outer.value, focus);
            for ie in inner.raw(outer.part) {
                let whole = match (outer.whole, ie.whole) {
                    (Some(a), Some(b)) => match a.sub_span(b) {
                        Some(w) => Some(w),
                        None => continue,
                    },
                    _ => None,
                };
                if let Some(part) = outer.part.sub_span(ie.part) {
                    out.push(Event {
                        whole,
                        part,
                        value: ie.value,
                    });
                }
            }
        }
        out
    })
    .with_period(period)
}

/// The cycle of `p` at `span`'s cycle fitted into `span`, repeating outside it (Tidal's
/// `focusArc`).
pub fn focus_span<T: Val>(p: &Pattern<T>, span: Span) -> Pattern<T> {
    let (s, e) = (span.begin, span.end);
    if s >= e {
        return Pattern::silence();
    }
    p.rotl(s.sam()).fast(Time::ONE / (e - s)).rotr(s)
}

/// `f` applied with the argument pattern's value: directly when it is constant, otherwise
/// through an inner join (Tidal's `tParam`/`patternify`).
pub fn tparam<A: Val, T: Val>(
    arg: &Pattern<A>,
    f: impl Fn(&A) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    match arg.pure_value() {
        Some(a) => f(a),
        None => inner_join(&arg.fmap(f)),
    }
}

/// As [`tparam`] for two arguments, combined with structure from both.
pub fn tparam2<A: Val, B: Val, T: Val>(
    a: &Pattern<A>,
    b: &Pattern<B>,
    f: impl Fn(&A, &B) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    match (a.pure_value(), b.pure_value()) {
        (Some(x), Some(y)) => f(x, y),
        _ => inner_join(&app_both(a, b, f)),
    }
}

/// As [`tparam`] for three arguments, combined with structure from all.
pub fn tparam3<A: Val, B: Val, C: Val, T: Val>(
    a: &Pattern<A>,
    b: &Pattern<B>,
    c: &Pattern<C>,
    f: impl Fn(&A, &B, &C) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    match (a.pure_value(), b.pure_value(), c.pure_value()) {
        (Some(x), Some(y), Some(z)) => f(x, y, z),
        _ => {
            let ab = app_both(a, b, |x: &A, y: &B| (x.clone(), y.clone()));
            inner_join(&app_both(&ab, c, move |(x, y), z| f(x, y, z)))
        }
    }
}

/// Applies `f` to the cycles whose number passes `test` (Tidal's `when`).
pub fn when_cycle<T: Val>(
    test: impl Fn(i64) -> bool + Send + Sync + 'static,
    f: impl Fn(&Pattern<T>) -> Pattern<T>,
    p: &Pattern<T>,
    test_period: Option<i64>,
) -> Pattern<T> {
    let fp = f(p);
    let period = lcm_periods([test_period, p.period, fp.period]);
    let p2 = p.clone();
    Pattern::new(move |span: Span| {
        if test(span.begin.floor()) {
            fp.raw(span)
        } else {
            p2.raw(span)
        }
    })
    .split_queries()
    .with_period(period)
}

/// Applies `f` where the query's begin passes `test` (Tidal's `whenT`).
pub fn when_time<T: Val>(
    test: impl Fn(Time) -> bool + Send + Sync + 'static,
    f: impl Fn(&Pattern<T>) -> Pattern<T>,
    p: &Pattern<T>,
    test_period: Option<i64>,
) -> Pattern<T> {
    let fp = f(p);
    let period = lcm_periods([test_period, p.period, fp.period]);
    let p2 = p.clone();
    Pattern::new(move |span: Span| {
        if test(span.begin) {
            fp.raw(span)
        } else {
            p2.raw(span)
        }
    })
    .split_queries()
    .with_period(period)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        s.parse().unwrap()
    }
    fn sp(a: &str, b: &str) -> Span {
        Span::new(t(a), t(b))
    }
    fn show<T: std::fmt::Display + Val>(p: &Pattern<T>, a: &str, b: &str) -> Vec<String> {
        p.query(sp(a, b))
            .unwrap()
            .into_iter()
            .map(|e| {
                let w = e.whole.map(|w| w.to_string()).unwrap_or("~".into());
                format!("{w} | {} | {}", e.part, e.value)
            })
            .collect()
    }

    #[test]
    fn pure_gives_one_event_per_cycle_cut_by_the_query() {
        let p = Pattern::pure(1);
        assert_eq!(
            show(&p, "1/2", "3/2"),
            vec!["0 1 | 1/2 1 | 1", "1 2 | 1 3/2 | 1"]
        );
        assert_eq!(show(&p, "1/2", "1/2"), vec!["0 1 | 1/2 1/2 | 1"]);
    }

    #[test]
    fn fastcat_and_slowcat_share_and_alternate_cycles() {
        let p = fastcat(vec![Pattern::pure(1), Pattern::pure(2)]);
        assert_eq!(
            show(&p, "0", "1"),
            vec!["0 1/2 | 0 1/2 | 1", "1/2 1 | 1/2 1 | 2"]
        );
        let c = slowcat(vec![
            Pattern::pure(1),
            fastcat(vec![Pattern::pure(2), Pattern::pure(3)]),
        ]);
        assert_eq!(
            show(&c, "1", "2"),
            vec!["1 3/2 | 1 3/2 | 2", "3/2 2 | 3/2 2 | 3"]
        );
        assert_eq!(c.period(), Some(2));
    }

    #[test]
    fn rev_reflects_each_cycle() {
        let p = fastcat(vec![Pattern::pure(1), Pattern::pure(2), Pattern::pure(3)]).rev();
        let mut got = show(&p, "0", "1");
        got.sort();
        assert_eq!(
            got,
            vec![
                "0 1/3 | 0 1/3 | 3",
                "1/3 2/3 | 1/3 2/3 | 2",
                "2/3 1 | 2/3 1 | 1"
            ]
        );
    }

    #[test]
    fn slow_keeps_wholes_across_cycles() {
        let p = fastcat(vec![Pattern::pure(1), Pattern::pure(2)]).slow(t("3"));
        assert_eq!(
            show(&p, "1", "2"),
            vec!["0 3/2 | 1 3/2 | 1", "3/2 3 | 3/2 2 | 2"]
        );
        assert_eq!(p.period(), Some(3));
    }

    #[test]
    fn app_left_keeps_left_structure() {
        let a = fastcat(vec![Pattern::pure(1), Pattern::pure(2)]);
        let b = fastcat(vec![
            Pattern::pure(10),
            Pattern::pure(20),
            Pattern::pure(30),
        ]);
        let p = app_left(&a, &b, |x, y| x + y);
        assert_eq!(
            show(&p, "0", "1"),
            vec![
                "0 1/2 | 0 1/3 | 11",
                "0 1/2 | 1/3 1/2 | 21",
                "1/2 1 | 1/2 2/3 | 22",
                "1/2 1 | 2/3 1 | 32"
            ]
        );
        let p = app_both(&a, &b, |x, y| x + y);
        assert_eq!(show(&p, "0", "1").len(), 4);
        assert_eq!(show(&p, "0", "1")[1], "1/3 1/2 | 1/3 1/2 | 21");
    }

    #[test]
    fn overflowing_queries_are_errors() {
        let p = Pattern::pure(1).fast(Time::int(i64::MAX / 2));
        assert!(p.query(sp("1", "2")).is_err());
        let p = Pattern::pure(1).fast(Time::int(1 << 40));
        assert!(matches!(
            p.query(sp("0", "1")),
            Err(QueryError::TooManyEvents { .. })
        ));
    }
}
