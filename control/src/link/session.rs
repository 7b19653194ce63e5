//! The real Ableton Link session, through `rusty_link` (feature `link`).
//!
//! [`LinkSession`] lives on the control thread: it owns the Link instance, turns
//! networking on and off, and sets the tempo. [`LinkAudio`] moves into the audio callback
//! and reads the clock there with Link's realtime-safe capture, as Link asks: an audio
//! thread should read the session state it renders against, not receive it late through a
//! queue.
//!
//! Creating a session does not touch the network: Link only starts discovering peers
//! (UDP multicast on the local network) after [`LinkSession::enable`]`(true)`.

use std::sync::Arc;

use rusty_link::{AblLink, SessionState};

use super::mapping::{CycleClock, LinkMapping, LinkTimeline};

impl LinkTimeline for SessionState {
    fn tempo(&self) -> f64 {
        SessionState::tempo(self)
    }

    fn beat_at_time(&self, host_time_us: i64, quantum: f64) -> f64 {
        SessionState::beat_at_time(self, host_time_us, quantum)
    }

    fn is_playing(&self) -> bool {
        SessionState::is_playing(self)
    }

    fn time_for_is_playing(&self) -> i64 {
        SessionState::time_for_is_playing(self)
    }
}

/// The control side of a Link session.
pub struct LinkSession {
    link: Arc<AblLink>,
    mapping: LinkMapping,
    state: SessionState,
}

impl LinkSession {
    /// A Link instance at `cps` cycles per second, mapped by `mapping`, with networking
    /// off (no peers are looked for until [`enable`](Self::enable)). Not realtime-safe.
    pub fn new(cps: f64, mapping: LinkMapping) -> Self {
        LinkSession {
            link: Arc::new(AblLink::new(mapping.bpm_for_cps(cps))),
            mapping,
            state: SessionState::new(),
        }
    }

    /// Joins (true) or leaves (false) the Link session on the local network.
    pub fn enable(&self, on: bool) {
        self.link.enable(on);
    }

    /// Whether networking is on.
    pub fn is_enabled(&self) -> bool {
        self.link.is_enabled()
    }

    /// Shares start/stop with peers that also enable it (see [`LinkMapping::follow_start_stop`]).
    pub fn enable_start_stop_sync(&self, on: bool) {
        self.link.enable_start_stop_sync(on);
    }

    /// How many other peers are in the session.
    pub fn num_peers(&self) -> u64 {
        self.link.num_peers()
    }

    /// Link's host clock now, in microseconds.
    pub fn now_micros(&self) -> i64 {
        self.link.clock_micros()
    }

    /// The mapping in use.
    pub fn mapping(&self) -> LinkMapping {
        self.mapping
    }

    /// The app-side session state, captured now (for [`crate::link::Follower::tick`]).
    pub fn capture(&mut self) -> &dyn LinkTimeline {
        self.link.capture_app_session_state(&mut self.state);
        &self.state
    }

    /// The session tempo in BPM now.
    pub fn bpm(&mut self) -> f64 {
        self.capture().tempo()
    }

    /// The cycle clock now, read from the app-side session state (for the status line).
    pub fn clock_now(&mut self) -> CycleClock {
        self.link.capture_app_session_state(&mut self.state);
        self.mapping.clock_at(&self.state, self.link.clock_micros())
    }

    /// Sets the session tempo to `cps` from now on (what a `/tempo` message or a program's
    /// `tempo:` line does when Link is on). Non-finite or non-positive values are ignored.
    pub fn set_cps(&mut self, cps: f64) {
        if !(cps.is_finite() && cps > 0.0) {
            return;
        }
        self.link.capture_app_session_state(&mut self.state);
        let now = self.link.clock_micros();
        self.state.set_tempo(self.mapping.bpm_for_cps(cps), now);
        self.link.commit_app_session_state(&self.state);
    }

    /// The audio side of this session, to move into the audio callback. Not realtime-safe
    /// itself (it allocates a session state): call it before starting the stream.
    pub fn audio(&self) -> LinkAudio {
        LinkAudio {
            link: Arc::clone(&self.link),
            mapping: self.mapping,
            state: SessionState::new(),
        }
    }
}

/// The audio-thread side of a Link session: reads the cycle clock once per block.
///
/// Dropping it frees a Link session state (and, if the [`LinkSession`] is already gone,
/// the whole Link instance): hand it back to a control thread to drop, as with a retired
/// program, never drop it in the audio callback.
pub struct LinkAudio {
    link: Arc<AblLink>,
    mapping: LinkMapping,
    state: SessionState,
}

impl LinkAudio {
    /// Link's host clock now, in microseconds. Realtime-safe.
    pub fn now_micros(&self) -> i64 {
        self.link.clock_micros()
    }

    /// The cycle clock at `host_time_us`: pass the time the block's first frame reaches the
    /// speaker (now plus the output latency), as Link expects. Realtime-safe and
    /// allocation-free (Link's audio capture is).
    pub fn clock_at(&mut self, host_time_us: i64) -> CycleClock {
        self.link.capture_audio_session_state(&mut self.state);
        self.mapping.clock_at(&self.state, host_time_us)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::Transport;

    /// Creates a real Link instance without enabling it: no socket is opened.
    #[test]
    fn a_session_made_here_keeps_its_tempo_and_stays_off_the_network() {
        let mut session = LinkSession::new(0.5, LinkMapping::default());
        assert!(!session.is_enabled());
        assert_eq!(session.num_peers(), 0);
        let clock = session.clock_now();
        assert!((clock.cps - 0.5).abs() < 1e-9, "{clock:?}");
        assert_eq!(clock.transport, Transport::Running);

        session.set_cps(0.75);
        assert!((session.clock_now().cps - 0.75).abs() < 1e-9);
        session.set_cps(f64::NAN);
        session.set_cps(0.0);
        assert!((session.clock_now().cps - 0.75).abs() < 1e-9);

        // The audio side sees the same session, and its cycles advance with host time.
        let mut audio = session.audio();
        let now = audio.now_micros();
        let a = audio.clock_at(now);
        let b = audio.clock_at(now + 2_000_000);
        assert!((a.cps - 0.75).abs() < 1e-9);
        // Link keeps beats in integer micro-beats and times in microseconds: a few
        // millionths of a cycle of rounding.
        assert!((b.cycle - a.cycle - 1.5).abs() < 1e-5, "{a:?} {b:?}");
        assert!(!session.is_enabled());
    }
}
