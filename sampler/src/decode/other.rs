//! FLAC and AIFF through symphonia (a maintained, pure-Rust decoder with no C library).
//!
//! Symphonia is third-party code reading untrusted bytes: on top of its own checks, the
//! decode runs under `catch_unwind`, so even a bug in it becomes an error for one file.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::errors::Error;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;

use super::{check_duration, check_rate, finite, DecodeError, Decoded, Limits};

/// Decodes a FLAC or AIFF file held in memory.
pub(super) fn decode(bytes: &[u8], limits: &Limits) -> Result<Decoded, DecodeError> {
    if bytes.starts_with(b"FORM") {
        check_aiff(bytes)?;
    }
    let owned = bytes.to_vec();
    catch_unwind(AssertUnwindSafe(|| decode_inner(owned, limits))).unwrap_or_else(|_| {
        Err(DecodeError::Malformed(
            "the decoder failed on this file".into(),
        ))
    })
}

fn map_error(e: Error) -> DecodeError {
    match e {
        Error::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            DecodeError::Malformed("the file ends in the middle of the audio".into())
        }
        Error::IoError(io) => DecodeError::Io(io.to_string()),
        Error::Unsupported(what) => DecodeError::Unsupported(what.into()),
        other => DecodeError::Malformed(other.to_string()),
    }
}

fn decode_inner(bytes: Vec<u8>, limits: &Limits) -> Result<Decoded, DecodeError> {
    let mss = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let mut reader = symphonia::default::get_probe()
        .probe(
            &Hint::new(),
            mss,
            FormatOptions::default(),
            MetadataOptions::default(),
        )
        .map_err(map_error)?;
    let track = reader
        .default_track(TrackType::Audio)
        .ok_or_else(|| DecodeError::Malformed("no audio track".into()))?;
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| DecodeError::Malformed("no audio codec parameters".into()))?
        .clone();
    let sample_rate = check_rate(
        params
            .sample_rate
            .ok_or_else(|| DecodeError::Malformed("no sample rate".into()))?,
    )?;
    if let Some(frames) = track.num_frames {
        check_duration(frames, sample_rate, limits)?;
    }
    let max_frames = (limits.max_seconds * sample_rate as f64) as u64;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(map_error)?;

    let mut out = Vec::new();
    let mut scratch: Vec<f32> = Vec::new();
    let mut frames = 0u64;
    let mut source_channels = 0u16;
    while let Some(packet) = reader.next_packet().map_err(map_error)? {
        if packet.track_id != track_id {
            continue;
        }
        let buf = decoder.decode(&packet).map_err(map_error)?;
        let channels = buf.spec().channels().count().max(1);
        source_channels = channels.min(u16::MAX as usize) as u16;
        frames += buf.frames() as u64;
        check_duration(frames.min(max_frames + 1), sample_rate, limits)?;
        buf.copy_to_vec_interleaved(&mut scratch);
        let keep = channels.min(2);
        for frame in scratch.chunks_exact(channels) {
            out.extend(frame[..keep].iter().map(|&x| finite(x)));
        }
    }
    Ok(Decoded {
        sample_rate,
        channels: source_channels.clamp(1, 2),
        source_channels: source_channels.max(1),
        data: out,
    })
}

/// Checks an AIFF's `COMM` chunk before symphonia reads it: symphonia 0.6 multiplies
/// channels by bytes per sample in 16 bits and overflows on absurd values.
fn check_aiff(bytes: &[u8]) -> Result<(), DecodeError> {
    let be16 = |at: usize| {
        bytes
            .get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
    };
    let be32 = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let mut at = 12usize;
    while let (Some(id), Some(size)) = (bytes.get(at..at + 4), be32(at + 4)) {
        if id == b"COMM" {
            let channels = be16(at + 8).unwrap_or(0);
            let bits = be16(at + 14).unwrap_or(0);
            if !(1..=256).contains(&channels) || !(1..=64).contains(&bits) {
                return Err(DecodeError::Malformed(format!(
                    "AIFF with {channels} channels of {bits} bits"
                )));
            }
            return Ok(());
        }
        let next = (size as usize).saturating_add(size as usize & 1);
        at = match at.checked_add(8).and_then(|b| b.checked_add(next)) {
            Some(n) if n < usize::MAX - 16 => n,
            _ => break,
        };
    }
    Err(DecodeError::Malformed("AIFF without a COMM chunk".into()))
}
