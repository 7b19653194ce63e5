//! Spans of time (Tidal's `Arc`): a begin and an end in cycles.

use std::fmt;

use crate::fault;
use crate::time::Time;

/// A stretch of time from `begin` to `end` (begin ≤ end in every query and event).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Where it starts.
    pub begin: Time,
    /// Where it stops (exclusive).
    pub end: Time,
}

impl Span {
    /// The span from `begin` to `end`.
    pub fn new(begin: Time, end: Time) -> Span {
        Span { begin, end }
    }

    /// Its length.
    pub fn len(self) -> Time {
        self.end - self.begin
    }

    /// True when it is a single point.
    pub fn is_empty(self) -> bool {
        self.begin == self.end
    }

    /// Both ends mapped by `f`.
    pub fn map(self, f: impl Fn(Time) -> Time) -> Span {
        Span {
            begin: f(self.begin),
            end: f(self.end),
        }
    }

    /// The overlap of two spans, possibly inverted (Tidal's `sect`).
    pub fn sect(self, o: Span) -> Span {
        Span {
            begin: self.begin.max(o.begin),
            end: self.end.min(o.end),
        }
    }

    /// The overlap of two spans when they meet (Tidal's `subArc`): a zero-width overlap at
    /// the end of a non-empty span does not count.
    pub fn sub_span(self, o: Span) -> Option<Span> {
        let s = self.sect(o);
        if s.begin == s.end {
            if s.begin == self.end && self.begin < self.end {
                return None;
            }
            if s.begin == o.end && o.begin < o.end {
                return None;
            }
        }
        if s.begin <= s.end {
            Some(s)
        } else {
            None
        }
    }

    /// The span split at cycle boundaries (Tidal's `arcCyclesZW`): a point stays whole.
    pub fn cycles(self) -> Vec<Span> {
        if self.begin == self.end {
            return vec![self];
        }
        let mut out = Vec::new();
        let mut b = self.begin;
        while b < self.end {
            if !fault::spend(1) {
                break;
            }
            let next = b.sam() + Time::ONE;
            let e = if next < self.end { next } else { self.end };
            out.push(Span::new(b, e));
            b = e;
        }
        out
    }

    /// The whole cycles this span touches, each as a span (Tidal's `cycleArcsInArc`).
    pub fn whole_cycles(self) -> Vec<Span> {
        if self.begin > self.end {
            return Vec::new();
        }
        let first = self.begin.floor();
        let last = if self.begin == self.end {
            first
        } else {
            self.end.ceil() - 1
        };
        let mut out = Vec::new();
        let mut c = first;
        while c <= last {
            if !fault::spend(1) {
                break;
            }
            out.push(Span::new(Time::int(c), Time::int(c) + Time::ONE));
            c += 1;
        }
        out
    }

    /// The span with both ends moved by the same cycle-relative map (Tidal's `mapCycle`).
    pub fn with_cycle(self, f: impl Fn(Time) -> Time) -> Span {
        let sam = self.begin.sam();
        Span {
            begin: sam + f(self.begin - sam),
            end: sam + f(self.end - sam),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.begin, self.end)
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.begin, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(a: &str, b: &str) -> Span {
        Span::new(a.parse().unwrap(), b.parse().unwrap())
    }

    #[test]
    fn sub_span_drops_touching_ends_like_tidal() {
        assert_eq!(s("0", "1").sub_span(s("1", "2")), None);
        assert_eq!(s("0", "1").sub_span(s("1/2", "2")), Some(s("1/2", "1")));
        assert_eq!(s("1", "1").sub_span(s("0", "1")), None);
        assert_eq!(s("0", "0").sub_span(s("0", "1")), Some(s("0", "0")));
        assert_eq!(s("0", "1").sub_span(s("2", "3")), None);
    }

    #[test]
    fn cycles_split_at_whole_numbers() {
        assert_eq!(
            s("1/2", "5/2").cycles(),
            vec![s("1/2", "1"), s("1", "2"), s("2", "5/2")]
        );
        assert_eq!(s("1/2", "1/2").cycles(), vec![s("1/2", "1/2")]);
        assert_eq!(s("1", "1/2").cycles(), vec![]);
    }

    #[test]
    fn whole_cycles_cover_the_span() {
        assert_eq!(s("1/2", "2").whole_cycles(), vec![s("0", "1"), s("1", "2")]);
        assert_eq!(s("2", "2").whole_cycles(), vec![s("2", "3")]);
        assert_eq!(s("-1/2", "0").whole_cycles(), vec![s("-1", "0")]);
    }
}
