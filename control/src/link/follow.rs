//! Following a Link session from the control thread: when to re-anchor the engine's cycle
//! clock, and where.
//!
//! The engine counts frames; Link counts host microseconds. The session loop ticks every
//! few milliseconds with the number of frames the engine has rendered and Link's host time
//! now. [`FrameClock`] turns those readings into the host time at which any frame reaches
//! the speaker, and [`Follower`] compares the line the engine was last given (cycle at a
//! frame, cycles per second) with the session's clock read through [`LinkMapping`]: it
//! answers with a new [`Anchor`] only when the tempo changed or the engine's line has
//! drifted from Link's by more than a tolerance, so a steady session is anchored once and
//! then left alone (each anchor makes pattern cursors find their place again).

use super::mapping::{LinkMapping, LinkTimeline, Transport};

/// Readings kept by [`FrameClock`]: at a tick every 2–10 ms, a fraction of a second.
const WINDOW: usize = 64;

/// Frames ↔ host time, from readings `(frames rendered, host µs now)`.
///
/// A reading is taken some time after the callback that rendered those frames, never
/// before, so `host − frames/sr` is the true offset plus a non-negative delay: the
/// smallest of the recent readings is the best estimate. Readings of a window too old to
/// matter (more than [`WINDOW`] ticks ago) are forgotten, so a jump (an xrun) is absorbed
/// within a window.
#[derive(Clone, Debug)]
pub struct FrameClock {
    sample_rate: f64,
    latency_us: f64,
    offsets: [f64; WINDOW],
    len: usize,
    next: usize,
}

impl FrameClock {
    /// Frames at `sample_rate` Hz that reach the speaker `latency_us` after the callback
    /// that rendered them (the device's buffer).
    pub fn new(sample_rate: f64, latency_us: f64) -> Self {
        FrameClock {
            sample_rate,
            latency_us: latency_us.max(0.0),
            offsets: [0.0; WINDOW],
            len: 0,
            next: 0,
        }
    }

    /// Notes that `frames` frames had been rendered when Link's host clock read `host_us`.
    pub fn reading(&mut self, frames: u64, host_us: i64) {
        self.offsets[self.next] = host_us as f64 - frames as f64 * 1e6 / self.sample_rate;
        self.next = (self.next + 1) % WINDOW;
        self.len = (self.len + 1).min(WINDOW);
    }

    /// The host time (µs) at which `frame` reaches the speaker; `None` before a reading.
    pub fn host_time(&self, frame: u64) -> Option<i64> {
        let offset = self.offsets[..self.len].iter().copied().reduce(f64::min)?;
        Some((offset + frame as f64 * 1e6 / self.sample_rate + self.latency_us).round() as i64)
    }
}

/// Where the engine's cycle clock should be: `cycle` at engine frame `frame`, moving at
/// `cps` (what `kanon_compiler::ClockAnchor::new` takes).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Anchor {
    /// The engine frame.
    pub frame: u64,
    /// The cycle position at that frame.
    pub cycle: f64,
    /// Cycles per second from there.
    pub cps: f64,
}

impl Anchor {
    /// The position of another frame on this line.
    pub fn cycle_at(&self, frame: u64, sample_rate: f64) -> f64 {
        self.cycle + (frame as f64 - self.frame as f64) * self.cps / sample_rate
    }
}

/// What a [`Follower::tick`] asks of the engine.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Step {
    /// Nothing: the engine's line agrees with Link (or there is no reading yet).
    Keep,
    /// Put the clock on this line.
    Anchor(Anchor),
}

/// Decides when the engine's clock must be re-anchored to follow a Link session.
#[derive(Clone, Debug)]
pub struct Follower {
    mapping: LinkMapping,
    sample_rate: f64,
    tolerance_s: f64,
    last: Option<Anchor>,
    playing: bool,
}

/// Drift allowed before re-anchoring: 1 ms, far under what an ear hears as a flam.
pub const DEFAULT_TOLERANCE_S: f64 = 0.001;

impl Follower {
    /// Follows with `mapping` an engine running at `sample_rate`, re-anchoring when the
    /// clocks drift apart by more than `tolerance_s` seconds.
    pub fn new(mapping: LinkMapping, sample_rate: f64, tolerance_s: f64) -> Self {
        Follower {
            mapping,
            sample_rate,
            tolerance_s: tolerance_s.max(0.0),
            last: None,
            playing: true,
        }
    }

    /// Forgets the line last handed out, so the next tick anchors again (when the
    /// anchor could not be delivered).
    pub fn forget(&mut self) {
        self.last = None;
    }

    /// The line last handed out.
    pub fn last(&self) -> Option<Anchor> {
        self.last
    }

    /// Whether the transport plays (always, unless the mapping follows start/stop).
    pub fn playing(&self) -> bool {
        self.playing
    }

    /// Reads `session` for the frame the engine renders next (`frames` rendered so far),
    /// placed in host time by `clock`, and says whether to re-anchor.
    ///
    /// With start/stop followed, a stopped (or counting-in) transport turns
    /// [`Follower::playing`] false for the session to silence the output (the engine's
    /// clock runs on unheard), and the clock is anchored again, on the session's line
    /// (cycles counted from the bar line at or before the start), once it plays.
    pub fn tick<S: LinkTimeline + ?Sized>(
        &mut self,
        session: &S,
        clock: &FrameClock,
        frames: u64,
    ) -> Step {
        let Some(host) = clock.host_time(frames) else {
            return Step::Keep;
        };
        let now = self.mapping.clock_at(session, host);
        let was_playing = self.playing;
        self.playing = now.transport == Transport::Running;
        if !self.playing {
            // Nothing sounds; the line is set again the moment it plays.
            self.last = None;
            return Step::Keep;
        }
        let want = Anchor {
            frame: frames,
            cycle: now.cycle,
            cps: now.cps,
        };
        let keep = was_playing
            && self.last.is_some_and(|l| {
                let drift = (l.cycle_at(frames, self.sample_rate) - now.cycle).abs() / now.cps;
                l.cps == now.cps && drift <= self.tolerance_s
            });
        if keep {
            return Step::Keep;
        }
        self.last = Some(want);
        Step::Anchor(want)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::TempoLine;

    #[test]
    fn the_frame_clock_takes_the_earliest_reading() {
        let mut c = FrameClock::new(48_000.0, 5_000.0);
        assert_eq!(c.host_time(0), None);
        // Frames 48000 rendered; read 3 ms late, then 0.5 ms late, then 2 ms late.
        c.reading(48_000, 1_000_000 + 3_000);
        c.reading(48_000 + 480, 1_010_000 + 500);
        c.reading(48_000 + 960, 1_020_000 + 2_000);
        // Offset 500 µs; frame 96000 is at 2 s + 0.5 ms, heard 5 ms later.
        assert_eq!(c.host_time(96_000), Some(2_000_000 + 500 + 5_000));
        // Old readings leave the window.
        for k in 0..WINDOW as u64 {
            c.reading(96_000 + k * 48, 2_000_000 + k as i64 * 1_000 + 4_000);
        }
        assert_eq!(c.host_time(96_000), Some(2_000_000 + 4_000 + 5_000));
    }

    #[test]
    fn a_steady_session_is_anchored_once() {
        let m = LinkMapping::default();
        let mut f = Follower::new(m, 48_000.0, DEFAULT_TOLERANCE_S);
        let mut c = FrameClock::new(48_000.0, 0.0);
        let s = TempoLine::new(120.0);
        assert_eq!(f.tick(&s, &c, 0), Step::Keep, "no reading yet");
        c.reading(48_000, 1_000_000);
        // Frame 48000 is at 1 s: beat 2, cycle 0.5 at 120 BPM (0.5 cps).
        let first = Anchor {
            frame: 48_000,
            cycle: 0.5,
            cps: 0.5,
        };
        assert_eq!(f.tick(&s, &c, 48_000), Step::Anchor(first));
        for k in 1..100u64 {
            let frames = 48_000 + k * 256;
            c.reading(
                frames,
                1_000_000 + (k * 256 * 1_000_000 / 48_000) as i64 + 700,
            );
            assert_eq!(f.tick(&s, &c, frames), Step::Keep, "tick {k}");
        }
        assert_eq!(f.last(), Some(first));
    }

    #[test]
    fn a_tempo_change_or_a_phase_jump_re_anchors() {
        let mut f = Follower::new(LinkMapping::default(), 48_000.0, DEFAULT_TOLERANCE_S);
        let mut c = FrameClock::new(48_000.0, 0.0);
        c.reading(0, 0);
        let mut s = TempoLine::new(120.0);
        assert!(matches!(f.tick(&s, &c, 0), Step::Anchor(_)));
        // A peer sets 90 BPM from host time 1 s at beat 2: 0.375 cps from cycle 0.5.
        s = s.with_tempo_at(90.0, 1_000_000);
        assert_eq!((s.t0, s.b0), (1_000_000, 2.0));
        match f.tick(&s, &c, 96_000) {
            Step::Anchor(a) => {
                assert_eq!(a.frame, 96_000);
                assert_eq!(a.cps, 0.375);
                // 2 s: beat 2 + 1 s·1.5 beats/s = 3.5 beats = 0.875 cycles.
                assert!((a.cycle - 0.875).abs() < 1e-12, "{a:?}");
            }
            Step::Keep => panic!("the tempo changed"),
        }
        // A phase jump of half a millisecond is kept; of two, followed.
        s.b0 += 0.5e-3 * 1.5;
        assert_eq!(f.tick(&s, &c, 96_000), Step::Keep);
        s.b0 += 1.5e-3 * 1.5;
        assert!(matches!(f.tick(&s, &c, 96_000), Step::Anchor(_)));
    }

    #[test]
    fn start_stop_holds_and_restarts_on_the_bar_line() {
        let m = LinkMapping::default().follow_start_stop(true);
        let mut f = Follower::new(m, 48_000.0, DEFAULT_TOLERANCE_S);
        let mut c = FrameClock::new(48_000.0, 0.0);
        c.reading(0, 0);
        let mut s = TempoLine::new(120.0);
        s.playing = false;
        assert_eq!(f.tick(&s, &c, 0), Step::Keep);
        assert!(!f.playing());
        // Started at 3 s (beat 6, in the bar from beat 4): cycles count from beat 4.
        s.playing = true;
        s.start = 3_000_000;
        match f.tick(&s, &c, 4 * 48_000) {
            Step::Anchor(a) => {
                assert!(f.playing());
                // 4 s is beat 8: (8 − 4)/4 = cycle 1.
                assert!((a.cycle - 1.0).abs() < 1e-12, "{a:?}");
            }
            Step::Keep => panic!("started"),
        }
    }
}
