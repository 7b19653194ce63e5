//! Decoding sound files to interleaved `f32` frames (control side: allocates, reads).
//!
//! WAV is parsed by our own code ([`wav`]), so every field of a lying or truncated header
//! is checked against the bytes actually present before anything is allocated; FLAC and
//! AIFF go through symphonia ([`other`]). The format is chosen by the file's first bytes,
//! never by its extension. More than two channels: the first two are kept.

mod other;
mod wav;

use std::fmt;
use std::path::Path;

/// Size limits for one sound file, checked before and while decoding.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Largest file accepted, in bytes (checked before reading).
    pub max_bytes: u64,
    /// Longest sound accepted, in seconds at its own sample rate.
    pub max_seconds: f64,
}

impl Default for Limits {
    /// 64 MiB and 60 seconds.
    fn default() -> Self {
        Limits {
            max_bytes: 64 << 20,
            max_seconds: 60.0,
        }
    }
}

/// A decoded sound: interleaved frames of one or two channels at `sample_rate`.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The file's sample rate in Hz.
    pub sample_rate: u32,
    /// Channels kept (1 or 2).
    pub channels: u16,
    /// Channels in the file (more than 2 means some were dropped).
    pub source_channels: u16,
    /// Interleaved samples, `frames * channels` long; never NaN or infinite.
    pub data: Vec<f32>,
}

impl Decoded {
    /// The number of frames.
    pub fn frames(&self) -> usize {
        self.data.len() / self.channels.max(1) as usize
    }
}

/// Why a file could not be decoded.
#[derive(Clone, Debug, PartialEq)]
pub enum DecodeError {
    /// The file could not be read.
    Io(String),
    /// Not a WAV, AIFF or FLAC file (by its first bytes).
    NotAudio,
    /// A known container whose encoding we do not decode (e.g. WAV µ-law).
    Unsupported(String),
    /// The header or the data is malformed.
    Malformed(String),
    /// The file ends before the data its header announces.
    Truncated {
        /// Bytes of sample data the header announces.
        declared: u64,
        /// Bytes of sample data present.
        present: u64,
    },
    /// The file is larger than [`Limits::max_bytes`].
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
        /// The limit.
        limit: u64,
    },
    /// The sound is longer than [`Limits::max_seconds`].
    TooLong {
        /// Its length in seconds (at least this long when decoding stopped early).
        seconds: f64,
        /// The limit.
        limit: f64,
    },
    /// The file holds no audio frames.
    Empty,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Io(e) => write!(f, "cannot read: {e}"),
            DecodeError::NotAudio => write!(f, "not a WAV, AIFF or FLAC file"),
            DecodeError::Unsupported(what) => write!(f, "unsupported encoding: {what}"),
            DecodeError::Malformed(what) => write!(f, "malformed file: {what}"),
            DecodeError::Truncated { declared, present } => write!(
                f,
                "truncated: the header announces {declared} bytes of audio, the file has {present}"
            ),
            DecodeError::TooLarge { bytes, limit } => {
                write!(f, "too large: {bytes} bytes (the limit is {limit})")
            }
            DecodeError::TooLong { seconds, limit } => {
                write!(f, "too long: {seconds:.1} s (the limit is {limit} s)")
            }
            DecodeError::Empty => write!(f, "no audio frames"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes the file at `path`, refusing it before reading when it is over the size limit.
pub fn decode_file(path: &Path, limits: &Limits) -> Result<Decoded, DecodeError> {
    let meta = std::fs::metadata(path).map_err(|e| DecodeError::Io(e.to_string()))?;
    if meta.len() > limits.max_bytes {
        return Err(DecodeError::TooLarge {
            bytes: meta.len(),
            limit: limits.max_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| DecodeError::Io(e.to_string()))?;
    decode_bytes(&bytes, limits)
}

/// Decodes a whole file held in memory; the format is chosen by its first bytes.
pub fn decode_bytes(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(DecodeError::TooLarge {
            bytes: bytes.len() as u64,
            limit: limits.max_bytes,
        });
    }
    let magic = bytes.get(..4).unwrap_or(&[]);
    let decoded = match magic {
        b"RIFF" => wav::decode(bytes, limits),
        b"FORM" | b"fLaC" => other::decode(bytes, limits),
        b"RIFX" | b"RF64" | b"BW64" => Err(DecodeError::Unsupported(format!(
            "{} container",
            String::from_utf8_lossy(magic)
        ))),
        _ => Err(DecodeError::NotAudio),
    }?;
    if decoded.data.is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(decoded)
}

/// Checks a length in frames against the duration limit.
fn check_duration(frames: u64, sample_rate: u32, limits: &Limits) -> Result<(), DecodeError> {
    let seconds = frames as f64 / sample_rate.max(1) as f64;
    if seconds > limits.max_seconds {
        return Err(DecodeError::TooLong {
            seconds,
            limit: limits.max_seconds,
        });
    }
    Ok(())
}

/// Sample rates accepted from a header: 1 Hz to 1.536 MHz (32 × 48 kHz).
fn check_rate(rate: u32) -> Result<u32, DecodeError> {
    if (1..=1_536_000).contains(&rate) {
        Ok(rate)
    } else {
        Err(DecodeError::Malformed(format!("sample rate {rate} Hz")))
    }
}

/// A finite sample, or 0 for NaN and infinities (float files can hold them).
fn finite(x: f32) -> f32 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}
