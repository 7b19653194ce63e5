//! Helpers shared by the integration tests: sound-file writers and temporary folders.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A temporary directory removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> TempDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("kanon-samples-{tag}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `bytes` at `rel` (creating folders).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A WAV sample encoding for [`wav`].
#[derive(Clone, Copy, Debug)]
pub enum Enc {
    U8,
    I16,
    I24,
    I32,
    F32,
    F64,
}

impl Enc {
    pub fn bits(self) -> u16 {
        match self {
            Enc::U8 => 8,
            Enc::I16 => 16,
            Enc::I24 => 24,
            Enc::I32 | Enc::F32 => 32,
            Enc::F64 => 64,
        }
    }

    fn float(self) -> bool {
        matches!(self, Enc::F32 | Enc::F64)
    }

    /// The encoded bytes of one sample in [−1, 1].
    pub fn encode(self, x: f64, out: &mut Vec<u8>) {
        match self {
            Enc::U8 => out.push(((x * 128.0).round() + 128.0).clamp(0.0, 255.0) as u8),
            Enc::I16 => {
                out.extend(((x * 32768.0).round().clamp(-32768.0, 32767.0) as i16).to_le_bytes())
            }
            Enc::I24 => {
                let v = (x * 8_388_608.0).round().clamp(-8_388_608.0, 8_388_607.0) as i32;
                out.extend(&v.to_le_bytes()[..3]);
            }
            Enc::I32 => out.extend(
                ((x * 2_147_483_648.0)
                    .round()
                    .clamp(-2_147_483_648.0, 2_147_483_647.0) as i32)
                    .to_le_bytes(),
            ),
            Enc::F32 => out.extend((x as f32).to_le_bytes()),
            Enc::F64 => out.extend(x.to_le_bytes()),
        }
    }
}

/// A WAV file of `frames` (each a slice of `channels` samples).
pub fn wav(enc: Enc, rate: u32, channels: u16, frames: &[Vec<f64>], extensible: bool) -> Vec<u8> {
    let mut data = Vec::new();
    for f in frames {
        for &x in f {
            enc.encode(x, &mut data);
        }
    }
    let tag: u16 = if enc.float() { 3 } else { 1 };
    let block = channels * enc.bits() / 8;
    let mut fmt = Vec::new();
    fmt.extend(if extensible { 0xFFFEu16 } else { tag }.to_le_bytes());
    fmt.extend(channels.to_le_bytes());
    fmt.extend(rate.to_le_bytes());
    fmt.extend((rate * block as u32).to_le_bytes());
    fmt.extend(block.to_le_bytes());
    fmt.extend(enc.bits().to_le_bytes());
    if extensible {
        fmt.extend(22u16.to_le_bytes());
        fmt.extend(enc.bits().to_le_bytes());
        fmt.extend(0u32.to_le_bytes());
        fmt.extend(tag.to_le_bytes());
        fmt.extend([
            0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
        ]);
    }
    let mut out = Vec::new();
    out.extend(b"RIFF");
    out.extend(((4 + 8 + fmt.len() + 8 + data.len()) as u32).to_le_bytes());
    out.extend(b"WAVE");
    // A chunk we do not know, to be skipped.
    out.extend(b"LIST");
    out.extend(3u32.to_le_bytes());
    out.extend([1, 2, 3, 0]); // odd size + pad byte
    out.extend(b"fmt ");
    out.extend((fmt.len() as u32).to_le_bytes());
    out.extend(&fmt);
    out.extend(b"data");
    out.extend((data.len() as u32).to_le_bytes());
    out.extend(&data);
    out
}

/// A 16-bit mono WAV of `samples`.
pub fn wav16(rate: u32, samples: &[f64]) -> Vec<u8> {
    let frames: Vec<Vec<f64>> = samples.iter().map(|&x| vec![x]).collect();
    wav(Enc::I16, rate, 1, &frames, false)
}

/// A 32-bit float mono WAV of `samples` (stored exactly).
pub fn wav_f32(rate: u32, samples: &[f32]) -> Vec<u8> {
    let frames: Vec<Vec<f64>> = samples.iter().map(|&x| vec![x as f64]).collect();
    wav(Enc::F32, rate, 1, &frames, false)
}

/// An AIFF file of 16-bit big-endian samples.
pub fn aiff16(rate: u32, channels: u16, interleaved: &[i16]) -> Vec<u8> {
    let frames = interleaved.len() / channels as usize;
    let mut comm = Vec::new();
    comm.extend(channels.to_be_bytes());
    comm.extend((frames as u32).to_be_bytes());
    comm.extend(16u16.to_be_bytes());
    comm.extend(extended(rate as f64));
    let mut ssnd = vec![0u8; 8]; // offset, block size
    for s in interleaved {
        ssnd.extend(s.to_be_bytes());
    }
    let mut body = Vec::new();
    body.extend(b"AIFF");
    body.extend(b"COMM");
    body.extend((comm.len() as u32).to_be_bytes());
    body.extend(&comm);
    body.extend(b"SSND");
    body.extend((ssnd.len() as u32).to_be_bytes());
    body.extend(&ssnd);
    let mut out = Vec::new();
    out.extend(b"FORM");
    out.extend((body.len() as u32).to_be_bytes());
    out.extend(body);
    out
}

/// An 80-bit IEEE extended float (AIFF's sample-rate field) for a positive integer.
fn extended(x: f64) -> [u8; 10] {
    let v = x as u64;
    let exp = 63 - v.leading_zeros() as u16;
    let mant = v << (63 - exp);
    let mut out = [0u8; 10];
    out[..2].copy_from_slice(&(16383 + exp).to_be_bytes());
    out[2..].copy_from_slice(&mant.to_be_bytes());
    out
}

/// A FLAC file with 16-bit samples in VERBATIM subframes (what a minimal encoder writes).
pub fn flac16(rate: u32, channels: u16, interleaved: &[i16]) -> Vec<u8> {
    let frames = interleaved.len() / channels as usize;
    let block = 1152usize;
    let mut out = Vec::new();
    out.extend(b"fLaC");
    // STREAMINFO, the last metadata block.
    out.push(0x80);
    out.extend(&[0, 0, 34]);
    let mut si = BitWriter::default();
    si.put(block as u64, 16);
    si.put(block as u64, 16);
    si.put(0, 24);
    si.put(0, 24);
    si.put(rate as u64, 20);
    si.put(channels as u64 - 1, 3);
    si.put(15, 5);
    si.put(frames as u64, 36);
    si.put(0, 64);
    si.put(0, 64); // MD5 unknown
    out.extend(si.bytes);
    for (n, start) in (0..frames).step_by(block).enumerate() {
        let len = block.min(frames - start);
        let mut w = BitWriter::default();
        w.put(0b11_1111_1111_1110, 14); // sync
        w.put(0, 1);
        w.put(0, 1); // fixed block size
        w.put(0b0111, 4); // block size: 16-bit (len-1) at end of header
        w.put(0b0000, 4); // sample rate from STREAMINFO
        w.put(channels as u64 - 1, 4); // independent channels
        w.put(0b100, 3); // 16 bits per sample
        w.put(0, 1);
        utf8(&mut w, n as u64);
        w.put(len as u64 - 1, 16);
        let crc = crc8(&w.bytes);
        w.put(crc as u64, 8);
        for ch in 0..channels as usize {
            w.put(0, 1);
            w.put(0b000001, 6); // VERBATIM
            w.put(0, 1);
            for i in 0..len {
                w.put(
                    interleaved[(start + i) * channels as usize + ch] as u16 as u64,
                    16,
                );
            }
        }
        w.align();
        let crc = crc16(&w.bytes);
        w.put(crc as u64, 16);
        out.extend(w.bytes);
    }
    out
}

#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    nbits: u32,
}

impl BitWriter {
    fn put(&mut self, value: u64, bits: u32) {
        for i in (0..bits).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.nbits += 1;
            if self.nbits == 8 {
                self.bytes.push(self.acc as u8);
                self.acc = 0;
                self.nbits = 0;
            }
        }
    }

    fn align(&mut self) {
        while self.nbits != 0 {
            self.put(0, 1);
        }
    }
}

fn utf8(w: &mut BitWriter, n: u64) {
    if n < 0x80 {
        w.put(n, 8);
    } else if n < 0x800 {
        w.put(0xC0 | (n >> 6), 8);
        w.put(0x80 | (n & 0x3F), 8);
    } else {
        w.put(0xE0 | (n >> 12), 8);
        w.put(0x80 | ((n >> 6) & 0x3F), 8);
        w.put(0x80 | (n & 0x3F), 8);
    }
}

fn crc8(data: &[u8]) -> u8 {
    let mut crc = 0u8;
    for &b in data {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
    }
    crc
}

fn crc16(data: &[u8]) -> u16 {
    let mut crc = 0u16;
    for &b in data {
        crc ^= (b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x8005
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// A deterministic generator for tests (xorshift64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A sine of `freq` Hz at `rate` for `frames` frames, amplitude `amp`.
pub fn sine(freq: f64, rate: f64, frames: usize, amp: f64) -> Vec<f64> {
    (0..frames)
        .map(|i| amp * (std::f64::consts::TAU * freq * i as f64 / rate).sin())
        .collect()
}
