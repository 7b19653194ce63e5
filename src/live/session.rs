//! The session loop's work, one pass at a time: notice a save, compile it, hand the new
//! program to the engine (keeping the newest edit if the queue is full), and report the
//! swaps the audio side has made. A broken save prints its errors and leaves the last
//! good program playing.

use super::swaplog::{InFlight, WallClock};
use super::watch::{FileWatcher, Reload, Reloader};
use kanon_compiler::Program;
use kanon_runtime::engine::EngineHandle;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long a save must be quiet before it is read (editors write in bursts).
const SETTLE: Duration = Duration::from_millis(3);

/// The live session: file → compile → engine.
pub struct Session {
    pub reloader: Reloader,
    pub watcher: FileWatcher,
    pub handle: EngineHandle<Program>,
    /// An edit still waiting for room in the engine's queue (a newer one replaces it).
    pending: Option<(Program, InFlight)>,
    in_flight: VecDeque<InFlight>,
    /// Compile time of the last good save, in ms.
    pub last_compile_ms: f64,
    /// Saves that compiled.
    pub edits: u64,
    /// Saves that did not.
    pub failed: u64,
    /// A status line is being redrawn on the terminal (errors start on a new line).
    pub tty: bool,
}

impl Session {
    /// A session over a running engine.
    pub fn new(
        reloader: Reloader,
        watcher: FileWatcher,
        handle: EngineHandle<Program>,
        tty: bool,
    ) -> Session {
        Session {
            reloader,
            watcher,
            handle,
            pending: None,
            in_flight: VecDeque::new(),
            last_compile_ms: 0.0,
            edits: 0,
            failed: 0,
            tty,
        }
    }

    /// Waits up to `wait` for a save and compiles it; then hands the newest good program
    /// to the engine and frees what the audio side retired.
    pub fn poll(&mut self, wait: Duration) {
        if let Some(seen) = self.watcher.wait_change(wait, SETTLE) {
            self.reload(seen);
        }
        if let Some((p, mut info)) = self.pending.take() {
            match self.handle.commit(p) {
                Ok(c) => {
                    info.generation = c.generation;
                    self.in_flight.push_back(info);
                }
                Err(p) => self.pending = Some((p, info)),
            }
        }
        self.handle.collect();
    }

    /// Plays at `cps` cycles per second from the next swap on (OSC `/tempo`): the file
    /// is compiled again with that tempo and handed on like a save.
    pub fn set_tempo(&mut self, cps: f64) {
        self.reloader.set_tempo(Some(cps));
        self.reload(Instant::now());
    }

    fn reload(&mut self, seen: Instant) {
        let t = Instant::now();
        match self.reloader.reload() {
            Reload::Compiled(src, p) => {
                crate::commands::report(&src, &p.warnings);
                self.last_compile_ms = t.elapsed().as_secs_f64() * 1e3;
                self.edits += 1;
                let tag = src.text.lines().next().unwrap_or("").trim().to_string();
                let info = InFlight {
                    generation: 0,
                    seen,
                    compile_ms: self.last_compile_ms,
                    tag,
                };
                // A newer edit replaces one still waiting for queue room.
                self.pending = Some((*p, info));
            }
            Reload::Failed(src, d) => {
                self.failed += 1;
                if self.tty {
                    eprintln!();
                }
                crate::commands::report(&src, &d);
                eprintln!("(still playing the last good program)");
            }
            Reload::Unreadable(e) => eprintln!("\n{e} (still playing)"),
            Reload::Unchanged => {}
        }
    }

    /// Reports (through `log`, when given) every commit the audio side has run or
    /// superseded since the last call.
    pub fn drain_swaps(&mut self, log: Option<&WallClock>) {
        let stats = self.handle.stats().clone();
        let (generation, at) = stats.current();
        while self
            .in_flight
            .front()
            .is_some_and(|f| f.generation <= generation)
        {
            let f = self.in_flight.pop_front().expect("front");
            if let Some(clock) = log {
                eprintln!("{}", clock.line(&f, &stats, generation, at));
            }
        }
    }
}
