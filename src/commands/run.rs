//! `kanonc run`: play a file on an audio device, recompile on every save and swap the
//! new code in at the next block with state carried by key. `kanonc devices` lists the
//! hosts and output devices.
//!
//! Threads: cpal's audio callback owns the [`AudioProcessor`]; this (main) thread
//! watches the file, compiles, commits through the [`EngineHandle`], frees retired
//! programs and prints the status line; an optional writer thread drains the recording
//! ring into a WAV file.

use clap::Args;
use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, HostId, SizedSample};
use kanon_compiler::Program;
use kanon_runtime::engine::{engine, AudioProcessor, BlockTime, Config};
use kanon_runtime::watch::{FileWatcher, Reload, Reloader};
use std::collections::VecDeque;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::*};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const NO_DEVICE_HELP: &str = "\
no audio output device.
  - start a JACK server (no sound card needed):
      jackd --no-realtime -d dummy -r 48000 -p 256 &
    and run `kanonc run --host jack FILE`;
  - or render offline: `kanonc render FILE -o out.wav`.
  `kanonc devices` lists what cpal can see.";

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
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_: libc::c_int) {
    STOP.store(true, SeqCst);
}

/// Keeps alsa-lib's own messages (eight lines of "cannot find card '0'" on a machine
/// without a sound card) off the terminal while devices are probed on this thread;
/// kanonc says what went wrong and what to do instead. `KANONC_ALSA_LOG=1` prints them.
struct QuietAlsa {
    #[cfg(target_os = "linux")]
    log: Option<std::rc::Rc<std::cell::RefCell<alsa::Output>>>,
}

impl QuietAlsa {
    fn new() -> Self {
        QuietAlsa {
            #[cfg(target_os = "linux")]
            log: alsa::Output::local_error_handler().ok(),
        }
    }
}

impl Drop for QuietAlsa {
    fn drop(&mut self) {
        #[cfg(target_os = "linux")]
        if let Some(log) = &self.log {
            let text = log.borrow().to_string();
            if std::env::var_os("KANONC_ALSA_LOG").is_some() && !text.is_empty() {
                eprint!("{text}");
            }
        }
    }
}

fn host(name: Option<&str>) -> Result<cpal::Host, String> {
    match name {
        None => Ok(cpal::default_host()),
        Some(n) => {
            let id: HostId = n.parse().map_err(|e| {
                let avail: Vec<String> = cpal::available_hosts()
                    .iter()
                    .map(|h| h.to_string())
                    .collect();
                format!("error: --host {n}: {e} (available: {})", avail.join(", "))
            })?;
            cpal::host_from_id(id).map_err(|e| {
                format!("error: the {n} host is not available ({e}).\n{NO_DEVICE_HELP}")
            })
        }
    }
}

/// `kanonc devices`.
pub fn devices() -> Result<(), String> {
    let _quiet = QuietAlsa::new();
    for id in cpal::available_hosts() {
        println!("host {id}");
        let Ok(h) = cpal::host_from_id(id) else {
            println!("  (not running)");
            continue;
        };
        let default = h.default_output_device().map(|d| d.to_string());
        match h.output_devices() {
            Ok(devs) => {
                let mut any = false;
                for d in devs {
                    any = true;
                    let name = d.to_string();
                    let cfg = d
                        .default_output_config()
                        .map(|c| {
                            format!(
                                "{} ch, {} Hz, {}",
                                c.channels(),
                                c.sample_rate(),
                                c.sample_format()
                            )
                        })
                        .unwrap_or_else(|e| format!("unusable: {e}"));
                    let mark = if Some(&name) == default.as_ref() {
                        " (default)"
                    } else {
                        ""
                    };
                    println!("  {name}{mark}: {cfg}");
                }
                if !any {
                    println!("  (no output devices)");
                }
            }
            Err(e) => println!("  cannot list devices: {e}"),
        }
    }
    Ok(())
}

fn pick_device(host: &cpal::Host, name: Option<&str>) -> Result<cpal::Device, String> {
    match name {
        None => host
            .default_output_device()
            .ok_or_else(|| format!("error: {NO_DEVICE_HELP}")),
        Some(n) => {
            let devs = host
                .output_devices()
                .map_err(|e| format!("error: cannot list devices: {e}\n{NO_DEVICE_HELP}"))?;
            let devs: Vec<cpal::Device> = devs.collect();
            devs.iter()
                .find(|d| d.to_string() == n)
                .or_else(|| devs.iter().find(|d| d.to_string().contains(n)))
                .cloned()
                .ok_or_else(|| {
                    let names: Vec<String> = devs.iter().map(|d| d.to_string()).collect();
                    format!(
                        "error: no output device named `{n}`; there are: {}",
                        if names.is_empty() {
                            "none".into()
                        } else {
                            names.join(", ")
                        }
                    )
                })
        }
    }
}

/// Counters the cpal error callback updates.
#[derive(Default)]
struct StreamErrors {
    xruns: AtomicU64,
    other: AtomicU64,
}

/// Builds the output stream; the callback converts from the engine's f32 frames.
fn build_stream<T>(
    device: &cpal::Device,
    config: &cpal::StreamConfig,
    mut proc: AudioProcessor<Program>,
    errors: Arc<StreamErrors>,
) -> Result<cpal::Stream, String>
where
    T: SizedSample + FromSample<f32>,
{
    let ch = usize::from(config.channels);
    // Conversion buffer, allocated here and never resized in the callback.
    let mut conv = vec![0f32; 4096 * ch];
    let data_cb = move |data: &mut [T], _: &cpal::OutputCallbackInfo| {
        for chunk in data.chunks_mut(conv.len()) {
            let buf = &mut conv[..chunk.len()];
            proc.process(buf);
            for (d, s) in chunk.iter_mut().zip(buf.iter()) {
                *d = T::from_sample(*s);
            }
        }
    };
    let err_cb = move |e: cpal::Error| {
        if e.kind() == cpal::ErrorKind::Xrun {
            errors.xruns.fetch_add(1, Relaxed);
        } else {
            errors.other.fetch_add(1, Relaxed);
            eprintln!("\naudio stream: {e}");
        }
    };
    device
        .build_output_stream::<T, _, _>(*config, data_cb, err_cb, None)
        .map_err(|e| format!("error: cannot open the output stream: {e}"))
}

/// The recording writer: drains the ring into a WAV file until told to stop.
fn start_recorder(
    path: &Path,
    channels: usize,
    sr: u32,
    mut rx: rtrb::Consumer<f32>,
    stop: Arc<AtomicBool>,
) -> Result<std::thread::JoinHandle<Result<u64, String>>, String> {
    let spec = hound::WavSpec {
        channels: channels as u16,
        sample_rate: sr,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec)
        .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
    let name = path.display().to_string();
    Ok(std::thread::spawn(move || {
        let mut buf = vec![0f32; 1 << 14];
        let mut n = 0u64;
        loop {
            let done = stop.load(Acquire);
            let got = {
                let (filled, _) = rx.pop_partial_slice(&mut buf);
                filled.len()
            };
            for &x in &buf[..got] {
                w.write_sample(x).map_err(|e| format!("{name}: {e}"))?;
            }
            n += got as u64;
            if got == 0 {
                if done {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        w.finalize().map_err(|e| format!("{name}: {e}"))?;
        Ok(n)
    }))
}

/// Block-time window for the status line and the whole-run summary.
struct Timing {
    sr: f64,
    window: VecDeque<BlockTime>,
    all: Vec<u32>,
    busy_ns: u128,
    audio_ns: f64,
}

impl Timing {
    fn add(&mut self, t: BlockTime) {
        if self.window.len() == 2048 {
            self.window.pop_front();
        }
        self.window.push_back(t);
        self.all.push(t.nanos);
        self.busy_ns += u128::from(t.nanos);
        self.audio_ns += f64::from(t.frames) / self.sr * 1e9;
    }

    /// (load, p50, p95, p99 in µs) over the last blocks.
    fn recent(&self) -> (f64, f64, f64, f64) {
        let mut v: Vec<u32> = self.window.iter().map(|t| t.nanos).collect();
        let busy: f64 = v.iter().map(|&n| f64::from(n)).sum();
        let audio: f64 = self
            .window
            .iter()
            .map(|t| f64::from(t.frames) / self.sr * 1e9)
            .sum();
        let (a, b, c) = percentiles(&mut v);
        (if audio > 0.0 { busy / audio } else { 0.0 }, a, b, c)
    }
}

/// p50, p95, p99 in µs.
fn percentiles(v: &mut [u32]) -> (f64, f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    v.sort_unstable();
    let q = |p: f64| f64::from(v[((v.len() - 1) as f64 * p).round() as usize]) / 1e3;
    (q(0.5), q(0.95), q(0.99))
}

fn unix_ns(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

fn db(x: f32) -> String {
    if x > 0.0 {
        format!("{:+.1} dBFS", 20.0 * x.log10())
    } else {
        "-inf dBFS".into()
    }
}

/// A commit whose swap the status has not reported yet.
struct InFlight {
    generation: u64,
    seen: Instant,
    compile_ms: f64,
    tag: String,
}

/// `kanonc run`.
pub fn run(a: RunArgs) -> Result<(), String> {
    if !(a.xfade.is_finite() && a.xfade >= 0.0) {
        return Err("error: --xfade must be 0 or more milliseconds".into());
    }
    if !a.file.exists() {
        return Err(format!("error: {} does not exist", a.file.display()));
    }
    let _quiet = QuietAlsa::new();
    let opened = host(a.host.as_deref()).and_then(|host| {
        let device = pick_device(&host, a.device.as_deref())?;
        let default = device.default_output_config().map_err(|e| {
            format!("error: {device}: no usable output configuration: {e}\n{NO_DEVICE_HELP}")
        })?;
        Ok((device, default))
    });
    let (device, default) = match (opened, &a.or_render) {
        (Ok(d), _) => d,
        (Err(e), None) => return Err(e),
        (Err(e), Some(out)) => {
            eprintln!("{}", e.lines().next().unwrap_or_default());
            eprintln!(
                "no audio device to play on: rendering to {} instead",
                out.display()
            );
            return super::render::run(crate::RenderArgs {
                file: a.file.clone(),
                output: out.clone(),
                seconds: a.seconds.unwrap_or(10.0),
                sr: a.sr.unwrap_or(48_000),
                block: 512,
                format: kanon_runtime::wav::Format::F32,
                then: Vec::new(),
                xfade: a.xfade,
                no_limiter: a.no_limiter,
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

    let mut reloader = Reloader::new(&a.file, f64::from(sr));
    let mut watcher = FileWatcher::new(&a.file)?;
    let first = match reloader.reload() {
        Reload::Compiled(src, p) => {
            super::report(&src, &p.warnings);
            *p
        }
        Reload::Failed(src, d) => {
            super::report(&src, &d);
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
    let (mut handle, mut proc) = engine(first, cfg);
    let stats = handle.stats().clone();
    let rec_stop = Arc::new(AtomicBool::new(false));
    let recorder = match &a.record {
        Some(path) => {
            let (tx, rx) = rtrb::RingBuffer::new(sr as usize * channels * 4);
            proc.record_to(tx);
            Some(start_recorder(path, channels, sr, rx, rec_stop.clone())?)
        }
        None => None,
    };
    let errors = Arc::new(StreamErrors::default());
    use cpal::SampleFormat as F;
    let stream = match default.sample_format() {
        F::F32 => build_stream::<f32>(&device, &config, proc, errors.clone()),
        F::I16 => build_stream::<i16>(&device, &config, proc, errors.clone()),
        F::I32 => build_stream::<i32>(&device, &config, proc, errors.clone()),
        F::U16 => build_stream::<u16>(&device, &config, proc, errors.clone()),
        F::F64 => build_stream::<f64>(&device, &config, proc, errors.clone()),
        other => Err(format!(
            "error: {device}: sample format {other} is not supported"
        )),
    }?;
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

    // The engine clock in wall time, to log swap moments for external latency checks.
    let wall0 = SystemTime::now() - stats.epoch.elapsed();
    let started = Instant::now();
    let tty = std::io::stderr().is_terminal() && !a.log_swaps;
    let mut timing = Timing {
        sr: f64::from(sr),
        window: VecDeque::new(),
        all: Vec::new(),
        busy_ns: 0,
        audio_ns: 0.0,
    };
    let mut pending: Option<(Program, InFlight)> = None;
    let mut in_flight: VecDeque<InFlight> = VecDeque::new();
    let mut last_compile_ms = 0.0;
    let mut edits = 0u64;
    let mut failed = 0u64;
    let mut last_status = Instant::now();
    while !STOP.load(SeqCst)
        && a.seconds
            .is_none_or(|s| started.elapsed().as_secs_f64() < s)
    {
        if let Some(seen) = watcher.wait_change(Duration::from_millis(50), Duration::from_millis(3))
        {
            let t = Instant::now();
            match reloader.reload() {
                Reload::Compiled(src, p) => {
                    super::report(&src, &p.warnings);
                    last_compile_ms = t.elapsed().as_secs_f64() * 1e3;
                    edits += 1;
                    let tag = src.text.lines().next().unwrap_or("").trim().to_string();
                    let info = InFlight {
                        generation: 0,
                        seen,
                        compile_ms: last_compile_ms,
                        tag,
                    };
                    // A newer edit replaces one still waiting for queue room.
                    pending = Some((*p, info));
                }
                Reload::Failed(src, d) => {
                    failed += 1;
                    if tty {
                        eprintln!();
                    }
                    super::report(&src, &d);
                    eprintln!("(still playing the last good program)");
                }
                Reload::Unreadable(e) => eprintln!("\n{e} (still playing)"),
                Reload::Unchanged => {}
            }
        }
        if let Some((p, mut info)) = pending.take() {
            match handle.commit(p) {
                Ok(c) => {
                    info.generation = c.generation;
                    in_flight.push_back(info);
                }
                Err(p) => pending = Some((p, info)),
            }
        }
        handle.collect();
        handle.drain_block_times(|t| timing.add(t));
        let (generation, at) = stats.current();
        while in_flight
            .front()
            .is_some_and(|f| f.generation <= generation)
        {
            let f = in_flight.pop_front().expect("front");
            if a.log_swaps {
                let swapped = f.generation == generation;
                let lat = at.saturating_duration_since(f.seen).as_secs_f64() * 1e3;
                eprintln!(
                    "swap gen {} {} at_unix_ns {} seen_to_swap_ms {:.3} compile_ms {:.3} tag {}",
                    f.generation,
                    if swapped { "ran" } else { "superseded" },
                    unix_ns(wall0 + (at - stats.epoch)),
                    lat,
                    f.compile_ms,
                    f.tag
                );
            }
        }
        if last_status.elapsed() >= Duration::from_millis(250) && tty {
            last_status = Instant::now();
            let (load, p50, p95, p99) = timing.recent();
            eprint!(
                "\r\x1b[Kcpu {:4.1}% | block p50 {:.0} p95 {:.0} p99 {:.0} µs | xruns {} | swaps {} | compile {:.2} ms | peak {} | non-finite {}",
                load * 100.0,
                p50,
                p95,
                p99,
                errors.xruns.load(Relaxed),
                stats.swaps.load(Relaxed),
                last_compile_ms,
                db(stats.take_peak()),
                stats.nonfinite.load(Relaxed),
            );
            let _ = std::io::stderr().flush();
        }
    }
    drop(stream);
    handle.collect();
    handle.drain_block_times(|t| timing.add(t));
    if tty {
        eprintln!();
    }
    let (p50, p95, p99) = percentiles(&mut timing.all);
    let max_us = timing.all.last().map_or(0.0, |&n| f64::from(n) / 1e3);
    let load = if timing.audio_ns > 0.0 {
        timing.busy_ns as f64 / timing.audio_ns
    } else {
        0.0
    };
    eprintln!(
        "summary: seconds {:.1} callbacks {} frames {} xruns {} stream_errors {} edits {} failed {} swaps {} generation {} nonfinite {} limited_frames {} cpu_mean {:.2}% block_us p50 {:.1} p95 {:.1} p99 {:.1} max_us {:.1}",
        started.elapsed().as_secs_f64(),
        stats.callbacks.load(Relaxed),
        stats.frames.load(Relaxed),
        errors.xruns.load(Relaxed),
        errors.other.load(Relaxed),
        edits,
        failed,
        stats.swaps.load(Relaxed),
        stats.generation.load(Relaxed),
        stats.nonfinite.load(Relaxed),
        stats.limited.load(Relaxed),
        load * 100.0,
        p50,
        p95,
        p99,
        max_us
    );
    if let Some(r) = recorder {
        rec_stop.store(true, Release);
        let n = r
            .join()
            .map_err(|_| "error: the recorder thread panicked".to_string())??;
        let dropped = stats.record_dropped.load(Relaxed);
        eprintln!(
            "recorded {} frames to {}{}",
            n / channels as u64,
            a.record.as_ref().expect("record").display(),
            if dropped > 0 {
                format!(" ({dropped} samples lost: the writer fell behind)")
            } else {
                String::new()
            }
        );
    }
    Ok(())
}

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
