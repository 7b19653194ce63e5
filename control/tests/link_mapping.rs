//! The Link-to-cycle mapping against a model of Link's session state.
//!
//! `MockSession` follows Link's own definitions (`include/ableton/link/Timeline.hpp`,
//! `Phase.hpp` and `SessionState::setTempo` / `forceBeatAtTime` in `Link.ipp`): a client
//! timeline is `(tempo, beat_origin, time_origin)`, where `time_origin` is the host time of
//! the session's beat 0 (the origin of every peer's quantum grid) and `beat_origin` is this
//! peer's beat count there. `beat_at_time(t, q)` is the beat nearest the timeline's beat
//! whose phase in `q` equals the session's: that is what keeps peers' bars aligned even
//! when their beat counts differ.

use kanon_control::link::{CycleClock, LinkMapping, LinkTimeline, Transport};

const SECOND: i64 = 1_000_000;

/// One peer's view of a Link session, as Link's `SessionState` computes it.
#[derive(Clone, Debug)]
struct MockSession {
    bpm: f64,
    beat_origin: f64,
    time_origin: i64,
    playing: bool,
    playing_time: i64,
}

impl MockSession {
    fn new(bpm: f64) -> Self {
        MockSession {
            bpm,
            beat_origin: 0.0,
            time_origin: 0,
            playing: false,
            playing_time: 0,
        }
    }

    /// The timeline's beat at `t`, before phase encoding (Link's `Timeline::toBeats`).
    fn timeline_beat(&self, t: i64) -> f64 {
        self.beat_origin + (t - self.time_origin) as f64 * self.bpm / 60.0 / SECOND as f64
    }

    /// The host time of `beat` on the timeline (Link's `Timeline::fromBeats`).
    fn time_of_beat(&self, beat: f64) -> i64 {
        self.time_origin
            + ((beat - self.beat_origin) * 60.0 / self.bpm * SECOND as f64).round() as i64
    }

    /// Link's `setTempo(bpm, at)`: the beat at `at` is unchanged, the grid origin stays
    /// the session's beat 0 and the beat count there stays the same.
    fn set_tempo(&mut self, bpm: f64, at: i64) {
        let beat_at = self.timeline_beat(at);
        let desired = MockSession {
            bpm,
            beat_origin: beat_at,
            time_origin: at,
            ..self.clone()
        };
        self.bpm = bpm;
        self.time_origin = desired.time_of_beat(self.beat_origin);
    }

    /// Link's `forceBeatAtTime(beat, t, q)`: a phase shift (moving every peer's grid) and a
    /// change of this peer's beat count.
    fn force_beat_at_time(&mut self, beat: f64, t: i64, quantum: f64) {
        let current = self.beat_at_time(t, quantum);
        let in_phase = closest_phase_match(current, beat, quantum);
        let shift = in_phase - current;
        // Shift the timeline so every beat comes `shift` beats later in count.
        let delta = self.time_of_beat(shift) - self.time_of_beat(0.0);
        self.time_origin -= delta;
        self.beat_origin += beat - in_phase;
    }

    /// Link's `setIsPlaying(playing, t)`.
    fn set_is_playing(&mut self, playing: bool, t: i64) {
        self.playing = playing;
        self.playing_time = t;
    }
}

/// Link's `phase`: `beats mod quantum` in `[0, quantum)`, negative beats included.
fn phase(beats: f64, quantum: f64) -> f64 {
    beats.rem_euclid(quantum)
}

/// Link's `nextPhaseMatch`: the least value at or above `x` with `target`'s phase.
fn next_phase_match(x: f64, target: f64, quantum: f64) -> f64 {
    x + (phase(target, quantum) - phase(x, quantum) + quantum).rem_euclid(quantum)
}

/// Link's `closestPhaseMatch`: the value within half a quantum of `x` with `target`'s phase.
fn closest_phase_match(x: f64, target: f64, quantum: f64) -> f64 {
    next_phase_match(x - 0.5 * quantum, target, quantum)
}

impl LinkTimeline for MockSession {
    fn tempo(&self) -> f64 {
        self.bpm
    }

    /// Link's `toPhaseEncodedBeats`.
    fn beat_at_time(&self, host_time_us: i64, quantum: f64) -> f64 {
        let beat = self.timeline_beat(host_time_us);
        closest_phase_match(beat, beat - self.beat_origin, quantum)
    }

    fn is_playing(&self) -> bool {
        self.playing
    }

    fn time_for_is_playing(&self) -> i64 {
        self.playing_time
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn assert_close(a: f64, b: f64) {
    assert!(close(a, b), "{a} != {b}");
}

fn tidal() -> LinkMapping {
    LinkMapping::default()
}

#[test]
fn a_steady_session_runs_at_bpm_over_240_cycles_per_second() {
    let session = MockSession::new(120.0);
    let m = tidal();
    for seconds in 0..20 {
        let clock = m.clock_at(&session, seconds * SECOND);
        assert_eq!(clock.transport, Transport::Running);
        assert_close(clock.cps, 0.5);
        assert_close(clock.cycle, 0.5 * seconds as f64);
    }
    // Extrapolating a reading agrees with a fresh one while the tempo holds.
    let clock = m.clock_at(&session, 3 * SECOND);
    assert_close(
        clock.cycle_at(7 * SECOND + 250_000),
        m.clock_at(&session, 7 * SECOND + 250_000).cycle,
    );
}

#[test]
fn the_cycle_is_tidals_beat_over_beats_per_cycle() {
    // Tidal: timeToCycles = beatAtTime(t, quantum) / beatsPerCycle; cps = bpm / bpc / 60.
    let mut session = MockSession::new(138.0);
    session.beat_origin = 17.25;
    session.time_origin = -3 * SECOND;
    for m in [
        tidal(),
        LinkMapping::new(3.0, 6.0).unwrap(),
        LinkMapping::new(8.0, 4.0).unwrap(),
    ] {
        for t in [0, SECOND / 3, 5 * SECOND, 61 * SECOND + 7] {
            let clock = m.clock_at(&session, t);
            assert_close(
                clock.cycle,
                session.beat_at_time(t, m.quantum()) / m.beats_per_cycle(),
            );
            assert_close(clock.cps, 138.0 / m.beats_per_cycle() / 60.0);
        }
    }
}

#[test]
fn a_tempo_change_bends_the_slope_without_a_jump() {
    let mut session = MockSession::new(120.0);
    let m = tidal();
    let change = 10 * SECOND;
    let before = m.clock_at(&session, change);
    session.set_tempo(180.0, change);
    let after = m.clock_at(&session, change);
    // Continuous at the change (to Link's microsecond rounding)...
    assert!(
        (after.cycle - before.cycle).abs() < 1e-6,
        "{before:?} {after:?}"
    );
    assert_close(after.cps, 0.75);
    // ...and 0.75 cycles per second from then on.
    let later = m.clock_at(&session, change + 4 * SECOND);
    assert!((later.cycle - after.cycle - 3.0).abs() < 1e-6, "{later:?}");
    // A reading taken before the change, extrapolated past it, is wrong: which is why the
    // clock is read every block.
    assert!((before.cycle_at(change + 4 * SECOND) - later.cycle).abs() > 0.5);
}

#[test]
fn peers_counting_different_beats_agree_on_the_phase() {
    let mut a = MockSession::new(120.0);
    // Peer b joined with its own beat count: 1001.3 beats at the session's beat 0.
    let mut b = MockSession {
        beat_origin: 1001.3,
        ..a.clone()
    };
    let m = tidal();
    let check = |a: &MockSession, b: &MockSession, t: i64| {
        let (ca, cb) = (m.clock_at(a, t).cycle, m.clock_at(b, t).cycle);
        let whole = cb - ca;
        assert!((whole - whole.round()).abs() < 1e-6, "t={t}: {ca} vs {cb}");
        assert!(whole.round() != 0.0);
    };
    for t in (0..40).map(|i| i * SECOND / 3) {
        check(&a, &b, t);
    }
    // A tempo change reaches every peer at the same time; bars stay together.
    a.set_tempo(97.0, 5 * SECOND);
    b.set_tempo(97.0, 5 * SECOND);
    for t in (15..60).map(|i| i * SECOND / 3) {
        check(&a, &b, t);
    }
}

#[test]
fn forcing_a_beat_moves_the_phase_for_everyone() {
    let mut session = MockSession::new(120.0);
    let m = tidal();
    // Make beat 0 (a cycle start) land on t = 10.25 s.
    let t = 10 * SECOND + 250_000;
    session.force_beat_at_time(0.0, t, m.quantum());
    let clock = m.clock_at(&session, t);
    assert!(clock.cycle.abs() < 1e-6, "{clock:?}");
    assert!((m.clock_at(&session, t + 2 * SECOND).cycle - 1.0).abs() < 1e-6);
}

#[test]
fn start_stop_is_ignored_unless_followed() {
    let mut session = MockSession::new(120.0);
    session.set_is_playing(false, 0);
    let clock = tidal().clock_at(&session, 4 * SECOND);
    assert_eq!(clock.transport, Transport::Running);
    assert_close(clock.cycle, 2.0);
}

#[test]
fn following_start_stop_holds_counts_in_starts_on_the_bar_and_stops() {
    let m = tidal().follow_start_stop(true);
    let mut session = MockSession::new(120.0);
    session.beat_origin = 37.0; // this peer's count is arbitrary: only phase is shared

    // Stopped: held at cycle 0 whatever the time.
    let stopped = m.clock_at(&session, 3 * SECOND);
    assert_eq!(stopped.transport, Transport::Stopped);
    assert_eq!((stopped.cycle, stopped.cycle_at(9 * SECOND)), (0.0, 0.0));
    assert!(!stopped.playing());
    assert_close(stopped.cps, 0.5);

    // A peer announces a start on the bar line at t = 8 s (beat 16 of the session grid).
    session.set_is_playing(true, 8 * SECOND);
    let count_in = m.clock_at(&session, 7 * SECOND);
    assert_eq!(count_in.transport, Transport::CountIn);
    assert_close(count_in.cycle, -0.5);
    assert_close(count_in.cycle_at(8 * SECOND), 0.0);

    let start = m.clock_at(&session, 8 * SECOND);
    assert_eq!(start.transport, Transport::Running);
    assert_close(start.cycle, 0.0);
    let running = m.clock_at(&session, 11 * SECOND);
    assert!(running.playing());
    assert_close(running.cycle, 1.5);

    // Stop: held again.
    session.set_is_playing(false, 12 * SECOND);
    let after = m.clock_at(&session, 13 * SECOND);
    assert_eq!(after.transport, Transport::Stopped);
    assert_eq!(after.cycle, 0.0);
}

#[test]
fn an_unquantised_start_keeps_the_phase_of_the_session() {
    let m = tidal().follow_start_stop(true);
    let mut session = MockSession::new(120.0);
    // Started half a bar late (t = 9 s is beat 18: 2 beats into the bar at beat 16).
    session.set_is_playing(true, 9 * SECOND);
    let clock = m.clock_at(&session, 9 * SECOND);
    assert_close(clock.cycle, 0.5);
    let free_running = tidal().clock_at(&session, 9 * SECOND).cycle;
    assert_close(clock.cycle.fract(), free_running.fract());
}

#[test]
fn a_quantum_of_two_cycles_aligns_starts_to_two_cycle_phrases() {
    let m = LinkMapping::new(4.0, 8.0).unwrap().follow_start_stop(true);
    let mut session = MockSession::new(120.0);
    // t = 6 s is beat 12: inside the 8-beat phrase that began at beat 8.
    session.set_is_playing(true, 6 * SECOND);
    let clock: CycleClock = m.clock_at(&session, 6 * SECOND);
    assert_close(clock.cycle, 1.0);
}
