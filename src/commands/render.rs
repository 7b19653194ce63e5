//! `kanonc render`: a program to a WAV file, optionally with scripted swaps
//! (`--then b.kn@1.5`) through the live engine's swap and migration code.

use super::compile_with;
use clap::Args;
use kanon_compiler::Compiler;
use kanon_runtime::engine::Config;
use kanon_runtime::render::{render_script_into, Swap, SAMPLE_WAIT};
use kanon_runtime::wav::{Format, WavWriter};
use std::path::PathBuf;
use std::time::Instant;

/// Options of `kanonc render`.
#[derive(Args)]
pub struct RenderArgs {
    /// The .kn file.
    pub file: PathBuf,
    /// Where to write the WAV file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Length in seconds.
    #[arg(long, default_value_t = 10.0)]
    pub seconds: f64,
    /// Sample rate in Hz.
    #[arg(long, default_value_t = 48_000)]
    pub sr: u32,
    /// Frames per block (the output is the same for every block size).
    #[arg(long, default_value_t = 512)]
    pub block: usize,
    /// Sample format: f32, s16 or s24.
    #[arg(long, default_value = "f32")]
    pub format: Format,
    /// Swap to another program at a time in seconds, as the live engine would
    /// (`b.kn@1.5`); repeatable.
    #[arg(long, value_name = "FILE@SECS")]
    pub then: Vec<String>,
    /// Crossfade swaps that start fresh state over this many milliseconds (0 = off).
    #[arg(long, default_value_t = 0.0, value_name = "MS")]
    pub xfade: f64,
    /// Switch off the protective output limiter.
    #[arg(long)]
    pub no_limiter: bool,
    /// A folder of sounds for `s` (one folder per sound, as SuperDirt's); repeatable,
    /// searched before `KANONC_SAMPLES`, `./samples`, Dirt-Samples and the built-in kit.
    #[arg(long, value_name = "DIR")]
    pub samples: Vec<PathBuf>,
    /// `--plot OUT.png`: draw the render too.
    #[command(flatten)]
    pub plot: super::plot::RenderPlot,
}

/// `b.kn@1.5` → (`b.kn`, 1.5).
fn parse_then(s: &str) -> Result<(PathBuf, f64), String> {
    let (file, at) = s
        .rsplit_once('@')
        .ok_or_else(|| format!("error: --then {s}: expected FILE@SECONDS, e.g. b.kn@1.5"))?;
    let secs: f64 = at
        .parse()
        .map_err(|_| format!("error: --then {s}: `{at}` is not a number of seconds"))?;
    if !(secs.is_finite() && secs >= 0.0) {
        return Err(format!(
            "error: --then {s}: the time must be 0 or more seconds"
        ));
    }
    Ok((PathBuf::from(file), secs))
}

/// `kanonc render`.
pub fn run(a: RenderArgs) -> Result<(), String> {
    if !(a.seconds.is_finite() && a.seconds > 0.0) {
        return Err("error: --seconds must be a positive number".into());
    }
    if a.block == 0 {
        return Err("error: --block must be at least 1 frame".into());
    }
    if !(a.xfade.is_finite() && a.xfade >= 0.0) {
        return Err("error: --xfade must be 0 or more milliseconds".into());
    }
    let mut compiler = Compiler::with_samples(super::library(&a.samples, a.sr));
    let (_, program) = compile_with(&mut compiler, &a.file, a.sr, false)?;
    let mut swaps = Vec::new();
    for t in &a.then {
        let (file, secs) = parse_then(t)?;
        let (_, p) = compile_with(&mut compiler, &file, a.sr, false)?;
        let frame = (secs * f64::from(a.sr)).round() as usize;
        swaps.push((file, Swap { frame, program: p }));
    }
    // The file is as wide as the widest program; narrower ones are mapped onto it as
    // on a device (mono to every channel).
    let channels = swaps
        .iter()
        .map(|(_, s)| s.program.channels())
        .fold(program.channels(), usize::max);
    if channels == 0 {
        return Err(format!(
            "error: {} has no output to render: add `out: …` or `o1: …`",
            a.file.display()
        ));
    }
    let frames = (a.seconds * f64::from(a.sr)).round() as usize;
    let cfg = Config {
        max_block: a.block,
        limiter: !a.no_limiter,
        timing: false,
        xfade_frames: (a.xfade * 1e-3 * f64::from(a.sr)).round() as usize,
        ..Config::live(f64::from(a.sr), channels)
    };
    let names: Vec<PathBuf> = swaps.iter().map(|(f, _)| f.clone()).collect();
    // Offline, every sound is heard: wait until the sounds the programs name have loaded.
    for p in std::iter::once(&program).chain(swaps.iter().map(|(_, s)| &s.program)) {
        if !p.wait_for_samples(SAMPLE_WAIT) {
            eprintln!(
                "warning: some sounds were still loading after {} s; they are silent",
                SAMPLE_WAIT.as_secs()
            );
        }
    }
    // The file is written block by block as it is rendered: memory stays flat in the
    // length, and a file past the RIFF limit becomes RF64.
    let mut wav = WavWriter::create(&a.output, channels, a.sr, a.format)
        .map_err(|e| format!("error: {e}"))?;
    let mut peak = 0f32;
    // Only a plot needs the samples in memory (the file is written as it goes).
    let mut kept: Vec<f32> = Vec::new();
    let keep = a.plot.plot.is_some();
    let t = Instant::now();
    let log = render_script_into(
        program,
        swaps.into_iter().map(|(_, s)| s).collect(),
        frames,
        a.block,
        cfg,
        |block| {
            peak = block.iter().fold(peak, |m, x| m.max(x.abs()));
            if keep {
                kept.extend_from_slice(block);
            }
            wav.write(block)
        },
    )
    .map_err(|e| format!("error: {e}"))?;
    let took = t.elapsed();
    for (name, c) in names.iter().zip(&log) {
        eprintln!(
            "swap to {}: {} carried, {} new, {} dropped{}",
            name.display(),
            c.carried,
            c.fresh.len(),
            c.dropped.len(),
            if c.resized.is_empty() {
                String::new()
            } else {
                format!(", {} delay line(s) resized", c.resized.len())
            }
        );
    }
    let rf64 = wav.finalize().map_err(|e| format!("error: {e}"))?;
    if rf64 {
        eprintln!(
            "note: {} is over the 4 GiB a RIFF WAV file can hold, so it is RF64 (sox, ffmpeg and libsndfile read it)",
            a.output.display()
        );
    }
    a.plot.write(&a.file, &kept, channels, a.sr)?;
    eprintln!(
        "wrote {} ({} channel(s), {:.3} s at {} Hz, {:?}), peak {:.3}, rendered in {:.1} ms ({:.0}x realtime)",
        a.output.display(),
        channels,
        a.seconds,
        a.sr,
        a.format,
        peak,
        took.as_secs_f64() * 1e3,
        a.seconds / took.as_secs_f64()
    );
    Ok(())
}
