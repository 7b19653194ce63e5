//! `--record`: a tap of what the device plays, drained by a writer thread into a WAV
//! file.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::sync::Arc;
use std::time::Duration;

/// The recording writer: drains the ring into a WAV file until told to stop.
pub fn start_recorder(
    path: &Path,
    channels: usize,
    sr: u32,
    mut rx: rtrb::Consumer<f32>,
    stop: Arc<AtomicBool>,
) -> Result<std::thread::JoinHandle<Result<u64, String>>, String> {
    let spec = hound::WavSpec {
        channels: channels as u16,
        sample_rate: sr,
        bits_per_sample: 32,
        sample_format: hound::SampleFormat::Float,
    };
    let mut w = hound::WavWriter::create(path, spec)
        .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
    let name = path.display().to_string();
    Ok(std::thread::spawn(move || {
        let mut buf = vec![0f32; 1 << 14];
        let mut n = 0u64;
        loop {
            let done = stop.load(Acquire);
            let got = {
                let (filled, _) = rx.pop_partial_slice(&mut buf);
                filled.len()
            };
            for &x in &buf[..got] {
                w.write_sample(x).map_err(|e| format!("{name}: {e}"))?;
            }
            n += got as u64;
            if got == 0 {
                if done {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        w.finalize().map_err(|e| format!("{name}: {e}"))?;
        Ok(n)
    }))
}
