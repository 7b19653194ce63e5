//! The swap log (`--log-swaps`): one line per committed program once the audio side has
//! run it (or a newer one), with the save-to-swap latency and the swap's moment in wall
//! time, which `scripts/live_e2e.py` matches against what it heard.

use kanon_runtime::engine::Stats;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A commit whose swap has not been reported yet.
pub struct InFlight {
    /// Its generation.
    pub generation: u64,
    /// When the save was first seen.
    pub seen: Instant,
    /// How long it took to compile.
    pub compile_ms: f64,
    /// The first line of the file, to tell edits apart in the log.
    pub tag: String,
}

/// The engine clock in wall time, to log swap moments for external latency checks.
pub struct WallClock {
    wall0: SystemTime,
}

impl WallClock {
    /// The wall time of the engine's epoch.
    pub fn of(stats: &Stats) -> WallClock {
        WallClock {
            wall0: SystemTime::now() - stats.epoch.elapsed(),
        }
    }

    /// The line for `f`, given the running generation and when it started.
    pub fn line(&self, f: &InFlight, stats: &Stats, generation: u64, at: Instant) -> String {
        let swapped = f.generation == generation;
        let lat = at.saturating_duration_since(f.seen).as_secs_f64() * 1e3;
        let wall = self.wall0 + at.saturating_duration_since(stats.epoch);
        format!(
            "swap gen {} {} at_unix_ns {} seen_to_swap_ms {:.3} compile_ms {:.3} tag {}",
            f.generation,
            if swapped { "ran" } else { "superseded" },
            unix_ns(wall),
            lat,
            f.compile_ms,
            f.tag
        )
    }
}

fn unix_ns(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
        .as_nanos()
}
