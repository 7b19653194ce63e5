//! The outside world in a live session: OSC (`--osc`), MIDI (`--midi`) and the browser
//! scope (`--scope`).
//!
//! OSC and MIDI decode on their own threads (see `kanon_control`) and hand every update
//! to a sink made here: it looks the name up among the running program's parameters
//! (shared with the session loop), answers at once (applied, unknown name, dropped) so
//! the source can count, and passes what it accepted over a bounded channel. The session
//! loop ([`Control::pump`]) is the only owner of the engine handle: it sends each value
//! to the audio side, which applies it at its next block. Nothing here runs on the audio
//! thread; a busy port, a missing MIDI device or a taken scope port is a warning, and
//! the music plays on.

use super::link::LinkSync;
use super::session::Session;
use clap::Args;
use kanon_compiler::ir::CcMap;
use kanon_compiler::Program;
use kanon_control::midi::{cc_number, MidiInput, MidiParams};
use kanon_control::{Delivery, OscCounters, OscListener, Update};
use kanon_runtime::engine::{EngineHandle, Stats, TapInfo, TapSource};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Options of `kanonc run` for control and sight.
#[derive(Args, Clone, Debug, Default)]
pub struct ControlArgs {
    /// Listen for OSC (`/param NAME VALUE`, `/param/NAME VALUE`, `/ctrl`, `/tempo`,
    /// `/hush`) on [ADDR:]PORT; alone, 127.0.0.1:7770 (this machine only).
    #[arg(long, value_name = "[ADDR:]PORT", num_args = 0..=1, default_missing_value = "7770")]
    pub osc: Option<String>,
    /// Take MIDI input (CC N → param "ccN", notes → midinote/midigate/midivel) from the
    /// first port, or the first whose name contains PORT.
    #[arg(long, value_name = "PORT", num_args = 0..=1, default_missing_value = "")]
    pub midi: Option<String>,
    /// Serve a live scope of the outputs in the browser on [ADDR:]PORT; alone,
    /// 127.0.0.1:7771.
    #[arg(long, value_name = "[ADDR:]PORT", num_args = 0..=1, default_missing_value = "7771")]
    pub scope: Option<String>,
    /// Join the Ableton Link session on the local network: follow its tempo and phase
    /// (4 beats a cycle); `/tempo` and `tempo:` set its tempo. Needs a build with
    /// `--features link`.
    #[arg(long)]
    pub link: bool,
    /// With --link: also follow Link's start/stop (silent while the session is stopped).
    #[arg(long, requires = "link")]
    pub link_start_stop: bool,
}

/// What `--link` says in a build without the `link` feature.
pub const NO_LINK: &str = "error: --link needs a kanonc built with Ableton Link: \
`cargo install --path . --features link` (building Link needs cmake, a C++ compiler and \
libclang-dev, e.g. `apt-get install cmake clang libclang-dev`; Link is GPL-2.0-or-later, \
so a kanonc built with it is distributed under the GPL)";

impl ControlArgs {
    /// Whether any outside control is asked for (the session loop then polls faster).
    pub fn any(&self) -> bool {
        self.osc.is_some() || self.midi.is_some() || self.link
    }
    /// Reads the addresses given, so a typo is an error before any device is opened.
    pub fn check(&self) -> Result<(), String> {
        if self.link && !cfg!(feature = "link") {
            return Err(NO_LINK.into());
        }
        if let Some(t) = &self.osc {
            super::addr::OSC
                .parse(t)
                .map_err(|e| format!("error: --osc: {e}"))?;
        }
        if let Some(t) = &self.scope {
            super::addr::SCOPE
                .parse(t)
                .map_err(|e| format!("error: --scope: {e}"))?;
        }
        Ok(())
    }
}

/// What a source's sink passes to the session loop.
enum Command {
    Set {
        slot: usize,
        name: String,
        value: f64,
    },
    Reset {
        slot: usize,
    },
    Tempo(f64),
    Hush,
}

/// Updates waiting for the session loop; beyond this a source counts them as dropped.
const QUEUE: usize = 16_384;

/// How long a parameter change stays on the status line.
const RECENT: Duration = Duration::from_secs(1);

/// The running program's parameter names and slots, and the controllers it maps onto
/// them, shared with the sources' threads.
#[derive(Debug, Default)]
struct Known {
    names: HashMap<String, usize>,
    /// Controller number → the parameter it drives (slot, name) and how.
    ccs: HashMap<u8, (usize, String, CcMap)>,
}

type Names = Arc<Mutex<Known>>;

/// OSC, MIDI and the scope of one `kanonc run`.
pub struct Control {
    names: Names,
    rx: Receiver<Command>,
    /// What the sources' sinks send on (kept, so sinks can be made after start).
    tx: SyncSender<Command>,
    osc: Option<OscListener>,
    osc_counters: Option<Arc<OscCounters>>,
    midi: Option<MidiInput>,
    scope: Option<(kanon_scope::ScopeServer, TapInfo)>,
    /// Generation of the program whose names `names` holds.
    generation: Option<u64>,
    /// Values the engine's queue had no room for, latest per slot, sent next pump.
    retry: Vec<(usize, String, f64)>,
    /// Parameter changes of the last [`RECENT`], oldest first.
    recent: VecDeque<(Instant, String, f64)>,
    /// Hushed by `/hush` (until the next save or `/tempo`).
    hushed: bool,
    /// Whether the engine was last told to hush (by `/hush` or a stopped Link session).
    engine_hushed: bool,
    /// The Link session followed (`--link`).
    link: Option<LinkSync>,
    /// Print one line per parameter change (`--log-swaps`).
    log: bool,
    /// Values handed to the engine.
    pub sent: u64,
}

impl Control {
    /// Starts what `args` asks for, warning (not failing) for what cannot start; fails
    /// only on an address that cannot be read. `channels` is the program's output count
    /// (the scope's width); `log` prints every parameter change (`--log-swaps`).
    pub fn start(
        args: &ControlArgs,
        handle: &mut EngineHandle<Program>,
        channels: usize,
        sample_rate: u32,
        log: bool,
    ) -> Result<Control, String> {
        let names: Names = Arc::default();
        let (tx, rx) = sync_channel(QUEUE);
        let mut c = Control {
            names: names.clone(),
            rx,
            tx,
            osc: None,
            osc_counters: None,
            midi: None,
            scope: None,
            generation: None,
            retry: Vec::new(),
            recent: VecDeque::new(),
            hushed: false,
            engine_hushed: false,
            link: None,
            log,
            sent: 0,
        };
        c.refresh(handle);
        if let Some(text) = &args.osc {
            let addr = super::addr::OSC
                .parse(text)
                .map_err(|e| format!("error: --osc: {e}"))?;
            match OscListener::spawn(addr, sink(names.clone(), c.tx.clone())) {
                Ok(l) => {
                    eprintln!("OSC: listening on {} (/param NAME VALUE, /param/NAME VALUE, /ctrl, /tempo, /hush)", l.local_addr());
                    c.osc_counters = Some(l.counters());
                    c.osc = Some(l);
                }
                Err(e) => eprintln!("warning: {e}"),
            }
        }
        if let Some(port) = &args.midi {
            let wanted = Some(port.as_str()).filter(|p| !p.is_empty());
            match MidiInput::open(
                wanted,
                MidiParams::new(None),
                sink(names.clone(), c.tx.clone()),
            ) {
                Ok(m) => {
                    eprintln!("MIDI: listening on {}", m.port_name());
                    c.midi = Some(m);
                }
                Err(e) => eprintln!("warning: {e}"),
            }
        }
        if let Some(text) = &args.scope {
            c.scope = start_scope(text, handle, channels, sample_rate)?;
        }
        Ok(c)
    }

    /// Sends what the sources passed on to the engine; refreshes the names after a swap.
    /// Session loop only.
    pub fn pump(&mut self, session: &mut Session) {
        if self.generation != Some(session.handle.committed_generation()) {
            self.refresh(&session.handle);
            // A new program (a save) ends a hush, as in Tidal.
            self.hushed = false;
        }
        if let Some(cps) = self.drain(&mut session.handle) {
            if let Some(link) = &mut self.link {
                link.set_cps(cps);
            }
            // Compiled again too: a bare `sine` turns at the program's tempo.
            session.set_tempo(cps);
        }
        if let Some(link) = &mut self.link {
            link.program_tempo(session.tempo);
            link.tick(&mut session.handle);
        }
        self.sync_hush(&mut session.handle);
    }

    /// Follows `link` from now on (`--link`).
    pub fn attach_link(&mut self, link: LinkSync) {
        self.link = Some(link);
    }

    /// Hushes the engine while `/hush` holds or a followed Link transport is stopped.
    fn sync_hush(&mut self, handle: &mut EngineHandle<Program>) {
        let want = self.hushed || self.link.as_ref().is_some_and(|l| !l.playing());
        if want != self.engine_hushed && handle.hush(want).is_ok() {
            self.engine_hushed = want;
        }
    }

    /// Sends what the sources passed on to the engine; returns the last tempo asked for
    /// (the caller recompiles with it).
    fn drain(&mut self, handle: &mut EngineHandle<Program>) -> Option<f64> {
        let frame = handle.stats().frames.load(Relaxed);
        for (slot, name, value) in std::mem::take(&mut self.retry) {
            self.set(handle, slot, name, value, frame);
        }
        let mut tempo = None;
        while let Ok(cmd) = self.rx.try_recv() {
            match cmd {
                Command::Set { slot, name, value } => self.set(handle, slot, name, value, frame),
                Command::Reset { slot } => {
                    let _ = handle.reset_param(slot);
                }
                Command::Tempo(cps) => tempo = Some(cps),
                Command::Hush => self.hushed = true,
            }
        }
        tempo
    }

    fn set(
        &mut self,
        handle: &mut EngineHandle<Program>,
        slot: usize,
        name: String,
        value: f64,
        frame: u64,
    ) {
        if handle.set_param(slot, value).is_err() {
            // The queue is full for now: keep the newest value for this slot.
            self.retry.retain(|(s, ..)| *s != slot);
            self.retry.push((slot, name, value));
            return;
        }
        self.sent += 1;
        if self.log {
            eprintln!("param {name} = {value} from frame {frame}");
        }
        let now = Instant::now();
        self.recent.retain(|(_, n, _)| *n != name);
        self.recent.push_back((now, name, value));
    }

    /// Takes the names and controller mappings of the program committed last, so a save
    /// that changes a mapping takes effect with it.
    fn refresh(&mut self, handle: &EngineHandle<Program>) {
        *self.names.lock().unwrap_or_else(|e| e.into_inner()) = known(handle.params());
        self.generation = Some(handle.committed_generation());
    }

    /// ` | osc 12 ok | midi 3 | cutoff 500`: what the status line adds (empty when no
    /// control is on and nothing changed).
    pub fn status(&mut self) -> String {
        let mut s = String::new();
        if let Some(c) = &self.osc_counters {
            s.push_str(&format!(" | {}", c.snapshot()));
        }
        if let Some(m) = &self.midi {
            s.push_str(&format!(" | {}", m.stats()));
        }
        if self.hushed {
            s.push_str(" | hushed");
        }
        if let Some(link) = &mut self.link {
            s.push_str(&link.status());
        }
        let now = Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|(t, ..)| now.duration_since(*t) > RECENT)
        {
            self.recent.pop_front();
        }
        for (_, name, value) in self.recent.iter().rev().take(4) {
            s.push_str(&format!(" | {name} {}", short(*value)));
        }
        s
    }

    /// The closing line: what came in and what reached the engine.
    pub fn summary(&self, stats: &Stats) -> String {
        let mut s = format!(
            "control: params_sent {} params_applied {}",
            self.sent,
            stats.params.load(Relaxed)
        );
        if let Some(c) = &self.osc_counters {
            let o = c.snapshot();
            s.push_str(&format!(
                " osc_packets {} osc_received {} osc_applied {} osc_rejected {} osc_malformed {} osc_unknown_name {} osc_dropped {}",
                o.packets, o.received, o.applied, o.rejected(), o.malformed, o.unknown_name, o.dropped
            ));
        }
        if let Some(m) = &self.midi {
            let m = m.stats();
            s.push_str(&format!(
                " midi_messages {} midi_applied {}",
                m.messages, m.applied
            ));
        }
        if let Some(link) = &self.link {
            s.push_str(&format!(" link_anchors {}", link.anchors));
        }
        if let Some((server, tap)) = &self.scope {
            s.push_str(&format!(
                " scope_clients {} scope_dropped {}",
                server.stats().clients,
                tap.dropped()
            ));
        }
        s
    }

    /// Stops the sources and the scope (their threads end here).
    pub fn stop(mut self, handle: &mut EngineHandle<Program>) {
        self.osc.take();
        self.midi.take();
        if let Some((server, tap)) = self.scope.take() {
            let _ = handle.remove_tap(&tap);
            server.shutdown();
        }
    }
}

/// A number short enough for the status line.
fn short(v: f64) -> String {
    if v == v.round() && v.abs() < 1e9 {
        format!("{v}")
    } else {
        format!("{v:.4}")
    }
}

/// What the sources look names up in, from a program's parameter declarations.
fn known(params: &[kanon_compiler::ir::ParamDecl]) -> Known {
    Known {
        names: params
            .iter()
            .map(|d| (d.name.clone(), d.slot as usize))
            .collect(),
        ccs: params
            .iter()
            .filter_map(|d| Some((d.cc?.controller, (d.slot as usize, d.name.clone(), d.cc?))))
            .collect(),
    }
}

/// The sink OSC and MIDI deliver to, on their own threads.
///
/// `ccN` (MIDI controller N, or OSC `/ctrl N`) with value u in 0..1 sets the parameter the
/// program maps N onto to `CcMap::value(u)`, and the parameter named `ccN` itself, if the
/// program reads one, to u.
fn sink(names: Names, tx: SyncSender<Command>) -> impl FnMut(Update) -> Delivery + Send + 'static {
    move |update| {
        let slot_of = |name: &str| {
            names
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .names
                .get(name)
                .copied()
        };
        let cmd = match update {
            Update::Param { name, value } => {
                let mapped = cc_number(&name).and_then(|n| {
                    let known = names.lock().unwrap_or_else(|e| e.into_inner());
                    known.ccs.get(&n).map(|(slot, to, map)| Command::Set {
                        slot: *slot,
                        name: to.clone(),
                        value: map.value(value),
                    })
                });
                let raw = slot_of(&name).map(|slot| Command::Set { slot, name, value });
                let mut answer = Delivery::UnknownName;
                for cmd in mapped.into_iter().chain(raw) {
                    answer = match tx.try_send(cmd) {
                        Ok(()) if answer != Delivery::Dropped => Delivery::Applied,
                        Ok(()) => Delivery::Dropped,
                        Err(_) => Delivery::Dropped,
                    };
                }
                return answer;
            }
            Update::ResetParam { name } => match slot_of(&name) {
                Some(slot) => Command::Reset { slot },
                None => return Delivery::UnknownName,
            },
            Update::Tempo { cps } => Command::Tempo(cps.min(kanon_compiler::lower::MAX_TEMPO)),
            Update::Hush => Command::Hush,
        };
        match tx.try_send(cmd) {
            Ok(()) => Delivery::Applied,
            Err(_) => Delivery::Dropped,
        }
    }
}

/// Taps the program's outputs and serves them to the browser.
fn start_scope(
    text: &str,
    handle: &mut EngineHandle<Program>,
    channels: usize,
    sample_rate: u32,
) -> Result<Option<(kanon_scope::ScopeServer, TapInfo)>, String> {
    let addr = super::addr::SCOPE
        .parse(text)
        .map_err(|e| format!("error: --scope: {e}"))?;
    let width = channels.clamp(1, kanon_scope::wire::MAX_CHANNELS);
    let (producer, consumer) = kanon_scope::ring(width, sample_rate);
    let server = match kanon_scope::ScopeServer::start(addr, width, sample_rate, consumer) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("warning: {e}; the scope is off");
            return Ok(None);
        }
    };
    match handle.add_tap(TapSource::Outputs { width }, producer) {
        Ok(tap) => {
            eprintln!("scope: {} ({width} channels)", server.url());
            Ok(Some((server, tap)))
        }
        Err(_) => {
            eprintln!("warning: no room for another tap; the scope is off");
            server.shutdown();
            Ok(None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kanon_control::MidiCounters;

    fn names(list: &[(&str, usize)]) -> Names {
        Arc::new(Mutex::new(Known {
            names: list.iter().map(|(n, s)| (n.to_string(), *s)).collect(),
            ccs: HashMap::new(),
        }))
    }

    fn drain(rx: &Receiver<Command>) -> Vec<(usize, String, f64)> {
        let mut v = Vec::new();
        while let Ok(c) = rx.try_recv() {
            if let Command::Set { slot, name, value } = c {
                v.push((slot, name, value));
            }
        }
        v
    }

    /// MIDI bytes through the crate's parser into this session's sink: CC N is `ccN`,
    /// a note sets `midinote`, `midigate` and `midivel`, a velocity-0 note-on is a
    /// note-off; a CC the program does not use is an unknown name, never sent on.
    #[test]
    fn midi_bytes_become_parameter_values() {
        let (tx, rx) = sync_channel(64);
        let mut sink = sink(
            names(&[
                ("cc74", 3),
                ("midinote", 5),
                ("midigate", 6),
                ("midivel", 7),
            ]),
            tx,
        );
        let counters = MidiCounters::new();
        let mut midi = MidiParams::new(None);
        midi.feed(&[0xB0, 74, 127], &counters, &mut sink);
        assert_eq!(drain(&rx), [(3, "cc74".to_string(), 1.0)]);
        midi.feed(&[0x90, 64, 127], &counters, &mut sink);
        let mut got = drain(&rx);
        got.sort_by_key(|(s, ..)| *s);
        assert_eq!(
            got,
            [
                (5, "midinote".to_string(), 64.0),
                (6, "midigate".to_string(), 1.0),
                (7, "midivel".to_string(), 1.0)
            ]
        );
        // Running status: a second note-on with velocity 0 is a note-off.
        midi.feed(&[64, 0], &counters, &mut sink);
        assert!(drain(&rx).contains(&(6, "midigate".to_string(), 0.0)));
        midi.feed(&[0xB0, 1, 64], &counters, &mut sink);
        assert!(drain(&rx).is_empty(), "cc1 is not in the program");
        let s = counters.snapshot();
        assert!(s.unknown_name >= 1 && s.applied >= 5, "{s:?}");
    }

    /// A controller mapped in the file, end to end: MIDI bytes through the parser
    /// midir's callback runs, this session's sink and queue, the engine's message queue,
    /// to the value in the engine's parameter block. A save that moves the mapping to
    /// another controller takes effect; the knob's value outlives the save, as a value
    /// set from outside does; `/param cutoff` sets the same slot.
    #[test]
    fn a_mapped_controller_sets_its_parameter_in_the_engine() {
        use kanon_runtime::engine::{engine, Config};
        let mut compiler = kanon_compiler::Compiler::new();
        let mut compile = |text: &str| {
            compiler
                .compile(
                    &kanon_lang::Source::new("t.kn", text),
                    kanon_compiler::Options::default(),
                )
                .expect("compiles")
        };
        let v1 = "~cut: param \"cutoff\" 1200 :cc 74 :min 200 :max 8000\n\
                  out: saw 110 # lpf ~cut 0.7 * param \"cc7\" 0.5";
        let first = compile(v1);
        let slot = first
            .ir
            .params
            .iter()
            .find(|d| d.name == "cutoff")
            .unwrap()
            .slot as usize;
        let cc7 = first
            .ir
            .params
            .iter()
            .find(|d| d.name == "cc7")
            .unwrap()
            .slot as usize;
        let (mut h, mut proc) = engine(first, Config::live(48_000.0, 1));
        let mut c = Control::start(&ControlArgs::default(), &mut h, 1, 48_000, false).unwrap();
        let mut block = vec![0f32; 256];
        let counters = MidiCounters::new();
        let mut midi = MidiParams::new(None);
        let mut knob = sink(c.names.clone(), c.tx.clone());
        let mut turn = |c: &mut Control, h: &mut EngineHandle<Program>, bytes: &[u8]| {
            midi.feed(bytes, &counters, &mut knob);
            assert_eq!(c.drain(h), None);
            proc.process(&mut block);
            proc.params().to_vec()
        };
        assert_eq!(turn(&mut c, &mut h, &[])[slot], 1200.0);
        assert_eq!(turn(&mut c, &mut h, &[0xB0, 74, 0])[slot], 200.0);
        assert_eq!(turn(&mut c, &mut h, &[0xB3, 74, 127])[slot], 8000.0);
        let p = turn(&mut c, &mut h, &[0xB0, 74, 64]);
        assert_eq!(p[slot], 200.0 * (63.0 / 127.0) + 8000.0 * (64.0 / 127.0));
        // An unmapped controller still reaches a `ccN` the program reads, 0..1.
        let p = turn(&mut c, &mut h, &[0xB0, 7, 127]);
        assert_eq!(
            (p[cc7], p[slot]),
            (1.0, 200.0 * (63.0 / 127.0) + 8000.0 * (64.0 / 127.0))
        );
        // OSC `/param cutoff` sets the same slot.
        assert_eq!(
            sink(c.names.clone(), c.tx.clone())(Update::Param {
                name: "cutoff".into(),
                value: 900.0
            }),
            Delivery::Applied
        );
        assert_eq!(turn(&mut c, &mut h, &[])[slot], 900.0);

        // A save maps CC 71 instead, exponentially over another range, with another
        // default: the knob's last value stays (it was set from outside) until turned.
        let v2 = "~cut: param \"cutoff\" 500 :cc 71 :min 20 :max 20000 :curve \"exp\"\n\
                  out: saw 110 # lpf ~cut 0.7";
        h.commit(compile(v2)).map_err(|_| "room").unwrap();
        c.refresh(&h);
        assert_eq!(turn(&mut c, &mut h, &[])[slot], 900.0);
        assert_eq!(
            turn(&mut c, &mut h, &[0xB0, 74, 127])[slot],
            900.0,
            "74 is free now"
        );
        assert_eq!(turn(&mut c, &mut h, &[0xB0, 71, 127])[slot], 20_000.0);
        let p = turn(&mut c, &mut h, &[0xB0, 71, 0])[slot];
        assert_eq!(p, 20.0);
        let s = counters.snapshot();
        assert_eq!((s.messages, s.applied, s.unknown_name), (7, 6, 1), "{s:?}");
    }

    /// OSC's other requests: a reset, tempo (capped) and hush pass through; a full
    /// queue answers dropped instead of blocking the source's thread.
    #[test]
    fn the_sink_passes_requests_and_never_blocks() {
        let (tx, rx) = sync_channel(2);
        let mut sink = sink(names(&[("cutoff", 0)]), tx);
        assert_eq!(
            sink(Update::ResetParam {
                name: "cutoff".into()
            }),
            Delivery::Applied
        );
        assert_eq!(sink(Update::Tempo { cps: 1e9 }), Delivery::Applied);
        assert_eq!(sink(Update::Hush), Delivery::Dropped, "the queue holds two");
        assert!(matches!(rx.try_recv(), Ok(Command::Reset { slot: 0 })));
        match rx.try_recv() {
            Ok(Command::Tempo(cps)) => assert_eq!(cps, kanon_compiler::lower::MAX_TEMPO),
            _ => panic!("tempo"),
        }
        assert_eq!(
            sink(Update::ResetParam { name: "q".into() }),
            Delivery::UnknownName
        );
    }

    /// A value sent shows on the status line for a second, newest first; nothing else
    /// shows when no source is on.
    #[test]
    fn the_status_line_shows_recent_changes() {
        let src = kanon_lang::Source::new("t.kn", "out: param \"cutoff\" 1000 * param \"q\" 1");
        let p = kanon_compiler::compile(&src, kanon_compiler::Options::default()).unwrap();
        let (mut h, _proc) =
            kanon_runtime::engine::engine(p, kanon_runtime::engine::Config::live(48_000.0, 1));
        let mut c = Control::start(&ControlArgs::default(), &mut h, 1, 48_000, false).unwrap();
        assert_eq!(c.status(), "");
        c.set(&mut h, 0, "cutoff".into(), 500.0, 0);
        c.set(&mut h, 1, "q".into(), 0.7, 0);
        c.set(&mut h, 0, "cutoff".into(), 450.0, 0);
        assert_eq!(c.status(), " | cutoff 450 | q 0.7000");
        assert_eq!(c.sent, 3);
        // A second later they are gone.
        for r in &mut c.recent {
            r.0 -= Duration::from_secs(2);
        }
        assert_eq!(c.status(), "");
    }

    /// `--link` in a build without Link says how to build one; with it, it is accepted.
    #[test]
    fn link_without_the_feature_says_how_to_build_it() {
        let args = ControlArgs {
            link: true,
            ..ControlArgs::default()
        };
        let got = args.check();
        if cfg!(feature = "link") {
            assert_eq!(got, Ok(()));
        } else {
            let e = got.unwrap_err();
            for want in [
                "--features link",
                "cmake",
                "C++ compiler",
                "libclang-dev",
                "GPL",
            ] {
                assert!(e.contains(want), "{want}: {e}");
            }
        }
    }

    #[test]
    fn short_numbers_for_the_status_line() {
        assert_eq!(short(500.0), "500");
        assert_eq!(short(0.123456789), "0.1235");
        assert_eq!(short(-3.0), "-3");
    }
}
