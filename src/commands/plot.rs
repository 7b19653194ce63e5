//! `kanonc plot`: render a program and draw it as a PNG (wave, spectrum, spectrogram, xy,
//! xyz) with `kanon_scope`'s plots; `kanonc render --plot` draws next to its WAV.

use super::compile_with;
use clap::Args;
use kanon_compiler::Compiler;
use kanon_scope::{PlotKind, PlotSpec};
use std::path::{Path, PathBuf};

/// Options of `kanonc plot`.
#[derive(Args)]
pub struct PlotArgs {
    /// The .kn file.
    pub file: PathBuf,
    /// Where to write the PNG.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Seconds to render and draw.
    #[arg(long, default_value_t = 2.0)]
    pub seconds: f64,
    /// What to draw: wave, spectrum, spectrogram, xy (o1 against o2) or xyz (o1, o2, o3).
    #[arg(long, default_value = "wave", value_parser = parse_kind)]
    pub kind: PlotKind,
    /// Sample rate in Hz.
    #[arg(long, default_value_t = 48_000)]
    pub sr: u32,
    /// A folder of sounds for `s`; repeatable.
    #[arg(long, value_name = "DIR")]
    pub samples: Vec<PathBuf>,
}

/// `--plot OUT.png [--plot-kind KIND]` of `kanonc render`.
#[derive(Args, Clone, Debug, Default)]
pub struct RenderPlot {
    /// Also draw the render as a PNG here.
    #[arg(long, value_name = "OUT.png")]
    pub plot: Option<PathBuf>,
    /// What `--plot` draws: wave, spectrum, spectrogram, xy or xyz.
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub plot_kind: Option<PlotKind>,
}

impl RenderPlot {
    /// Draws `samples` if `--plot` was given.
    pub fn write(
        &self,
        file: &Path,
        samples: &[f32],
        channels: usize,
        sr: u32,
    ) -> Result<(), String> {
        match &self.plot {
            Some(out) => write(
                out,
                file,
                samples,
                channels,
                sr,
                self.plot_kind.unwrap_or(PlotKind::Wave),
            ),
            None => Ok(()),
        }
    }
}

fn parse_kind(s: &str) -> Result<PlotKind, String> {
    s.parse().map_err(|e: kanon_scope::PlotError| e.to_string())
}

/// Draws `samples` (interleaved, `channels` wide) as a `kind` plot titled after `file`.
pub fn write(
    out: &Path,
    file: &Path,
    samples: &[f32],
    channels: usize,
    sr: u32,
    kind: PlotKind,
) -> Result<(), String> {
    let mut spec = PlotSpec::new(kind);
    // The file name only: the same plot wherever the file lives.
    let name = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    spec.title = Some(format!("{name} ({kind})"));
    kanon_scope::write_plot(out, samples, channels, sr, &spec)
        .map_err(|e| format!("error: cannot plot {}: {e}", out.display()))?;
    eprintln!("wrote {} ({kind} of {channels} channel(s))", out.display());
    Ok(())
}

/// `kanonc plot`.
pub fn run(a: PlotArgs) -> Result<(), String> {
    if !(a.seconds.is_finite() && a.seconds > 0.0 && a.seconds <= 3600.0) {
        return Err("error: --seconds must be a positive number (at most 3600)".into());
    }
    let mut compiler = Compiler::with_samples(super::library(&a.samples, a.sr));
    let (_, program) = compile_with(&mut compiler, &a.file, a.sr, false)?;
    let channels = program.channels();
    if channels == 0 {
        return Err(format!(
            "error: {} has no output to plot: add `out: …` or `o1: …`",
            a.file.display()
        ));
    }
    let frames = (a.seconds * f64::from(a.sr)).round().max(1.0) as usize;
    // Exactly what the program computes (no limiter), as `kanon_runtime::render` gives.
    let samples = kanon_runtime::render(&program, frames, 512);
    write(&a.output, &a.file, &samples, channels, a.sr, a.kind)
}
