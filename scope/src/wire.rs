//! The binary websocket message: a 24-byte header, then interleaved f32 samples.
//!
//! All numbers are little-endian.
//!
//! | offset | type      | field         | meaning                                             |
//! |-------:|-----------|---------------|-----------------------------------------------------|
//! | 0      | [u8; 4]   | magic         | `KSC1` (kanon scope, format 1)                      |
//! | 4      | u16       | channels      | interleaved channels per frame (1..=[`MAX_CHANNELS`]) |
//! | 6      | u16       | stride        | each frame sent stands for `stride` source frames   |
//! | 8      | u32       | sample_rate   | the source stream's rate in Hz                      |
//! | 12     | u32       | frame_count   | frames in this message                              |
//! | 16     | u64       | first_frame   | source index of the first frame (counted from the first frame the server drained) |
//! | 24     | f32 × n   | samples       | `frame_count × channels` samples, frame after frame |
//!
//! The rate of the frames in a message is `sample_rate / stride`. `first_frame` lets a
//! client notice a gap (a message dropped because it was slow): consecutive messages
//! satisfy `next.first_frame == first_frame + frame_count × stride`. The header is a
//! multiple of 4 bytes, so a browser can view the payload as a `Float32Array` in place.
//! Non-finite samples are sent as 0.

use std::fmt;

/// The first four bytes of every message.
pub const MAGIC: [u8; 4] = *b"KSC1";
/// The header length in bytes; the samples start here.
pub const HEADER_LEN: usize = 24;
/// The most channels a message can carry (the page draws one lane per channel).
pub const MAX_CHANNELS: usize = 64;

/// The fields of a message header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameHeader {
    /// Interleaved channels per frame.
    pub channels: u16,
    /// Source frames per frame sent (1 = every frame).
    pub stride: u16,
    /// The source stream's sample rate in Hz.
    pub sample_rate: u32,
    /// Frames in this message.
    pub frame_count: u32,
    /// Source index of this message's first frame.
    pub first_frame: u64,
}

/// Why bytes are not a valid message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// Fewer than [`HEADER_LEN`] bytes.
    Short(usize),
    /// The first four bytes are not [`MAGIC`].
    BadMagic([u8; 4]),
    /// A zero or too large channel count, or a zero stride or sample rate.
    BadHeader(FrameHeader),
    /// The payload length does not match `frame_count × channels × 4`.
    BadLength {
        /// Payload bytes the header announces.
        expected: usize,
        /// Payload bytes present.
        actual: usize,
    },
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Short(n) => {
                write!(f, "scope message of {n} bytes is shorter than its header")
            }
            WireError::BadMagic(m) => write!(f, "scope message starts with {m:?}, not KSC1"),
            WireError::BadHeader(h) => write!(f, "invalid scope message header {h:?}"),
            WireError::BadLength { expected, actual } => write!(
                f,
                "scope message payload is {actual} bytes, its header announces {expected}"
            ),
        }
    }
}

impl std::error::Error for WireError {}

impl FrameHeader {
    /// Writes the header into the first [`HEADER_LEN`] bytes of `out`.
    pub(crate) fn write(&self, out: &mut [u8]) {
        out[0..4].copy_from_slice(&MAGIC);
        out[4..6].copy_from_slice(&self.channels.to_le_bytes());
        out[6..8].copy_from_slice(&self.stride.to_le_bytes());
        out[8..12].copy_from_slice(&self.sample_rate.to_le_bytes());
        out[12..16].copy_from_slice(&self.frame_count.to_le_bytes());
        out[16..24].copy_from_slice(&self.first_frame.to_le_bytes());
    }
}

/// Reads a message: its header and its samples, interleaved.
pub fn decode_frame(bytes: &[u8]) -> Result<(FrameHeader, Vec<f32>), WireError> {
    if bytes.len() < HEADER_LEN {
        return Err(WireError::Short(bytes.len()));
    }
    let magic = [bytes[0], bytes[1], bytes[2], bytes[3]];
    if magic != MAGIC {
        return Err(WireError::BadMagic(magic));
    }
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let header = FrameHeader {
        channels: u16_at(4),
        stride: u16_at(6),
        sample_rate: u32_at(8),
        frame_count: u32_at(12),
        first_frame: u64::from_le_bytes(bytes[16..24].try_into().unwrap()),
    };
    if header.channels == 0
        || header.channels as usize > MAX_CHANNELS
        || header.stride == 0
        || header.sample_rate == 0
    {
        return Err(WireError::BadHeader(header));
    }
    let payload = &bytes[HEADER_LEN..];
    let expected = header.frame_count as usize * header.channels as usize * 4;
    if payload.len() != expected {
        return Err(WireError::BadLength {
            expected,
            actual: payload.len(),
        });
    }
    let samples = payload
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes(b.try_into().unwrap()))
        .collect();
    Ok((header, samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(h: FrameHeader, samples: &[f32]) -> Vec<u8> {
        let mut out = vec![0; HEADER_LEN];
        h.write(&mut out);
        for s in samples {
            out.extend_from_slice(&s.to_le_bytes());
        }
        out
    }

    const H: FrameHeader = FrameHeader {
        channels: 2,
        stride: 1,
        sample_rate: 48_000,
        frame_count: 2,
        first_frame: 1 << 40,
    };

    #[test]
    fn round_trip_and_exact_layout() {
        let bytes = message(H, &[0.5, -1.0, 0.25, 2.0]);
        assert_eq!(&bytes[0..4], b"KSC1");
        assert_eq!(&bytes[4..6], &[2, 0]);
        assert_eq!(&bytes[8..12], &48_000u32.to_le_bytes());
        assert_eq!(&bytes[24..28], &0.5f32.to_le_bytes());
        assert_eq!(bytes.len(), 24 + 16);
        let (h, s) = decode_frame(&bytes).unwrap();
        assert_eq!(h, H);
        assert_eq!(s, [0.5, -1.0, 0.25, 2.0]);
    }

    #[test]
    fn rejects_malformed_messages() {
        assert_eq!(decode_frame(&[0; 10]), Err(WireError::Short(10)));
        let mut bad = message(H, &[0.0; 4]);
        bad[0] = b'X';
        assert!(matches!(decode_frame(&bad), Err(WireError::BadMagic(_))));
        let short = message(H, &[0.0; 3]);
        assert_eq!(
            decode_frame(&short),
            Err(WireError::BadLength {
                expected: 16,
                actual: 12
            })
        );
        for h in [
            FrameHeader { channels: 0, ..H },
            FrameHeader { channels: 65, ..H },
            FrameHeader { stride: 0, ..H },
            FrameHeader {
                sample_rate: 0,
                ..H
            },
        ] {
            let bytes = message(h, &[]);
            assert!(matches!(decode_frame(&bytes), Err(WireError::BadHeader(_))));
        }
        // Never panics on truncations of a valid message.
        let good = message(H, &[1.0; 4]);
        for n in 0..good.len() {
            assert!(decode_frame(&good[..n]).is_err());
        }
    }
}
