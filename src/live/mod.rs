//! `kanonc run`: play a file on an audio device, recompile on every save and swap the
//! new code in at the next block with state carried by key.
//!
//! Threads: cpal's audio callback owns the engine's [`AudioProcessor`]; the main thread
//! runs the session loop ([`session`]: watch → compile → hand to the engine, frees
//! retired programs) and the status line ([`status`]) or the swap log ([`swaplog`]);
//! an optional writer thread drains the recording tap into a WAV file ([`recorder`]).
//! The device and its stream are in [`device`]; noticing and compiling saves in
//! [`watch`].
//!
//! [`AudioProcessor`]: kanon_runtime::engine::AudioProcessor

pub mod addr;
pub mod control;
pub mod device;
pub mod link;
pub mod recorder;
pub mod session;
pub mod status;
pub mod swaplog;
pub mod watch;

use clap::Args;
use device::{QuietAlsa, StreamErrors};
use kanon_compiler::Program;
use kanon_runtime::engine::{engine, Config, TapSource};
use session::Session;
use status::{db, Timing};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::sync::Arc;
use std::time::{Duration, Instant};
use watch::{FileWatcher, Reload, Reloader};

/// Options of `kanonc run`.
#[derive(Args)]
pub struct RunArgs {
    /// The .kn file to play and watch.
    pub file: PathBuf,
    /// Audio host: jack or alsa (default: the platform default).
    #[arg(long)]
    pub host: Option<String>,
    /// Output device name (or part of it), as `kanonc devices` lists it.
    #[arg(long)]
    pub device: Option<String>,
    /// Frames per callback (JACK: must match the server).
    #[arg(long, value_name = "FRAMES")]
    pub buffer: Option<u32>,
    /// Sample rate in Hz (default: the device's).
    #[arg(long)]
    pub sr: Option<u32>,
    /// Switch off the protective output limiter.
    #[arg(long)]
    pub no_limiter: bool,
    /// Crossfade swaps that start fresh state over this many milliseconds (0 = off).
    #[arg(long, default_value_t = 0.0, value_name = "MS")]
    pub xfade: f64,
    /// Also write what the device plays to this WAV file (32-bit float).
    #[arg(long, value_name = "FILE.wav")]
    pub record: Option<PathBuf>,
    /// Stop after this many seconds (default: until Ctrl-C).
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Print one line per swap (with save-to-swap latency) instead of the status line.
    #[arg(long)]
    pub log_swaps: bool,
    /// If no audio output device can be opened, render `--seconds` (default 10) of the
    /// file to this WAV file instead of failing (for machines without a sound card).
    #[arg(long, value_name = "FILE.wav")]
    pub or_render: Option<PathBuf>,
    /// A folder of sounds for `s` (one folder per sound, as SuperDirt's); repeatable,
    /// searched before `KANONC_SAMPLES`, `./samples`, Dirt-Samples and the built-in kit.
    #[arg(long, value_name = "DIR")]
    pub samples: Vec<PathBuf>,
    /// OSC, MIDI and the browser scope.
    #[command(flatten)]
    pub control: control::ControlArgs,
}

/// What `kanonc run NEW.kn` writes into a file that does not exist yet: one line that
/// plays silence and says what to write instead.
pub const TEMPLATE: &str = "out: 0  -- silence; try `out: sine 220 * 0.2` and save\n";

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, SeqCst);
}

/// `kanonc run`.
pub fn run(a: RunArgs) -> Result<(), String> {
    if !(a.xfade.is_finite() && a.xfade >= 0.0) {
        return Err("error: --xfade must be 0 or more milliseconds".into());
    }
    a.control.check()?;
    if !a.file.exists() {
        // Starting from nothing: a file that plays silence, to be edited while it plays.
        std::fs::write(&a.file, TEMPLATE)
            .map_err(|e| format!("error: cannot create {}: {e}", a.file.display()))?;
        eprintln!(
            "note: created {} (silence); edit it and save to hear the change",
            a.file.display()
        );
    }
    let _quiet = QuietAlsa::new();
    let (device, default) = match (
        device::open(a.host.as_deref(), a.device.as_deref()),
        &a.or_render,
    ) {
        (Ok((d, note)), _) => {
            if let Some(note) = note {
                eprintln!("{note}");
            }
            d
        }
        (Err(e), None) => return Err(e),
        (Err(e), Some(out)) => {
            // Asked for: a note, not an error.
            eprintln!(
                "note: no audio output device ({}): rendering to {} instead ({} s)",
                device::reason(&e),
                out.display(),
                a.seconds.unwrap_or(10.0)
            );
            return crate::commands::render::run(crate::commands::render::RenderArgs {
                file: a.file.clone(),
                output: out.clone(),
                seconds: a.seconds.unwrap_or(10.0),
                sr: a.sr.unwrap_or(48_000),
                block: 512,
                format: kanon_runtime::wav::Format::F32,
                then: Vec::new(),
                xfade: a.xfade,
                no_limiter: a.no_limiter,
                samples: a.samples.clone(),
                plot: Default::default(),
            });
        }
    };
    let sr = a.sr.unwrap_or(default.sample_rate());
    let channels = usize::from(default.channels());
    let config = cpal::StreamConfig {
        channels: default.channels(),
        sample_rate: sr,
        buffer_size: a
            .buffer
            .map_or(cpal::BufferSize::Default, cpal::BufferSize::Fixed),
    };

    let library = crate::commands::library(&a.samples, sr);
    let mut reloader = Reloader::new(&a.file, f64::from(sr))
        .with_compiler(kanon_compiler::Compiler::with_samples(library));
    let watcher = FileWatcher::new(&a.file)?;
    let first = match reloader.reload() {
        Reload::Compiled(src, p) => {
            crate::commands::report(&src, &p.warnings);
            *p
        }
        Reload::Failed(src, d) => {
            crate::commands::report(&src, &d);
            eprintln!("(playing silence until the file compiles)");
            silence(sr)?
        }
        Reload::Unreadable(e) => return Err(format!("error: {e}")),
        Reload::Unchanged => unreachable!("first read"),
    };
    let cfg = Config {
        limiter: !a.no_limiter,
        xfade_frames: (a.xfade * 1e-3 * f64::from(sr)).round() as usize,
        max_block: 4096,
        ..Config::live(f64::from(sr), channels)
    };
    // The scope shows the program's own outputs (o1, o2, o3 even on a stereo device).
    let program_channels = first.channels();
    let first_tempo = first.ir.tempo;
    let first_owners = status::cell_owners(&first);
    let (mut handle, proc) = engine(first, cfg);
    let stats = handle.stats().clone();
    let rec_stop = Arc::new(AtomicBool::new(false));
    let recorder = match &a.record {
        Some(path) => {
            let (tx, rx) = rtrb::RingBuffer::new(sr as usize * channels * 4);
            let tap = handle
                .add_tap(TapSource::Output, tx)
                .map_err(|_| "error: cannot start recording".to_string())?;
            let writer = recorder::start_recorder(path, channels, sr, rx, rec_stop.clone())?;
            Some((writer, tap))
        }
        None => None,
    };
    let errors = Arc::new(StreamErrors::default());
    let stream = device::stream(
        &device,
        default.sample_format(),
        &config,
        proc,
        errors.clone(),
    )?;
    #[cfg(target_os = "linux")]
    if std::env::var_os("KANONC_ALSA_LOG").is_none() {
        device::quiet_jack();
    }
    use cpal::traits::StreamTrait;
    stream
        .play()
        .map_err(|e| format!("error: cannot start the output stream: {e}"))?;
    // SAFETY: installing an async-signal-safe handler that only stores an atomic.
    unsafe {
        libc::signal(libc::SIGINT, on_signal as *const () as libc::sighandler_t);
        libc::signal(libc::SIGTERM, on_signal as *const () as libc::sighandler_t);
    }
    eprintln!(
        "playing {} on {} ({} ch, {} Hz{}) — save the file to swap, Ctrl-C to stop",
        a.file.display(),
        device,
        channels,
        sr,
        a.buffer.map_or(String::new(), |b| format!(", {b} frames"))
    );

    let clock = swaplog::WallClock::of(&stats);
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal() && !a.log_swaps;
    let mut timing = Timing::new(f64::from(sr));
    let mut ctl =
        control::Control::start(&a.control, &mut handle, program_channels, sr, a.log_swaps)?;
    // Values from outside wait for this loop: poll often when they can come.
    let poll = if a.control.any() {
        Duration::from_millis(2)
    } else {
        Duration::from_millis(50)
    };
    if a.control.link {
        start_link(
            &mut ctl,
            first_tempo,
            sr,
            a.buffer,
            a.control.link_start_stop,
        );
    }
    let mut session = Session::new(reloader, watcher, handle, tty);
    session.tempo = first_tempo;
    session.remember(0, first_owners);
    let mut last_status = Instant::now();
    while !STOP.load(SeqCst)
        && a.seconds
            .is_none_or(|s| started.elapsed().as_secs_f64() < s)
    {
        session.poll(poll);
        ctl.pump(&mut session);
        session.handle.drain_block_times(|t| timing.add(t));
        session.drain_swaps(a.log_swaps.then_some(&clock));
        if let Some(e) = errors.take_message() {
            session.console.message(&format!("audio stream: {e}"));
        }
        if last_status.elapsed() >= Duration::from_millis(250) && tty {
            last_status = Instant::now();
            let (load, p50, p95, p99) = timing.recent();
            let nonfinite = stats.nonfinite.load(Relaxed);
            let line = format!(
                "cycle {:8.2} | cpu {:4.1}% | block p50 {:.0} p95 {:.0} p99 {:.0} µs | xruns {} | swaps {} | compile {:.2} ms | peak {} | non-finite {}{}",
                stats.cycle(),
                load * 100.0,
                p50,
                p95,
                p99,
                errors.xruns.load(Relaxed),
                stats.swaps.load(Relaxed),
                session.last_compile_ms,
                db(stats.take_peak()),
                nonfinite,
                session
                    .nonfinite_source()
                    .map_or(String::new(), |s| format!(" (first: {s})")),
            );
            session.console.status(line + &ctl.status());
        }
    }
    drop(stream);
    eprintln!("{}", ctl.summary(&stats));
    ctl.stop(&mut session.handle);
    session.handle.collect();
    session.handle.drain_block_times(|t| timing.add(t));
    session.console.finish();
    let (load, p50, p95, p99, max_us) = timing.overall();
    eprintln!(
        "summary: seconds {:.1} callbacks {} frames {} xruns {} stream_errors {} edits {} failed {} swaps {} generation {} nonfinite {}{} limited_frames {} cpu_mean {:.2}% block_us p50 {:.1} p95 {:.1} p99 {:.1} max_us {:.1}",
        started.elapsed().as_secs_f64(),
        stats.callbacks.load(Relaxed),
        stats.frames.load(Relaxed),
        errors.xruns.load(Relaxed),
        errors.other.load(Relaxed),
        session.edits,
        session.failed,
        stats.swaps.load(Relaxed),
        stats.generation.load(Relaxed),
        stats.nonfinite.load(Relaxed),
        session
            .nonfinite_source()
            .map_or(String::new(), |s| format!(" first_nonfinite {}", s.replace(' ', "_"))),
        stats.limited.load(Relaxed),
        load * 100.0,
        p50,
        p95,
        p99,
        max_us
    );
    if let Some((writer, tap)) = recorder {
        rec_stop.store(true, Release);
        let (n, rf64) = writer
            .join()
            .map_err(|_| "error: the recorder thread panicked".to_string())?
            .map_err(|e| format!("error: recording: {e}"))?;
        let dropped = tap.dropped();
        eprintln!(
            "recorded {} frames to {}{}{}",
            n / channels as u64,
            a.record.as_ref().expect("record").display(),
            if rf64 { " (RF64: over 4 GiB)" } else { "" },
            if dropped > 0 {
                format!(" ({dropped} samples lost: the writer fell behind)")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

/// Joins the Link session (`--link`) and has `ctl` follow it. The buffer (JACK's period)
/// stands for the output latency when given; else 256 frames.
#[cfg(feature = "link")]
fn start_link(
    ctl: &mut control::Control,
    cps: f64,
    sr: u32,
    buffer: Option<u32>,
    start_stop: bool,
) {
    let mapping = kanon_control::link::LinkMapping::default().follow_start_stop(start_stop);
    let latency_us = f64::from(buffer.unwrap_or(256)) * 1e6 / f64::from(sr);
    let port = link::join(cps, start_stop);
    eprintln!(
        "Link: joined at {:.1} BPM (4 beats a cycle{})",
        mapping.bpm_for_cps(cps),
        if start_stop {
            ", start/stop followed"
        } else {
            ""
        }
    );
    ctl.attach_link(link::LinkSync::new(
        port,
        mapping,
        f64::from(sr),
        latency_us,
    ));
}

/// Without the `link` feature `--link` was refused by `ControlArgs::check` already.
#[cfg(not(feature = "link"))]
fn start_link(_: &mut control::Control, _: f64, _: u32, _: Option<u32>, _: bool) {}

/// The program played while the file does not compile yet: no outputs.
fn silence(sr: u32) -> Result<Program, String> {
    let src = kanon_lang::Source::new("(silence)", "out: 0".to_string());
    kanon_compiler::compile(
        &src,
        kanon_compiler::Options {
            sample_rate: f64::from(sr),
            keep_clif: false,
        },
    )
    .map_err(|_| "error: cannot compile the silent program".to_string())
}
