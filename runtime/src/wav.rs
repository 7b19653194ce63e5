//! Writing WAV files as a stream, in blocks, with flat memory in the length.
//!
//! The header is plain: IEEE float (format 3, with its `fact` chunk) or PCM (format 1)
//! for one or two channels, `WAVE_FORMAT_EXTENSIBLE` only for more channels, where a
//! channel mask is needed. It starts with a 28-byte `JUNK` chunk, the room an RF64
//! `ds64` chunk needs (EBU Tech 3306): a file that grows past the RIFF limit (4 GiB) is
//! turned into RF64 in place, its sizes in `ds64`. Readers that only know RIFF skip the
//! `JUNK` chunk.
//!
//! The header is rewritten with the sizes so far at most every [`HEADER_EVERY`] of wall
//! time (and at the end), after the data before it has been handed to the OS: a process
//! killed mid-write leaves a file that opens, holding everything up to the last rewrite.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How often a growing file's header is brought up to date.
pub const HEADER_EVERY: Duration = Duration::from_secs(1);

/// The largest RIFF size field (the file's length less 8 bytes); above it, RF64.
pub const RIFF_LIMIT: u64 = u32::MAX as u64;

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

impl Format {
    /// Bytes per sample.
    pub fn bytes(self) -> usize {
        match self {
            Format::F32 => 4,
            Format::S16 => 2,
            Format::S24 => 3,
        }
    }
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

const JUNK_LEN: usize = 28;
const KSDATAFORMAT_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

/// A WAV file being written, block by block.
pub struct WavWriter {
    out: BufWriter<File>,
    path: PathBuf,
    channels: u16,
    sample_rate: u32,
    format: Format,
    /// Data bytes written so far.
    data: u64,
    /// Above this RIFF size, the file is RF64 (a parameter so a test can set it small).
    limit: u64,
    header_len: u64,
    last_header: Instant,
    every: Duration,
}

impl WavWriter {
    /// Creates `path` for `channels` channels at `sample_rate` Hz.
    pub fn create(
        path: &Path,
        channels: usize,
        sample_rate: u32,
        format: Format,
    ) -> Result<WavWriter, String> {
        Self::with_limit(path, channels, sample_rate, format, RIFF_LIMIT)
    }

    /// [`WavWriter::create`] with another RIFF size limit (tests use a small one).
    pub fn with_limit(
        path: &Path,
        channels: usize,
        sample_rate: u32,
        format: Format,
        limit: u64,
    ) -> Result<WavWriter, String> {
        let channels = u16::try_from(channels)
            .ok()
            .filter(|&c| c > 0)
            .ok_or_else(|| format!("a WAV file holds 1 to 65535 channels, not {channels}"))?;
        if sample_rate == 0 {
            return Err("a WAV file needs a sample rate above 0 Hz".into());
        }
        let byte_rate = u64::from(sample_rate) * u64::from(channels) * format.bytes() as u64;
        if byte_rate > u64::from(u32::MAX) {
            return Err(format!(
                "{channels} channels at {sample_rate} Hz is more bytes per second than a WAV header holds"
            ));
        }
        let file =
            File::create(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        let mut w = WavWriter {
            out: BufWriter::with_capacity(1 << 16, file),
            path: path.to_path_buf(),
            channels,
            sample_rate,
            format,
            data: 0,
            limit: limit.min(RIFF_LIMIT),
            // Its true length is known once a header has been built (sizes do not change it).
            header_len: 8,
            last_header: Instant::now(),
            every: HEADER_EVERY,
        };
        w.header_len = w.header().len() as u64;
        let header = w.header();
        w.out.write_all(&header).map_err(|e| w.err(e))?;
        w.out.flush().map_err(|e| w.err(e))?;
        Ok(w)
    }

    /// Rewrites the header at most this often while writing (default [`HEADER_EVERY`]).
    pub fn header_every(mut self, every: Duration) -> WavWriter {
        self.every = every;
        self
    }

    fn err(&self, e: std::io::Error) -> String {
        format!("cannot write {}: {e}", self.path.display())
    }

    fn frame_bytes(&self) -> u64 {
        u64::from(self.channels) * self.format.bytes() as u64
    }

    /// Whether the sizes no longer fit RIFF fields (the file is RF64).
    pub fn is_rf64(&self) -> bool {
        self.riff_size() > self.limit
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.data / self.frame_bytes()
    }

    fn riff_size(&self) -> u64 {
        // The size field counts everything after itself, with the data's pad byte.
        self.header_len - 8 + self.data + (self.data & 1)
    }

    fn extensible(&self) -> bool {
        self.channels > 2
    }

    /// The header for the data written so far.
    fn header(&self) -> Vec<u8> {
        let rf64 = self.is_rf64();
        let frames = self.frames();
        let float = self.format == Format::F32;
        let bits = (self.format.bytes() * 8) as u16;
        let block_align = self.channels * self.format.bytes() as u16;
        let clamp32 = |v: u64| if rf64 { u32::MAX } else { v as u32 };
        let mut h = Vec::with_capacity(100);
        h.extend_from_slice(if rf64 { b"RF64" } else { b"RIFF" });
        h.extend_from_slice(&clamp32(self.riff_size()).to_le_bytes());
        h.extend_from_slice(b"WAVE");
        if rf64 {
            h.extend_from_slice(b"ds64");
            h.extend_from_slice(&(JUNK_LEN as u32).to_le_bytes());
            h.extend_from_slice(&self.riff_size().to_le_bytes());
            h.extend_from_slice(&self.data.to_le_bytes());
            h.extend_from_slice(&frames.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes()); // no table of other chunk sizes
        } else {
            h.extend_from_slice(b"JUNK");
            h.extend_from_slice(&(JUNK_LEN as u32).to_le_bytes());
            h.extend_from_slice(&[0; JUNK_LEN]);
        }
        h.extend_from_slice(b"fmt ");
        let tag: u16 = match (self.extensible(), float) {
            (true, _) => 0xFFFE,
            (false, true) => 3,
            (false, false) => 1,
        };
        let fmt_len: u32 = match tag {
            0xFFFE => 40,
            3 => 18,
            _ => 16,
        };
        h.extend_from_slice(&fmt_len.to_le_bytes());
        h.extend_from_slice(&tag.to_le_bytes());
        h.extend_from_slice(&self.channels.to_le_bytes());
        h.extend_from_slice(&self.sample_rate.to_le_bytes());
        h.extend_from_slice(&(self.sample_rate * u32::from(block_align)).to_le_bytes()); // checked in `create`
        h.extend_from_slice(&block_align.to_le_bytes());
        h.extend_from_slice(&bits.to_le_bytes());
        if tag == 3 {
            h.extend_from_slice(&0u16.to_le_bytes()); // no extra format bytes
        }
        if tag == 0xFFFE {
            h.extend_from_slice(&22u16.to_le_bytes());
            h.extend_from_slice(&bits.to_le_bytes()); // valid bits
                                                      // Front left, right, centre, ... as far as the mask names speakers (18);
                                                      // further channels have no position.
            let mask: u32 = if self.channels >= 18 {
                (1 << 18) - 1
            } else {
                (1u32 << self.channels) - 1
            };
            h.extend_from_slice(&mask.to_le_bytes());
            h.extend_from_slice(&(if float { 3u16 } else { 1u16 }).to_le_bytes());
            h.extend_from_slice(&KSDATAFORMAT_TAIL);
        }
        if float {
            h.extend_from_slice(b"fact");
            h.extend_from_slice(&4u32.to_le_bytes());
            h.extend_from_slice(&clamp32(frames).to_le_bytes());
        }
        h.extend_from_slice(b"data");
        h.extend_from_slice(&clamp32(self.data).to_le_bytes());
        h
    }

    /// Appends interleaved samples (whole frames).
    pub fn write(&mut self, samples: &[f32]) -> Result<(), String> {
        debug_assert_eq!(samples.len() % usize::from(self.channels), 0);
        let scale = |x: f32, max: f32| (x.clamp(-1.0, 1.0) * max).round() as i32;
        let r = samples.iter().try_for_each(|&x| match self.format {
            Format::F32 => self.out.write_all(&x.to_le_bytes()),
            Format::S16 => self
                .out
                .write_all(&(scale(x, 32767.0) as i16).to_le_bytes()),
            Format::S24 => self
                .out
                .write_all(&scale(x, 8_388_607.0).to_le_bytes()[..3]),
        });
        r.map_err(|e| self.err(e))?;
        self.data += (samples.len() * self.format.bytes()) as u64;
        if self.last_header.elapsed() >= self.every {
            self.update_header()?;
        }
        Ok(())
    }

    /// Hands what was written to the OS and rewrites the header with the sizes so far:
    /// from here on, the file opens with everything written up to now.
    pub fn update_header(&mut self) -> Result<(), String> {
        self.last_header = Instant::now();
        let header = self.header();
        debug_assert_eq!(header.len() as u64, self.header_len);
        let r = (|| {
            self.out.flush()?;
            let f = self.out.get_mut();
            f.seek(SeekFrom::Start(0))?;
            f.write_all(&header)?;
            f.seek(SeekFrom::End(0))?;
            Ok(())
        })();
        r.map_err(|e| self.err(e))
    }

    /// Pads the data to an even length, writes the final header and closes the file.
    /// Returns whether it is RF64.
    pub fn finalize(mut self) -> Result<bool, String> {
        if self.data & 1 == 1 {
            self.out.write_all(&[0]).map_err(|e| self.err(e))?;
        }
        self.update_header()?;
        self.out
            .get_ref()
            .sync_data()
            .map_err(|e| format!("cannot write {}: {e}", self.path.display()))?;
        Ok(self.is_rf64())
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
    let mut w = WavWriter::create(path, channels, sample_rate, format)?;
    for chunk in samples.chunks(4096 * channels.max(1)) {
        w.write(chunk)?;
    }
    w.finalize().map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("kanon-wav-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.join(name)
    }

    fn u32_at(b: &[u8], i: usize) -> u32 {
        u32::from_le_bytes(b[i..i + 4].try_into().unwrap())
    }

    fn u64_at(b: &[u8], i: usize) -> u64 {
        u64::from_le_bytes(b[i..i + 8].try_into().unwrap())
    }

    /// The chunks of a RIFF or RF64 file: (id, offset of the body, size from the field).
    fn chunks(b: &[u8]) -> Vec<([u8; 4], usize, u64)> {
        let mut v = Vec::new();
        let mut i = 12;
        while i + 8 <= b.len() {
            let id: [u8; 4] = b[i..i + 4].try_into().unwrap();
            let n = u64::from(u32_at(b, i + 4));
            v.push((id, i + 8, n));
            if &id == b"data" {
                break;
            }
            i += 8 + n as usize + (n & 1) as usize;
        }
        v
    }

    fn ramp(n: usize) -> Vec<f32> {
        (0..n).map(|i| (i as f32 * 0.001).sin() * 0.9).collect()
    }

    #[test]
    fn hound_reads_every_format_and_width_back() {
        for format in [Format::F32, Format::S16, Format::S24] {
            for ch in [1, 2, 3, 6] {
                let p = temp(&format!("rt-{format:?}-{ch}.wav"));
                let x = ramp(ch * 1001);
                write(&p, &x, ch, 44_100, format).unwrap();
                let mut r = hound::WavReader::open(&p).unwrap();
                let spec = r.spec();
                assert_eq!(usize::from(spec.channels), ch);
                assert_eq!(spec.sample_rate, 44_100);
                assert_eq!(r.duration(), 1001);
                let got: Vec<f32> = match format {
                    Format::F32 => r.samples::<f32>().map(Result::unwrap).collect(),
                    Format::S16 => r
                        .samples::<i16>()
                        .map(|s| f32::from(s.unwrap()) / 32767.0)
                        .collect(),
                    Format::S24 => r
                        .samples::<i32>()
                        .map(|s| s.unwrap() as f32 / 8_388_607.0)
                        .collect(),
                };
                let tol = match format {
                    Format::F32 => 0.0,
                    Format::S16 => 1.0 / 32767.0,
                    Format::S24 => 1.0 / 8_388_607.0,
                };
                assert_eq!(got.len(), x.len());
                for (a, b) in got.iter().zip(&x) {
                    assert!((a - b).abs() <= tol, "{format:?} {ch}: {a} vs {b}");
                }
                // Plain formats up to two channels, extensible above; floats say how
                // many frames they hold in `fact`.
                let b = std::fs::read(&p).unwrap();
                let c = chunks(&b);
                let (_, fmt, _) = c.iter().find(|c| &c.0 == b"fmt ").unwrap();
                let tag = u16::from_le_bytes([b[*fmt], b[fmt + 1]]);
                let want = match (ch > 2, format) {
                    (true, _) => 0xFFFE,
                    (false, Format::F32) => 3,
                    _ => 1,
                };
                assert_eq!(tag, want);
                let fact = c.iter().find(|c| &c.0 == b"fact");
                assert_eq!(fact.is_some(), format == Format::F32);
                if let Some((_, at, _)) = fact {
                    assert_eq!(u32_at(&b, *at), 1001);
                }
            }
        }
    }

    #[test]
    fn an_odd_data_length_is_padded() {
        let p = temp("odd.wav");
        write(&p, &ramp(3), 1, 8000, Format::S24).unwrap();
        let b = std::fs::read(&p).unwrap();
        assert_eq!(b.len() % 2, 0);
        assert_eq!(u32_at(&b, 4) as usize, b.len() - 8);
        let (_, _, n) = *chunks(&b).last().unwrap();
        assert_eq!(n, 9);
        assert_eq!(hound::WavReader::open(&p).unwrap().duration(), 3);
    }

    /// With the RIFF limit set small, a file that grows past it is RF64 with its true
    /// sizes in `ds64`, and its data is all there.
    #[test]
    fn past_the_limit_the_file_becomes_rf64() {
        let p = temp("rf64.wav");
        let limit = 4000;
        let mut w = WavWriter::with_limit(&p, 2, 48_000, Format::F32, limit).unwrap();
        let x = ramp(2 * 1500); // 12 000 data bytes
        for chunk in x.chunks(2 * 100) {
            w.write(chunk).unwrap();
        }
        assert!(w.is_rf64());
        assert!(w.finalize().unwrap());
        let b = std::fs::read(&p).unwrap();
        assert_eq!(&b[..4], b"RF64");
        assert_eq!(u32_at(&b, 4), u32::MAX);
        let c = chunks(&b);
        assert_eq!(&c[0].0, b"ds64");
        let ds = c[0].1;
        assert_eq!(u64_at(&b, ds), b.len() as u64 - 8);
        assert_eq!(u64_at(&b, ds + 8), 12_000);
        assert_eq!(u64_at(&b, ds + 16), 1500);
        let (_, at, n) = *c.last().unwrap();
        assert_eq!(&c.last().unwrap().0, b"data");
        assert_eq!(n, u64::from(u32::MAX));
        let data: Vec<f32> = b[at..at + 12_000]
            .chunks(4)
            .map(|q| f32::from_le_bytes(q.try_into().unwrap()))
            .collect();
        assert_eq!(data, x);
        // Under the limit, the same writer leaves a plain RIFF file.
        let q = temp("riff.wav");
        let mut w = WavWriter::with_limit(&q, 2, 48_000, Format::F32, 1 << 20).unwrap();
        w.write(&x).unwrap();
        assert!(!w.finalize().unwrap());
        assert_eq!(hound::WavReader::open(&q).unwrap().duration(), 1500);
    }

    /// Without `finalize` (a killed process), the file holds what was written up to the
    /// last header rewrite and opens.
    #[test]
    fn an_unfinished_file_opens_with_what_it_had_at_the_last_rewrite() {
        let p = temp("unfinished.wav");
        let mut w = WavWriter::create(&p, 1, 48_000, Format::F32)
            .unwrap()
            .header_every(Duration::from_secs(3600));
        // Before any rewrite: an empty but valid file.
        assert_eq!(hound::WavReader::open(&p).unwrap().duration(), 0);
        w.write(&ramp(500)).unwrap();
        w.update_header().unwrap();
        w.write(&ramp(300)).unwrap(); // not yet in the header (perhaps not on disk)
        let r = hound::WavReader::open(&p).unwrap();
        assert_eq!(r.duration(), 500);
        let got: Vec<f32> = r.into_samples().map(Result::unwrap).collect();
        assert_eq!(got, ramp(500));
        // A zero interval rewrites the header on every write.
        let mut w = w.header_every(Duration::ZERO);
        w.write(&ramp(10)).unwrap();
        assert_eq!(hound::WavReader::open(&p).unwrap().duration(), 810);
        std::mem::forget(w);
    }

    #[test]
    fn bad_widths_and_paths_are_errors() {
        let p = temp("bad.wav");
        assert!(WavWriter::create(&p, 0, 48_000, Format::F32).is_err());
        assert!(WavWriter::create(&p, 70_000, 48_000, Format::F32).is_err());
        assert!(WavWriter::create(&p, 1, 0, Format::F32).is_err());
        let e = WavWriter::create(Path::new("/nonexistent/dir/x.wav"), 1, 1, Format::F32)
            .err()
            .unwrap();
        assert!(e.starts_with("cannot write /nonexistent/dir/x.wav"), "{e}");
    }
}
