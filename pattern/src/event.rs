//! Events: a value with the span it occupies.

use crate::span::Span;
use crate::time::Time;

/// One value of a pattern in time, as Tidal's `Event`.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// The event's full extent; `None` for continuous (analog) values such as `sine`.
    pub whole: Option<Span>,
    /// The piece of the whole that lies inside the query.
    pub part: Span,
    /// What it carries.
    pub value: T,
}

impl<T> Event<T> {
    /// A discrete event.
    pub fn new(whole: Span, part: Span, value: T) -> Event<T> {
        Event {
            whole: Some(whole),
            part,
            value,
        }
    }

    /// True when this piece contains the event's start (whole begin = part begin).
    pub fn has_onset(&self) -> bool {
        self.whole.is_some_and(|w| w.begin == self.part.begin)
    }

    /// The whole, or the part for continuous events (Tidal's `wholeOrPart`).
    pub fn whole_or_part(&self) -> Span {
        self.whole.unwrap_or(self.part)
    }

    /// Where the whole (or part) begins.
    pub fn whole_begin(&self) -> Time {
        self.whole_or_part().begin
    }

    /// The same event with another value.
    pub fn with_value<U>(self, value: U) -> Event<U> {
        Event {
            whole: self.whole,
            part: self.part,
            value,
        }
    }
}
