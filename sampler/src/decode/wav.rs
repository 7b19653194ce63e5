//! RIFF/WAVE decoding: PCM 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE.
//!
//! Every size in the header is checked against the bytes present; nothing is allocated
//! beyond what the bytes in hand can fill, so a lying header costs nothing.

use super::{check_duration, check_rate, finite, DecodeError, Decoded, Limits};

const FORMAT_PCM: u16 = 1;
const FORMAT_FLOAT: u16 = 3;
const FORMAT_EXTENSIBLE: u16 = 0xFFFE;

/// The sample encoding named by the `fmt ` chunk.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Encoding {
    /// Unsigned 8-bit.
    U8,
    /// Signed little-endian integers of 2, 3 or 4 bytes.
    Int(usize),
    /// IEEE float of 4 or 8 bytes.
    Float(usize),
}

impl Encoding {
    fn bytes(self) -> usize {
        match self {
            Encoding::U8 => 1,
            Encoding::Int(n) | Encoding::Float(n) => n,
        }
    }
}

/// What the `fmt ` chunk says.
#[derive(Clone, Copy, Debug)]
struct Format {
    encoding: Encoding,
    channels: u16,
    sample_rate: u32,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// Decodes a whole RIFF/WAVE file.
pub(super) fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    if bytes.get(8..12) != Some(b"WAVE") {
        return Err(DecodeError::Malformed("RIFF file that is not WAVE".into()));
    }
    let mut format = None;
    let mut at = 12usize;
    // Walk the chunks; the RIFF size field is ignored (writers often get it wrong).
    while let Some(id) = at.checked_add(4).and_then(|end| bytes.get(at..end)) {
        let Some(size) = u32_at(bytes, at + 4) else {
            break;
        };
        // u32_at succeeded, so the chunk header's 8 bytes are present.
        let body = at + 8;
        let size = size as usize;
        match id {
            b"fmt " => {
                let end = body.saturating_add(size).min(bytes.len());
                format = Some(parse_format(&bytes[body..end])?);
            }
            b"data" => {
                let format = format
                    .ok_or_else(|| DecodeError::Malformed("data chunk before fmt chunk".into()))?;
                let present = bytes.len() - body;
                // Streaming writers leave 0 or 0xFFFFFFFF when the length was unknown.
                let len = if size == 0 || size == u32::MAX as usize {
                    present
                } else if size > present {
                    return Err(DecodeError::Truncated {
                        declared: size as u64,
                        present: present as u64,
                    });
                } else {
                    size
                };
                return convert(&bytes[body..body + len], format, limits);
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        at = match body.checked_add(size).and_then(|e| e.checked_add(size & 1)) {
            Some(next) => next,
            None => break,
        };
    }
    if format.is_none() {
        Err(DecodeError::Malformed("no fmt chunk".into()))
    } else {
        Err(DecodeError::Malformed("no data chunk".into()))
    }
}

fn parse_format(f: &[u8]) -> Result<Format, DecodeError> {
    let short = || DecodeError::Malformed("fmt chunk shorter than 16 bytes".into());
    let mut tag = u16_at(f, 0).ok_or_else(short)?;
    let channels = u16_at(f, 2).ok_or_else(short)?;
    let sample_rate = check_rate(u32_at(f, 4).ok_or_else(short)?)?;
    let bits = u16_at(f, 14).ok_or_else(short)?;
    if tag == FORMAT_EXTENSIBLE {
        // cbSize(2) validBits(2) channelMask(4) then the sub-format GUID, whose first two
        // bytes are the format tag proper.
        tag = u16_at(f, 24).ok_or_else(|| {
            DecodeError::Malformed("WAVE_FORMAT_EXTENSIBLE without a sub-format".into())
        })?;
    }
    if channels == 0 {
        return Err(DecodeError::Malformed("0 channels".into()));
    }
    // The container size decides the layout; fewer valid bits sit in its high bits.
    let encoding = match (tag, bits) {
        (FORMAT_PCM, 1..=8) => Encoding::U8,
        (FORMAT_PCM, 9..=16) => Encoding::Int(2),
        (FORMAT_PCM, 17..=24) => Encoding::Int(3),
        (FORMAT_PCM, 25..=32) => Encoding::Int(4),
        (FORMAT_FLOAT, 32) => Encoding::Float(4),
        (FORMAT_FLOAT, 64) => Encoding::Float(8),
        (FORMAT_PCM | FORMAT_FLOAT, _) => {
            return Err(DecodeError::Unsupported(format!(
                "{bits}-bit {}",
                if tag == FORMAT_PCM {
                    "integer"
                } else {
                    "float"
                }
            )))
        }
        (6, _) => return Err(DecodeError::Unsupported("A-law".into())),
        (7, _) => return Err(DecodeError::Unsupported("µ-law".into())),
        (other, _) => {
            return Err(DecodeError::Unsupported(format!(
                "WAV format tag {other:#x}"
            )))
        }
    };
    Ok(Format {
        encoding,
        channels,
        sample_rate,
    })
}

/// Converts interleaved sample bytes to `f32`, keeping at most the first two channels.
fn convert(data: &[u8], format: Format, limits: &Limits) -> Result<Decoded, DecodeError> {
    let width = format.encoding.bytes();
    let stride = width * format.channels as usize;
    let frames = data.len() / stride;
    check_duration(frames as u64, format.sample_rate, limits)?;
    let keep = format.channels.min(2) as usize;
    // Bounded by the bytes present: at most 4 output bytes per input byte.
    let mut out = Vec::with_capacity(frames * keep);
    for frame in data.chunks_exact(stride) {
        for ch in 0..keep {
            let s = &frame[ch * width..(ch + 1) * width];
            let x = match format.encoding {
                Encoding::U8 => (s[0] as f32 - 128.0) / 128.0,
                Encoding::Int(2) => i16::from_le_bytes([s[0], s[1]]) as f32 / 32_768.0,
                Encoding::Int(3) => {
                    // Sign-extend by placing the 24 bits at the top of an i32.
                    (i32::from_le_bytes([0, s[0], s[1], s[2]]) >> 8) as f32 / 8_388_608.0
                }
                Encoding::Int(_) => {
                    (i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as f64 / 2_147_483_648.0) as f32
                }
                Encoding::Float(4) => finite(f32::from_le_bytes([s[0], s[1], s[2], s[3]])),
                Encoding::Float(_) => {
                    finite(
                        f64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]) as f32,
                    )
                }
            };
            out.push(x);
        }
    }
    Ok(Decoded {
        sample_rate: format.sample_rate,
        channels: keep as u16,
        source_channels: format.channels,
        data: out,
    })
}
