//! From a Link session's beat timeline to kanonc's cycle clock, the way Tidal does it.
//!
//! Link shares a *beat* timeline (beats at host times, a tempo in BPM) and a *quantum*: the
//! number of beats after which peers' phases line up (a bar). kanonc counts *cycles*.
//! Tidal's clock (`tidal-link/src/hs/Sound/Tidal/Clock.hs`) maps one to the other with
//! `beatsPerCycle = 4` and `quantum = 4`:
//!
//! ```text
//! cycle = beatAtTime(t, quantum) / beatsPerCycle
//! cps   = bpm / beatsPerCycle / 60          (120 BPM = 0.5 cps)
//! bpm   = cps * 60 * beatsPerCycle           (when kanonc sets the tempo)
//! ```
//!
//! With quantum = one cycle, every peer's bar line is a cycle boundary: the fractional
//! part of the cycle agrees across the session even when peers' beat counts differ by
//! whole bars (Link's `beatAtTime(t, quantum)` guarantees the phase, not the count).
//!
//! Tidal ignores Link's start/stop state. Here that is the default too
//! ([`LinkMapping::follow_start_stop`] off): the clock always runs. With it on, the
//! transport follows the session: stopped, the cycle is held at 0; once started, cycles
//! count from the bar line at or before the start time (so a start on a bar line starts
//! at cycle 0, and an unquantised start keeps its phase with the peers); a start announced
//! for a moment still ahead is a count-in, with the cycle negative until then.

use std::fmt;

/// Read access to a Link session state: the real one (`rusty_link::SessionState`, with
/// the `link` feature) or a test double.
///
/// Times are Link host times in microseconds (`AblLink::clock_micros`).
pub trait LinkTimeline {
    /// The session tempo in beats per minute.
    fn tempo(&self) -> f64;
    /// The beat at `host_time_us`, phase-encoded for `quantum` (Link's `beatAtTime`).
    fn beat_at_time(&self, host_time_us: i64, quantum: f64) -> f64;
    /// Whether the session's transport is playing (Link's start/stop state).
    fn is_playing(&self) -> bool;
    /// When the transport started or stopped playing, in host microseconds.
    fn time_for_is_playing(&self) -> i64;
}

/// How Link's beats become cycles: beats per cycle, the quantum, and start/stop.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkMapping {
    beats_per_cycle: f64,
    quantum: f64,
    follow_start_stop: bool,
}

/// Why a [`LinkMapping`] could not be made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BadMapping {
    /// The beats per cycle asked for.
    pub beats_per_cycle: f64,
    /// The quantum asked for.
    pub quantum: f64,
}

impl fmt::Display for BadMapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "bad Link mapping: beats per cycle ({}) and quantum ({}) must be finite and above 0",
            self.beats_per_cycle, self.quantum
        )
    }
}

impl std::error::Error for BadMapping {}

impl Default for LinkMapping {
    /// Tidal's: 4 beats per cycle, quantum 4 (one cycle), start/stop ignored.
    fn default() -> Self {
        LinkMapping {
            beats_per_cycle: 4.0,
            quantum: 4.0,
            follow_start_stop: false,
        }
    }
}

impl LinkMapping {
    /// A mapping with `beats_per_cycle` beats in a cycle and phases aligned every
    /// `quantum` beats; both must be finite and above zero. Start/stop is ignored.
    pub fn new(beats_per_cycle: f64, quantum: f64) -> Result<Self, BadMapping> {
        let ok = |x: f64| x.is_finite() && x > 0.0;
        if !(ok(beats_per_cycle) && ok(quantum)) {
            return Err(BadMapping {
                beats_per_cycle,
                quantum,
            });
        }
        Ok(LinkMapping {
            beats_per_cycle,
            quantum,
            follow_start_stop: false,
        })
    }

    /// The same mapping, following (or ignoring) the session's start/stop state.
    ///
    /// Link's transport starts out stopped, so turn this on only together with Link's
    /// start/stop sync (`LinkSession::enable_start_stop_sync`), or nothing will play until
    /// some peer presses start.
    pub fn follow_start_stop(self, follow: bool) -> Self {
        LinkMapping {
            follow_start_stop: follow,
            ..self
        }
    }

    /// Beats in one cycle.
    pub fn beats_per_cycle(&self) -> f64 {
        self.beats_per_cycle
    }

    /// Beats after which peers' phases align.
    pub fn quantum(&self) -> f64 {
        self.quantum
    }

    /// Whether the transport follows the session's start/stop state.
    pub fn follows_start_stop(&self) -> bool {
        self.follow_start_stop
    }

    /// Cycles per second at `bpm`.
    pub fn cps_for_bpm(&self, bpm: f64) -> f64 {
        bpm / 60.0 / self.beats_per_cycle
    }

    /// The Link tempo (BPM) for `cps` cycles per second.
    pub fn bpm_for_cps(&self, cps: f64) -> f64 {
        cps * 60.0 * self.beats_per_cycle
    }

    /// Reads the cycle clock from `session` at `host_time_us`.
    ///
    /// Allocation-free and lock-free: fit for the audio thread (with a session state
    /// captured by Link's audio-thread capture).
    pub fn clock_at<S: LinkTimeline + ?Sized>(&self, session: &S, host_time_us: i64) -> CycleClock {
        let cps = self.cps_for_bpm(session.tempo());
        let beat = session.beat_at_time(host_time_us, self.quantum);
        let (origin, transport) = if !self.follow_start_stop {
            (0.0, Transport::Running)
        } else if !session.is_playing() {
            return CycleClock {
                host_time_us,
                cycle: 0.0,
                cps,
                transport: Transport::Stopped,
            };
        } else {
            let start = session.time_for_is_playing();
            let start_beat = session.beat_at_time(start, self.quantum);
            // The bar line at or before the start, so cycle boundaries stay on the
            // session's bar lines.
            let origin = (start_beat / self.quantum).floor() * self.quantum;
            let transport = if host_time_us < start {
                Transport::CountIn
            } else {
                Transport::Running
            };
            (origin, transport)
        };
        CycleClock {
            host_time_us,
            cycle: (beat - origin) / self.beats_per_cycle,
            cps,
            transport,
        }
    }
}

/// Whether the cycle clock is moving.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// Playing: the cycle advances at `cps`.
    Running,
    /// A start is announced for a later time; the cycle is negative and advancing toward it.
    CountIn,
    /// Stopped: the cycle is held.
    Stopped,
}

/// kanonc's clock at one host time, read from a Link session.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CycleClock {
    /// The host time (µs) this reading is for.
    pub host_time_us: i64,
    /// The cycle position at that time.
    pub cycle: f64,
    /// Cycles per second (the session tempo, whether or not the transport runs).
    pub cps: f64,
    /// Whether the clock is moving.
    pub transport: Transport,
}

impl CycleClock {
    /// Whether events should sound (the transport is running).
    pub fn playing(&self) -> bool {
        self.transport == Transport::Running
    }

    /// The cycle at another host time, extrapolated at the current tempo: exact until the
    /// next tempo change, so read a fresh clock each audio block rather than extrapolating
    /// far. A stopped clock stays where it is.
    pub fn cycle_at(&self, host_time_us: i64) -> f64 {
        match self.transport {
            Transport::Stopped => self.cycle,
            Transport::Running | Transport::CountIn => {
                let seconds = (host_time_us - self.host_time_us) as f64 * 1e-6;
                self.cycle + seconds * self.cps
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidal_defaults() {
        let m = LinkMapping::default();
        assert_eq!((m.beats_per_cycle(), m.quantum()), (4.0, 4.0));
        assert!(!m.follows_start_stop());
        assert_eq!(m.cps_for_bpm(120.0), 0.5);
        assert_eq!(m.bpm_for_cps(0.5), 120.0);
        // Tidal's default cps 0.575 is 138 BPM.
        assert!((m.bpm_for_cps(0.575) - 138.0).abs() < 1e-12);
    }

    #[test]
    fn mappings_must_be_positive_and_finite() {
        assert!(LinkMapping::new(3.0, 6.0).is_ok());
        for (bpc, q) in [
            (0.0, 4.0),
            (4.0, 0.0),
            (-4.0, 4.0),
            (f64::NAN, 4.0),
            (4.0, f64::INFINITY),
        ] {
            let err = LinkMapping::new(bpc, q).unwrap_err();
            assert!(err.to_string().contains("above 0"), "{err}");
        }
        let m = LinkMapping::new(3.0, 6.0).unwrap().follow_start_stop(true);
        assert!(m.follows_start_stop());
        assert_eq!(m.cps_for_bpm(90.0), 0.5);
    }

    #[test]
    fn a_stopped_clock_stays_put_and_a_running_one_moves_at_cps() {
        let running = CycleClock {
            host_time_us: 1_000_000,
            cycle: 2.0,
            cps: 0.5,
            transport: Transport::Running,
        };
        assert!(running.playing());
        assert_eq!(running.cycle_at(3_000_000), 3.0);
        assert_eq!(running.cycle_at(0), 1.5);
        let stopped = CycleClock {
            transport: Transport::Stopped,
            ..running
        };
        assert!(!stopped.playing());
        assert_eq!(stopped.cycle_at(3_000_000), 2.0);
        let count_in = CycleClock {
            cycle: -0.25,
            transport: Transport::CountIn,
            ..running
        };
        assert!(!count_in.playing());
        assert_eq!(count_in.cycle_at(1_500_000), 0.0);
    }
}
