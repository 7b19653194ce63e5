//! `kanonc run --link`: the session follows an Ableton Link session's tempo and phase
//! (4 beats a cycle, quantum one cycle, as Tidal) and, with `--link-start-stop`, its
//! transport; `/tempo` and a changed `tempo:` line set the Link session's tempo.
//!
//! The session loop calls [`LinkSync::tick`] every pass: it reads the Link clock for the
//! engine's next frame (`kanon_control::link::FrameClock`) and, when the engine's cycle
//! line has drifted or the tempo changed (`kanon_control::link::Follower`), sends the
//! engine a clock anchor (`EngineHandle::anchor_clock`), which the audio side applies at
//! its next block without allocating. Link itself is [`LinkPort`]: the real session with
//! the `link` cargo feature, a model in tests (no network).

use kanon_compiler::{ClockAnchor, Program};
use kanon_control::link::{Follower, FrameClock, LinkMapping, LinkTimeline, Step};
use kanon_runtime::engine::EngineHandle;
use std::sync::atomic::Ordering::Relaxed;

/// What the session needs of a Link session.
pub trait LinkPort {
    /// Link's host clock now, in microseconds.
    fn now_micros(&self) -> i64;
    /// The session state now.
    fn timeline(&mut self) -> &dyn LinkTimeline;
    /// Sets the session tempo to `cps` cycles per second (through the mapping).
    fn set_cps(&mut self, cps: f64);
    /// Other peers in the session.
    fn peers(&self) -> u64;
}

#[cfg(feature = "link")]
impl LinkPort for kanon_control::link::LinkSession {
    fn now_micros(&self) -> i64 {
        kanon_control::link::LinkSession::now_micros(self)
    }
    fn timeline(&mut self) -> &dyn LinkTimeline {
        self.capture()
    }
    fn set_cps(&mut self, cps: f64) {
        kanon_control::link::LinkSession::set_cps(self, cps)
    }
    fn peers(&self) -> u64 {
        self.num_peers()
    }
}

/// The real Link session, joined (networking on): `kanonc run --link` only.
#[cfg(feature = "link")]
pub fn join(cps: f64, start_stop: bool) -> Box<dyn LinkPort> {
    let mapping = LinkMapping::default().follow_start_stop(start_stop);
    let session = kanon_control::link::LinkSession::new(cps, mapping);
    session.enable_start_stop_sync(start_stop);
    session.enable(true);
    Box::new(session)
}

/// A Link session followed by the engine.
pub struct LinkSync {
    port: Box<dyn LinkPort>,
    mapping: LinkMapping,
    follower: Follower,
    clock: FrameClock,
    /// The tempo of the program committed last, to notice a changed `tempo:` line.
    program_cps: Option<f64>,
    /// Anchors sent to the engine.
    pub anchors: u64,
}

impl LinkSync {
    /// Follows `port` with `mapping` for an engine at `sample_rate` whose frames reach the
    /// speaker `latency_us` after they are rendered.
    pub fn new(
        port: Box<dyn LinkPort>,
        mapping: LinkMapping,
        sample_rate: f64,
        latency_us: f64,
    ) -> LinkSync {
        LinkSync {
            port,
            mapping,
            follower: Follower::new(
                mapping,
                sample_rate,
                kanon_control::link::DEFAULT_TOLERANCE_S,
            ),
            clock: FrameClock::new(sample_rate, latency_us),
            program_cps: None,
            anchors: 0,
        }
    }

    /// Reads Link and re-anchors the engine's clock if it has drifted or the tempo
    /// changed. Session loop only.
    pub fn tick(&mut self, handle: &mut EngineHandle<Program>) {
        let frames = handle.stats().frames.load(Relaxed);
        self.clock.reading(frames, self.port.now_micros());
        let step = self
            .follower
            .tick(self.port.timeline(), &self.clock, frames);
        let Step::Anchor(a) = step else { return };
        match ClockAnchor::new(a.frame, a.cycle, a.cps) {
            Ok(anchor) if handle.anchor_clock(anchor).is_ok() => self.anchors += 1,
            // The queue is full (or a reading out of range): try again next tick.
            _ => self.follower.forget(),
        }
    }

    /// Whether the transport plays (always, unless start/stop is followed).
    pub fn playing(&self) -> bool {
        self.follower.playing()
    }

    /// Sets the Link session's tempo (`/tempo`); the engine follows on the next tick.
    pub fn set_cps(&mut self, cps: f64) {
        self.port.set_cps(cps);
    }

    /// Tells Link the tempo of the program just committed when it differs from the one
    /// before (an edited `tempo:` line); the first program's tempo started the session.
    pub fn program_tempo(&mut self, cps: f64) {
        if self.program_cps.is_some_and(|p| p != cps) {
            self.port.set_cps(cps);
        }
        self.program_cps = Some(cps);
    }

    /// ` | link 2 peers 120.0 bpm` for the status line (`stopped` when the transport is).
    pub fn status(&mut self) -> String {
        let peers = self.port.peers();
        let bpm = self.port.timeline().tempo();
        format!(
            " | link {peers} peer{} {bpm:.1} bpm{}",
            if peers == 1 { "" } else { "s" },
            if self.playing() { "" } else { " stopped" }
        )
    }

    /// The mapping in use.
    pub fn mapping(&self) -> LinkMapping {
        self.mapping
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kanon_control::link::TempoLine;
    use kanon_runtime::engine::{engine, Config};
    use std::cell::Cell;
    use std::rc::Rc;

    /// Link in the small: a straight tempo line and a host clock the test moves.
    struct Port {
        model: Rc<Cell<TempoLine>>,
        now: Rc<Cell<i64>>,
        snapshot: TempoLine,
    }

    impl LinkPort for Port {
        fn now_micros(&self) -> i64 {
            self.now.get()
        }
        fn timeline(&mut self) -> &dyn LinkTimeline {
            self.snapshot = self.model.get();
            &self.snapshot
        }
        fn set_cps(&mut self, cps: f64) {
            // As Link: the new tempo from now, keeping the beat.
            let bpm = LinkMapping::default().bpm_for_cps(cps);
            self.model
                .set(self.model.get().with_tempo_at(bpm, self.now.get()));
        }
        fn peers(&self) -> u64 {
            2
        }
    }

    /// What both tests play: a session on `line` with the host clock, the program `text`
    /// in an engine at 48 kHz in blocks of 256, and the sync between them.
    type Rig = (
        Rc<Cell<TempoLine>>,
        Rc<Cell<i64>>,
        kanon_runtime::EngineHandle<kanon_compiler::Program>,
        kanon_runtime::AudioProcessor<kanon_compiler::Program>,
        LinkSync,
    );

    fn rig(line: TempoLine, text: &str, mapping: LinkMapping) -> Rig {
        let line = Rc::new(Cell::new(line));
        let now = Rc::new(Cell::new(0));
        let port = Port {
            model: line.clone(),
            now: now.clone(),
            snapshot: line.get(),
        };
        let src = kanon_lang::Source::new("t.kn", text);
        let p = kanon_compiler::compile(&src, kanon_compiler::Options::default()).unwrap();
        let (handle, proc) = engine(p, Config::exact(48_000.0, 1, 256));
        let link = LinkSync::new(Box::new(port), mapping, 48_000.0, 0.0);
        (line, now, handle, proc, link)
    }

    /// The mock session's clock reaches the engine as anchors, and the pattern clock
    /// plays on Link's line: `"0 1 2 3"` steps exactly where Link's beats say, through a
    /// peer's tempo change; `/tempo` and an edited `tempo:` line set Link's tempo.
    #[test]
    fn the_engine_plays_on_the_link_timeline() {
        let sr = 48_000.0;
        // The session is mid-bar when we join: beat 5.5, cycle 1.375.
        let line = TempoLine {
            b0: 5.5,
            ..TempoLine::new(120.0)
        };
        let (model, now, mut h, mut proc, mut link) =
            rig(line, "tempo: 0.3\nout: \"0 1 2 3\"", LinkMapping::default());
        link.program_tempo(0.3);
        assert_eq!(
            model.get().bpm,
            120.0,
            "the first program does not set Link"
        );
        // Host time runs with the frames: frame f is at f/48 ms (a perfect device).
        let mut out = vec![0f32; 256];
        let mut heard = Vec::new();
        for b in 0..400u64 {
            let frame = b * 256;
            now.set((frame as f64 * 1e6 / sr).round() as i64);
            if b == 200 {
                // A peer sets 90 BPM at this moment, keeping its beat.
                model.set(model.get().with_tempo_at(90.0, now.get()));
            }
            link.tick(&mut h);
            proc.process(&mut out);
            heard.extend_from_slice(&out);
        }
        assert_eq!(link.anchors, 2, "once on joining, once on the tempo change");
        // Every frame plays Link's quarter: beat(f) = 5.5 + f/24000 (120 BPM), then from
        // frame 51200 (beat 7.6333…) at 90 BPM.
        let m120 = |f: f64| 5.5 + f / 24_000.0;
        let turn = 51_200.0;
        for (f, &x) in heard.iter().enumerate() {
            let f = f as f64;
            let beat = if f < turn {
                m120(f)
            } else {
                m120(turn) + (f - turn) / 32_000.0
            };
            // A step is a beat (4 steps a cycle, 4 beats a cycle).
            let want = (beat.floor() as i64).rem_euclid(4) as f32;
            // Within a frame of a step, either side is right (Link's beats are f64).
            let edge = (beat - beat.round()).abs() * 24_000.0 < 1.0;
            assert!(x == want || edge, "frame {f}: {x} vs {want} (beat {beat})");
        }
        assert!(
            link.status().contains("link 2 peers 90.0 bpm"),
            "{}",
            link.status()
        );

        // `/tempo 0.75` sets Link to 180 BPM; an edited `tempo:` line sets it too.
        link.set_cps(0.75);
        assert_eq!(model.get().bpm, 180.0);
        link.program_tempo(0.3);
        assert_eq!(model.get().bpm, 180.0, "the same program tempo: no change");
        link.program_tempo(0.5);
        assert_eq!(model.get().bpm, 120.0);
    }

    /// With start/stop followed, a stopped session says so (the session hushes), and a
    /// start anchors the clock on Link's bar line.
    #[test]
    fn a_stopped_session_is_not_playing_until_it_starts() {
        let stopped = TempoLine {
            playing: false,
            ..TempoLine::new(120.0)
        };
        let mapping = LinkMapping::default().follow_start_stop(true);
        let (model, now, mut h, mut proc, mut link) = rig(stopped, "out: \"0 1 2 3\"", mapping);
        link.tick(&mut h);
        assert!(!link.playing());
        assert!(link.status().ends_with("stopped"), "{}", link.status());
        assert_eq!(link.anchors, 0);
        let mut out = vec![0f32; 48_000];
        proc.process(&mut out);
        // Started at 0.9 s (beat 1.8): cycles count from beat 0; at 1 s, beat 2 = cycle 0.5.
        model.set(TempoLine {
            playing: true,
            start: 900_000,
            ..model.get()
        });
        now.set(1_000_000);
        link.tick(&mut h);
        assert!(link.playing());
        assert_eq!(link.anchors, 1);
        proc.process(&mut out[..256]);
        assert_eq!(out[0], 2.0, "cycle 0.5 is the third step");
    }
}
