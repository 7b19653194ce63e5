//! The session loop's work, one pass at a time: notice a save, compile it, hand the new
//! program to the engine (keeping the newest edit if the queue is full), and report the
//! swaps the audio side has made. A broken save prints its errors and leaves the last
//! good program playing; the save that fixes it says what the swap carried. An empty
//! save (almost always one caught half-written) keeps the last program too, with a
//! warning. Everything is printed through the [`Console`], above the status line.

use super::status::{cell_owners, nonfinite_source, Console};
use super::swaplog::{InFlight, WallClock};
use super::watch::{FileWatcher, Reload, Reloader};
use kanon_compiler::Program;
use kanon_runtime::engine::EngineHandle;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long a save must be quiet before it is read (editors write in bursts).
const SETTLE: Duration = Duration::from_millis(3);

/// How many programs' cell owners are kept to name where a non-finite value came from.
const OWNERS_KEPT: usize = 16;

/// A compiled edit on its way to the engine.
struct Pending {
    program: Program,
    info: InFlight,
    /// The save before it failed: say what the swap carried.
    fixes: bool,
    owners: Vec<String>,
}

/// The live session: file → compile → engine.
pub struct Session {
    pub reloader: Reloader,
    pub watcher: FileWatcher,
    pub handle: EngineHandle<Program>,
    /// Where messages go (above the status line).
    pub console: Console,
    /// An edit still waiting for room in the engine's queue (a newer one replaces it).
    pending: Option<Pending>,
    in_flight: VecDeque<InFlight>,
    /// The owner of each cell ([`cell_owners`]) of the last programs, by generation.
    owners: VecDeque<(u64, Vec<String>)>,
    /// The last save did not compile.
    broken: bool,
    /// The first non-finite value has been reported.
    nonfinite_told: bool,
    /// Compile time of the last good save, in ms.
    pub last_compile_ms: f64,
    /// Saves that compiled.
    pub edits: u64,
    /// Saves that did not.
    pub failed: u64,
    /// Empty saves (ignored).
    pub empty: u64,
    /// A status line is being redrawn on the terminal (errors start on a new line).
    pub tty: bool,
    /// The tempo (cycles per second) of the program committed last.
    pub tempo: f64,
}

impl Session {
    /// A session over a running engine (whose first program should be passed to
    /// [`Session::remember`] to name the source of non-finite values).
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
            console: Console::stderr(tty),
            pending: None,
            in_flight: VecDeque::new(),
            owners: VecDeque::new(),
            broken: false,
            nonfinite_told: false,
            last_compile_ms: 0.0,
            edits: 0,
            failed: 0,
            empty: 0,
            tty,
            tempo: 0.0,
        }
    }

    /// Keeps the cell owners of the program of `generation` (see [`cell_owners`]).
    pub fn remember(&mut self, generation: u64, owners: Vec<String>) {
        if self.owners.len() == OWNERS_KEPT {
            self.owners.pop_front();
        }
        self.owners.push_back((generation, owners));
    }

    /// Where the first non-finite value came from (a bus or an output channel), once
    /// there was one.
    pub fn nonfinite_source(&self) -> Option<String> {
        let (generation, at) = self.handle.stats().first_nonfinite()?;
        let owners = self
            .owners
            .iter()
            .find(|(g, _)| *g == generation)
            .map(|(_, o)| o.as_slice());
        Some(nonfinite_source(at, owners))
    }

    /// Prints, once, where the first non-finite value came from.
    fn tell_nonfinite(&mut self) {
        if self.nonfinite_told {
            return;
        }
        if let Some(src) = self.nonfinite_source() {
            self.nonfinite_told = true;
            self.console.message(&format!(
                "warning: {src} produced a non-finite value (NaN or infinity): the block was silenced and the bad state reset"
            ));
        }
    }

    /// Waits up to `wait` for a save and compiles it; then hands the newest good program
    /// to the engine and frees what the audio side retired.
    pub fn poll(&mut self, wait: Duration) {
        if let Some(seen) = self.watcher.wait_change(wait, SETTLE) {
            self.reload(seen);
        }
        if let Some(p) = self.pending.take() {
            let Pending {
                program,
                mut info,
                fixes,
                owners,
            } = p;
            let tempo = program.ir.tempo;
            match self.handle.commit(program) {
                Ok(c) => {
                    self.tempo = tempo;
                    info.generation = c.generation;
                    if fixes {
                        self.console.message(&format!(
                            "swapped: {} keys carried, {} new, {} dropped, compiled in {:.1} ms",
                            c.carried,
                            c.fresh.len(),
                            c.dropped.len(),
                            info.compile_ms
                        ));
                    }
                    self.remember(c.generation, owners);
                    self.in_flight.push_back(info);
                }
                Err(program) => {
                    self.pending = Some(Pending {
                        program,
                        info,
                        fixes,
                        owners,
                    })
                }
            }
        }
        self.handle.collect();
        self.tell_nonfinite();
    }

    /// Prints diagnostics against their source, above the status line.
    fn report(&mut self, src: &kanon_lang::Source, diags: &[kanon_lang::Diagnostic]) {
        for d in diags {
            self.console.message(&d.render(src));
        }
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
            Reload::Compiled(src, _) if src.text.trim().is_empty() => {
                self.empty += 1;
                self.console.message(&format!(
                    "warning: {} is empty (a save caught half-way?): still playing the last program",
                    src.name
                ));
            }
            Reload::Compiled(src, p) => {
                self.report(&src, &p.warnings);
                self.last_compile_ms = t.elapsed().as_secs_f64() * 1e3;
                self.edits += 1;
                let tag = src.text.lines().next().unwrap_or("").trim().to_string();
                let info = InFlight {
                    generation: 0,
                    seen,
                    compile_ms: self.last_compile_ms,
                    tag,
                };
                // A newer edit replaces one still waiting for queue room (and takes
                // over its duty to say that the error is fixed).
                let fixes = self.broken || self.pending.as_ref().is_some_and(|p| p.fixes);
                self.broken = false;
                self.pending = Some(Pending {
                    owners: cell_owners(&p),
                    program: *p,
                    info,
                    fixes,
                });
            }
            Reload::Failed(src, d) => {
                self.failed += 1;
                self.broken = true;
                self.report(&src, &d);
                self.console
                    .message("(still playing the last good program)");
            }
            Reload::Unreadable(e) => self.console.message(&format!("{e} (still playing)")),
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
                self.console
                    .message(&clock.line(&f, &stats, generation, at));
            }
        }
    }
}
