//! Writing rendered audio to WAV files.

use std::path::Path;

/// Sample format of a written WAV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// 32-bit float, exactly what the engine produced.
    F32,
    /// 16-bit integer, clipped to [-1, 1].
    S16,
    /// 24-bit integer, clipped to [-1, 1].
    S24,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "f32" => Ok(Format::F32),
            "s16" => Ok(Format::S16),
            "s24" => Ok(Format::S24),
            _ => Err(format!("unknown format `{s}`: use f32, s16 or s24")),
        }
    }
}

/// Writes interleaved samples to a WAV file.
pub fn write(
    path: &Path,
    samples: &[f32],
    channels: usize,
    sample_rate: u32,
    format: Format,
) -> Result<(), String> {
    let (bits, sample_format) = match format {
        Format::F32 => (32, hound::SampleFormat::Float),
        Format::S16 => (16, hound::SampleFormat::Int),
        Format::S24 => (24, hound::SampleFormat::Int),
    };
    let spec = hound::WavSpec {
        channels: channels as u16,
        sample_rate,
        bits_per_sample: bits,
        sample_format,
    };
    let err = |e: hound::Error| format!("cannot write {}: {e}", path.display());
    let mut w = hound::WavWriter::create(path, spec).map_err(err)?;
    let scale = |x: f32, max: f32| (x.clamp(-1.0, 1.0) * max).round() as i32;
    for &x in samples {
        match format {
            Format::F32 => w.write_sample(x),
            Format::S16 => w.write_sample(scale(x, 32767.0) as i16),
            Format::S24 => w.write_sample(scale(x, 8_388_607.0)),
        }
        .map_err(err)?;
    }
    w.finalize().map_err(err)
}
