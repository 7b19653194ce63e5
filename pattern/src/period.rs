//! Precomputation: the events of one period of a pattern as a sorted table, for kanonc to
//! build at compile time and play by looking up.
//!
//! Each pattern carries a whole number of cycles after which it provably repeats
//! ([`Pattern::period`]), composed structurally: `pure` repeats every cycle, `slowcat` of n
//! patterns after n times the lcm of theirs, `fast r` after the numerator of P/r, joins
//! after the lcm of the outer period and every inner pattern met in one outer period, and
//! Tidal's random numbers after 300 cycles (they depend on frac(t/300) only; the seed
//! offsets of `?` and `|` shift them but do not change that).
//!
//! One instant breaks the repetition: Tidal's `timeToRand` is 0.5 at exactly time 0 but
//! not at 300, 600, … So [`table`] checks three periods: the steady table is the one that
//! repeats, and when the first period differs (a `?` read at time 0) it is given apart in
//! [`EventTable::first_period`].

use std::fmt;

use crate::core::{Pattern, Val};
use crate::fault::QueryError;
use crate::span::Span;
use crate::text::onsets;
use crate::time::Time;

/// One event of a table: onset, end of its whole, value.
#[derive(Clone, Debug, PartialEq)]
pub struct TableEvent<T> {
    /// Where it starts, in [0, period).
    pub begin: Time,
    /// Where its whole ends (may pass the period's end).
    pub end: Time,
    /// What it carries.
    pub value: T,
}

/// All events with onsets in one period, sorted by begin then end.
#[derive(Clone, Debug, PartialEq)]
pub struct EventTable<T> {
    /// The period in whole cycles.
    pub period: i64,
    /// The events of every period, sorted by begin then end (query order otherwise),
    /// times within [0, period) plus each event's length.
    pub events: Vec<TableEvent<T>>,
    /// The events of the first period (cycles 0 to period), when they differ from
    /// `events`: Tidal's random numbers are special at time 0 only.
    pub first_period: Option<Vec<TableEvent<T>>>,
}

/// Why a pattern has no table.
#[derive(Clone, Debug, PartialEq)]
pub enum TableError {
    /// No period is known (an aperiodic or unanalysable pattern).
    Aperiodic,
    /// One period holds more events than allowed.
    TooLarge {
        /// The allowed number of events.
        limit: usize,
        /// The period that was tried, in cycles.
        period: i64,
    },
    /// The pattern does not repeat from its second period on (its one irregular instant
    /// lies after the first period, e.g. a random pattern shifted 300 cycles later).
    Irregular {
        /// The period that was checked, in cycles.
        period: i64,
    },
    /// The query itself failed.
    Query(QueryError),
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::Aperiodic => write!(
                f,
                "the pattern has no known period, so it cannot be precomputed"
            ),
            TableError::TooLarge { limit, period } => {
                write!(
                    f,
                    "one period ({period} cycles) holds more than {limit} events"
                )
            }
            TableError::Irregular { period } => {
                write!(
                    f,
                    "the pattern does not repeat every {period} cycles after its first period"
                )
            }
            TableError::Query(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for TableError {}

/// The events with onsets in one period of `p`, at most `max_events` per period.
pub fn table<T: Val + PartialEq>(
    p: &Pattern<T>,
    max_events: usize,
) -> Result<EventTable<T>, TableError> {
    let period = p.period().ok_or(TableError::Aperiodic)?;
    let window = |k: i64| -> Result<Vec<TableEvent<T>>, TableError> {
        let from = Time::int(period)
            .checked_mul(Time::int(k))
            .ok_or(TableError::Query(QueryError::Overflow))?;
        let to = from
            .checked_add(Time::int(period))
            .ok_or(TableError::Query(QueryError::Overflow))?;
        // The query's budget bounds the work, so a huge period fails fast instead of
        // hanging; intermediate events can outnumber the result, hence the factor.
        let budget = max_events.saturating_mul(64).max(1 << 16);
        let evs = p
            .query_with_budget(Span::new(from, to), budget)
            .map_err(|e| match e {
                QueryError::TooManyEvents { .. } => TableError::TooLarge {
                    limit: max_events,
                    period,
                },
                e => TableError::Query(e),
            })?;
        let mut rows: Vec<TableEvent<T>> = evs
            .into_iter()
            .filter(|e| e.has_onset())
            .filter_map(|e| {
                e.whole.map(|w| TableEvent {
                    begin: w.begin - from,
                    end: w.end - from,
                    value: e.value,
                })
            })
            .collect();
        if rows.len() > max_events {
            return Err(TableError::TooLarge {
                limit: max_events,
                period,
            });
        }
        rows.sort_by_key(|a| (a.begin, a.end));
        Ok(rows)
    };
    let (w0, w1, w2) = (window(0)?, window(1)?, window(2)?);
    if w1 != w2 {
        return Err(TableError::Irregular { period });
    }
    let first_period = (w0 != w1).then_some(w0);
    Ok(EventTable {
        period,
        events: w1,
        first_period,
    })
}

/// True when `p`'s onsets repeat with its period from its second period on ([P, 2P)
/// against [2P, 3P)); a check for tests and for callers that distrust a period.
pub fn repeats<T: Val + PartialEq>(p: &Pattern<T>) -> Result<bool, QueryError> {
    let Some(period) = p.period() else {
        return Ok(false);
    };
    let pt = Time::int(period);
    let shifted = |k: i64| -> Result<Vec<(Time, Time, T)>, QueryError> {
        let from = pt * Time::int(k);
        let mut v: Vec<(Time, Time, T)> = onsets(p, from, from + pt)?
            .into_iter()
            .map(|(b, e, x)| (b - from, e - from, x))
            .collect();
        v.sort_by_key(|a| (a.0, a.1));
        Ok(v)
    };
    Ok(shifted(1)? == shifted(2)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mini;

    fn period_of(s: &str) -> Option<i64> {
        mini::pattern(s).unwrap().period()
    }

    #[test]
    fn periods_compose_structurally() {
        assert_eq!(period_of("bd sn"), Some(1));
        assert_eq!(period_of("<bd sn hh>"), Some(3));
        assert_eq!(period_of("bd/3"), Some(3));
        assert_eq!(period_of("bd*1.5"), Some(2));
        assert_eq!(period_of("bd/1.5 sn"), Some(3));
        assert_eq!(period_of("<bd sn>/2"), Some(4));
        assert_eq!(period_of("bd*<2 3>"), Some(2));
        assert_eq!(period_of("{bd sn hh}%2"), Some(3));
        assert_eq!(period_of("bd(<3 5>,8,<0 2 4>)"), Some(6));
        assert_eq!(period_of("bd?"), Some(300));
        assert_eq!(period_of("[bd | sn] <a b>"), Some(300));
        assert_eq!(period_of("<a b c>?"), Some(300));
    }

    #[test]
    fn a_table_holds_one_period_sorted() {
        let t = table(&mini::pattern("<bd sn> hh*2").unwrap(), 100).unwrap();
        assert_eq!(t.period, 2);
        let rows: Vec<String> = t
            .events
            .iter()
            .map(|e| format!("{} {} {}", e.begin, e.end, e.value))
            .collect();
        assert_eq!(
            rows,
            [
                "0 1/2 bd",
                "1/2 3/4 hh",
                "3/4 1 hh",
                "1 3/2 sn",
                "3/2 7/4 hh",
                "7/4 2 hh"
            ]
        );
        assert_eq!(t.first_period, None);
    }

    #[test]
    fn tidals_special_random_value_at_time_zero_gives_a_first_period() {
        // rand is 0.5 at time 0 (kept by `?`), 0 at 300, 600, … (removed).
        let t = table(&mini::pattern("bd*4?").unwrap(), 10_000).unwrap();
        assert_eq!(t.period, 300);
        let first = t.first_period.expect("the first period differs at time 0");
        assert_eq!(first[0].begin, Time::ZERO);
        assert_ne!(t.events[0].begin, Time::ZERO);
        assert_eq!(first.len(), t.events.len() + 1);
        // A pattern whose irregular instant comes later cannot be tabled exactly.
        let late = crate::ops::timing::late(
            &crate::Pattern::pure(crate::Value::Num(300.0)),
            &mini::pattern("bd?").unwrap(),
        );
        assert_eq!(
            table(&late, 10_000),
            Err(TableError::Irregular { period: 300 })
        );
    }

    #[test]
    fn a_64_step_table_has_its_64_events_in_order() {
        let src = (0..64)
            .map(|i| format!("s{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let t = table(&mini::pattern(&src).unwrap(), 64).unwrap();
        assert_eq!((t.period, t.events.len()), (1, 64));
        for (i, e) in t.events.iter().enumerate() {
            assert_eq!(
                (e.begin, e.end),
                (
                    Time::new(i as i64, 64).unwrap(),
                    Time::new(i as i64 + 1, 64).unwrap()
                )
            );
            assert_eq!(e.value.to_string(), format!("s{i}"));
        }
    }

    #[test]
    fn a_table_too_large_is_an_error_not_a_hang() {
        let p = mini::pattern("bd*64").unwrap();
        assert!(matches!(
            table(&p, 10),
            Err(TableError::TooLarge {
                limit: 10,
                period: 1
            })
        ));
        let p = mini::pattern("bd*100000000").unwrap();
        assert!(matches!(table(&p, 1000), Err(TableError::TooLarge { .. })));
    }

    #[test]
    fn unknown_periods_are_reported() {
        let p = Pattern::new(|_| Vec::<crate::Event<i32>>::new());
        assert_eq!(table(&p, 10), Err(TableError::Aperiodic));
    }

    #[test]
    fn random_patterns_repeat_after_300_cycles() {
        for s in ["bd*4?", "[bd | sn | hh]", "bd? sn?0.7", "bd*2 [sn | cp]?"] {
            assert_eq!(repeats(&mini::pattern(s).unwrap()), Ok(true), "{s}");
        }
    }
}
