//! Decoding: every WAV encoding, FLAC and AIFF, channel handling, and clear errors.

mod common;

use common::*;
use kanon_samples::decode::{decode_bytes, decode_file, DecodeError, Limits};

fn ramp(frames: usize, channels: usize) -> Vec<Vec<f64>> {
    (0..frames)
        .map(|i| {
            (0..channels)
                .map(|c| ((i * 7 + c * 3) % 200) as f64 / 100.0 - 1.0)
                .collect()
        })
        .collect()
}

#[test]
fn every_wav_encoding_decodes_to_the_values_written() {
    for enc in [Enc::U8, Enc::I16, Enc::I24, Enc::I32, Enc::F32, Enc::F64] {
        for channels in [1u16, 2] {
            for extensible in [false, true] {
                let frames = ramp(300, channels as usize);
                let bytes = wav(enc, 44_100, channels, &frames, extensible);
                let d = decode_bytes(&bytes, &Limits::default())
                    .unwrap_or_else(|e| panic!("{enc:?} {channels} ch: {e}"));
                assert_eq!(d.sample_rate, 44_100);
                assert_eq!(d.channels, channels);
                assert_eq!(d.frames(), 300);
                let tol = match enc {
                    Enc::U8 => 1.0 / 128.0,
                    Enc::I16 => 1.0 / 32768.0,
                    _ => 1e-6,
                };
                for (i, f) in frames.iter().enumerate() {
                    for (c, &x) in f.iter().enumerate() {
                        let y = d.data[i * channels as usize + c] as f64;
                        assert!((x - y).abs() <= tol, "{enc:?} frame {i} ch {c}: {x} vs {y}");
                    }
                }
            }
        }
    }
}

#[test]
fn integer_scaling_is_exact() {
    let frames = vec![vec![-1.0], vec![0.5], vec![0.0]];
    let d = decode_bytes(
        &wav(Enc::I16, 48_000, 1, &frames, false),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(d.data, vec![-1.0, 0.5, 0.0]);
    let d = decode_bytes(
        &wav(Enc::I24, 48_000, 1, &frames, false),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(d.data, vec![-1.0, 0.5, 0.0]);
    let d = decode_bytes(&wav(Enc::U8, 48_000, 1, &frames, false), &Limits::default()).unwrap();
    assert_eq!(d.data, vec![-1.0, 0.5, 0.0]);
}

#[test]
fn more_than_two_channels_keep_the_first_two() {
    let frames = ramp(50, 4);
    let d = decode_bytes(&wav(Enc::F32, 48_000, 4, &frames, true), &Limits::default()).unwrap();
    assert_eq!((d.channels, d.source_channels), (2, 4));
    for (i, f) in frames.iter().enumerate() {
        assert_eq!(d.data[2 * i], f[0] as f32);
        assert_eq!(d.data[2 * i + 1], f[1] as f32);
    }
}

#[test]
fn non_finite_floats_become_silence() {
    let bytes = wav_f32(48_000, &[f32::NAN, f32::INFINITY, 0.25, f32::NEG_INFINITY]);
    let d = decode_bytes(&bytes, &Limits::default()).unwrap();
    assert_eq!(d.data, vec![0.0, 0.0, 0.25, 0.0]);
}

#[test]
fn flac_decodes_bit_exact() {
    let samples: Vec<i16> = (0..3000)
        .map(|i| ((i * 37) % 65536 - 32768) as i16)
        .collect();
    let bytes = flac16(44_100, 2, &samples);
    let d = decode_bytes(&bytes, &Limits::default()).unwrap();
    assert_eq!((d.sample_rate, d.channels, d.frames()), (44_100, 2, 1500));
    for (i, &s) in samples.iter().enumerate() {
        assert_eq!(d.data[i], s as f32 / 32768.0, "sample {i}");
    }
}

#[test]
fn aiff_decodes_bit_exact() {
    let samples: Vec<i16> = (0..1000)
        .map(|i| ((i * 91) % 65536 - 32768) as i16)
        .collect();
    let bytes = aiff16(22_050, 1, &samples);
    let d = decode_bytes(&bytes, &Limits::default()).unwrap();
    assert_eq!((d.sample_rate, d.channels, d.frames()), (22_050, 1, 1000));
    for (i, &s) in samples.iter().enumerate() {
        assert_eq!(d.data[i], s as f32 / 32768.0, "sample {i}");
    }
}

#[test]
fn errors_say_what_is_wrong() {
    let limits = Limits::default();
    let good = wav16(48_000, &[0.1; 100]);
    assert_eq!(
        decode_bytes(b"hello, not audio", &limits),
        Err(DecodeError::NotAudio)
    );
    assert_eq!(decode_bytes(b"", &limits), Err(DecodeError::NotAudio));
    // Truncated inside the data chunk.
    let cut = &good[..good.len() - 10];
    assert!(matches!(
        decode_bytes(cut, &limits),
        Err(DecodeError::Truncated {
            declared: 200,
            present: 190
        })
    ));
    // Truncated inside the header.
    assert!(matches!(
        decode_bytes(&good[..30], &limits),
        Err(DecodeError::Malformed(_))
    ));
    // µ-law.
    let mut ulaw = good.clone();
    let fmt = ulaw.windows(4).position(|w| w == b"fmt ").unwrap();
    ulaw[fmt + 8] = 7;
    assert_eq!(
        decode_bytes(&ulaw, &limits),
        Err(DecodeError::Unsupported("µ-law".into()))
    );
    // A data chunk with no frames.
    let empty = wav16(48_000, &[]);
    assert_eq!(decode_bytes(&empty, &limits), Err(DecodeError::Empty));
    // RIFF that is not WAVE.
    let mut avi = good.clone();
    avi[8..12].copy_from_slice(b"AVI ");
    assert!(matches!(
        decode_bytes(&avi, &limits),
        Err(DecodeError::Malformed(_))
    ));
    // Messages are readable.
    let msg = decode_bytes(cut, &limits).unwrap_err().to_string();
    assert!(msg.contains("truncated") && msg.contains("200"), "{msg}");
}

#[test]
fn streaming_length_fields_read_to_the_end() {
    let mut bytes = wav16(48_000, &[0.5; 10]);
    let data = bytes.windows(4).position(|w| w == b"data").unwrap();
    bytes[data + 4..data + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    let d = decode_bytes(&bytes, &Limits::default()).unwrap();
    assert_eq!(d.frames(), 10);
}

#[test]
fn limits_refuse_large_and_long_files() {
    let bytes = wav16(8_000, &vec![0.0; 8_000 * 3]);
    let short = Limits {
        max_bytes: 1 << 30,
        max_seconds: 2.0,
    };
    assert!(matches!(
        decode_bytes(&bytes, &short),
        Err(DecodeError::TooLong { limit, .. }) if limit == 2.0
    ));
    let small = Limits {
        max_bytes: 1000,
        max_seconds: 60.0,
    };
    assert!(matches!(
        decode_bytes(&bytes, &small),
        Err(DecodeError::TooLarge { limit: 1000, .. })
    ));
    let dir = TempDir::new("limits");
    let path = dir.write("big.wav", &bytes);
    assert!(matches!(
        decode_file(&path, &small),
        Err(DecodeError::TooLarge { .. })
    ));
    assert!(matches!(
        decode_file(&dir.path().join("missing.wav"), &small),
        Err(DecodeError::Io(_))
    ));
    // The same limit holds for FLAC, from its header.
    let flac = flac16(8_000, 1, &vec![0i16; 8_000 * 3]);
    assert!(matches!(
        decode_bytes(&flac, &short),
        Err(DecodeError::TooLong { .. })
    ));
}

#[test]
fn corrupt_flac_and_aiff_are_errors_not_panics() {
    let samples: Vec<i16> = (0..5000).map(|i| (i * 13) as i16).collect();
    let flac = flac16(44_100, 1, &samples);
    let aiff = aiff16(44_100, 1, &samples);
    let mut rng = Rng(99);
    for file in [flac, aiff] {
        for len in (0..file.len()).step_by(97) {
            let _ = decode_bytes(&file[..len], &Limits::default());
        }
        for _ in 0..3000 {
            let mut f = file.clone();
            for _ in 0..1 + rng.below(4) {
                let at = rng.below(f.len().min(200));
                f[at] = rng.next() as u8;
            }
            if let Ok(d) = decode_bytes(&f, &Limits::default()) {
                assert!(d.data.iter().all(|x| x.is_finite()));
            }
        }
    }
}
