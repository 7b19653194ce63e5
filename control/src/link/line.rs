//! A Link timeline that is one straight line, for tests of what follows Link.

use super::LinkTimeline;

/// Beats on one straight line: `beats(t) = b0 + (t − t0)·bpm/60` (t in host µs), with
/// Link's start/stop state. What a Link session is between two tempo changes; the tests
/// of the follower and of a live session drive it as peers would.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TempoLine {
    /// Beats per minute.
    pub bpm: f64,
    /// A host time (µs) on the line …
    pub t0: i64,
    /// … and the beat at that time.
    pub b0: f64,
    /// Whether the session is playing.
    pub playing: bool,
    /// Host time (µs) of the last start or stop.
    pub start: i64,
}

impl TempoLine {
    /// A playing session at `bpm`, beat 0 at host time 0.
    pub fn new(bpm: f64) -> TempoLine {
        TempoLine {
            bpm,
            t0: 0,
            b0: 0.0,
            playing: true,
            start: 0,
        }
    }

    /// The line a peer makes by setting `bpm` at host time `t`: the beat at `t` is kept,
    /// as Link does.
    pub fn with_tempo_at(self, bpm: f64, t: i64) -> TempoLine {
        TempoLine {
            bpm,
            t0: t,
            b0: self.beat_at_time(t, 4.0),
            ..self
        }
    }
}

impl LinkTimeline for TempoLine {
    fn tempo(&self) -> f64 {
        self.bpm
    }
    fn beat_at_time(&self, t: i64, _quantum: f64) -> f64 {
        self.b0 + (t - self.t0) as f64 * 1e-6 * self.bpm / 60.0
    }
    fn is_playing(&self) -> bool {
        self.playing
    }
    fn time_for_is_playing(&self) -> i64 {
        self.start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tempo_change_keeps_the_beat() {
        let a = TempoLine::new(120.0);
        assert_eq!(a.beat_at_time(1_000_000, 4.0), 2.0);
        let b = a.with_tempo_at(90.0, 1_000_000);
        assert_eq!(b.beat_at_time(1_000_000, 4.0), 2.0);
        assert_eq!(b.beat_at_time(3_000_000, 4.0), 5.0);
    }
}
