//! Text output for `kanonc pattern 'MINI' --cycles A..B`: one event per line,
//! `BEGIN END VALUE`, exact rationals in lowest terms.

use std::fmt;

use crate::core::Pattern;
use crate::mini::{self, MiniError};
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;
use crate::QueryError;

/// Why `text::events` could not list the events.
#[derive(Clone, Debug, PartialEq)]
pub enum TextError {
    /// The mini-notation is wrong.
    Mini(MiniError),
    /// The query failed (overflow or too many events).
    Query(QueryError),
    /// The cycle range is wrong.
    Cycles(String),
}

impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextError::Mini(e) => e.fmt(f),
            TextError::Query(e) => e.fmt(f),
            TextError::Cycles(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for TextError {}

impl From<MiniError> for TextError {
    fn from(e: MiniError) -> TextError {
        TextError::Mini(e)
    }
}

impl From<QueryError> for TextError {
    fn from(e: QueryError) -> TextError {
        TextError::Query(e)
    }
}

/// Reads a cycle range `A..B` (each an integer, fraction `3/4` or decimal `0.5`; A < B).
pub fn parse_cycles(s: &str) -> Result<(Time, Time), TextError> {
    let Some((a, b)) = s.split_once("..") else {
        return Err(TextError::Cycles(format!(
            "`{s}` is not a cycle range: write `A..B`, e.g. `0..4` or `1/2..3/2`"
        )));
    };
    let a: Time = a
        .parse()
        .map_err(|e: crate::time::TimeParseError| TextError::Cycles(e.0))?;
    let b: Time = b
        .parse()
        .map_err(|e: crate::time::TimeParseError| TextError::Cycles(e.0))?;
    if a >= b {
        return Err(TextError::Cycles(format!(
            "the cycle range `{s}` is empty: its end must come after its start"
        )));
    }
    Ok((a, b))
}

/// The events of `p` whose whole begins in [from, to), one `BEGIN END VALUE` line each,
/// sorted by begin then end (stable otherwise). Continuous values are left out.
pub fn render(p: &Pattern<Value>, from: Time, to: Time) -> Result<String, QueryError> {
    let mut evs: Vec<(Time, Time, Value)> = onsets(p, from, to)?;
    evs.sort_by_key(|a| (a.0, a.1));
    let mut out = String::new();
    for (b, e, v) in evs {
        out.push_str(&format!("{b} {e} {v}\n"));
    }
    Ok(out)
}

/// (begin, end, value) of every event whose whole begins in [from, to), in query order.
pub(crate) fn onsets<T: crate::core::Val>(
    p: &Pattern<T>,
    from: Time,
    to: Time,
) -> Result<Vec<(Time, Time, T)>, QueryError> {
    let evs = p.query(Span::new(from, to))?;
    Ok(evs
        .into_iter()
        .filter(|e| e.has_onset())
        .filter_map(|e| e.whole.map(|w| (w.begin, w.end, e.value)))
        .collect())
}

/// The lines of [`render`] for a mini-notation string.
pub fn events(mini: &str, from: Time, to: Time) -> Result<String, TextError> {
    let p = mini::pattern(mini)?;
    Ok(render(&p, from, to)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_events_in_order() {
        let s = events("bd*2 [sn cp]", Time::ZERO, Time::ONE).unwrap();
        assert_eq!(s, "0 1/4 bd\n1/4 1/2 bd\n1/2 3/4 sn\n3/4 1 cp\n");
    }

    #[test]
    fn reads_cycle_ranges() {
        assert_eq!(parse_cycles("0..4").unwrap(), (Time::ZERO, Time::int(4)));
        assert_eq!(
            parse_cycles("1/2..0.75").unwrap(),
            (Time::new(1, 2).unwrap(), Time::new(3, 4).unwrap())
        );
        assert!(parse_cycles("4..0").is_err());
        assert!(parse_cycles("4").is_err());
        assert!(parse_cycles("a..b").is_err());
    }
}
