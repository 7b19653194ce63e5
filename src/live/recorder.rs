//! `--record`: a tap of what the device plays, drained by a writer thread into a WAV
//! file. The file is streamed (flat memory for a session of any length, RF64 past
//! 4 GiB) and its header is rewritten every second, so a killed session (even `kill -9`)
//! leaves a file that opens with all but the last second or so.

use kanon_runtime::wav::{Format, WavWriter};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering::*};
use std::sync::Arc;
use std::time::Duration;

/// What the recorder thread ends with: the samples written and whether the file
/// became RF64, or why it stopped.
pub type Recorded = Result<(u64, bool), String>;

/// The recording writer: drains the ring into a WAV file until told to stop.
pub fn start_recorder(
    path: &Path,
    channels: usize,
    sr: u32,
    mut rx: rtrb::Consumer<f32>,
    stop: Arc<AtomicBool>,
) -> Result<std::thread::JoinHandle<Recorded>, String> {
    let mut w =
        WavWriter::create(path, channels, sr, Format::F32).map_err(|e| format!("error: {e}"))?;
    Ok(std::thread::spawn(move || {
        let mut buf = vec![0f32; 1 << 14];
        let mut n = 0u64;
        // Samples of an unfinished frame, carried to the next write (the writer takes
        // whole frames).
        let mut partial = 0usize;
        loop {
            let done = stop.load(Acquire);
            let got = {
                let (filled, _) = rx.pop_partial_slice(&mut buf[partial..]);
                filled.len()
            };
            let have = partial + got;
            let whole = have - have % channels;
            // Also when empty: the writer rewrites the header when a second has passed.
            w.write(&buf[..whole])?;
            buf.copy_within(whole..have, 0);
            partial = have - whole;
            n += whole as u64;
            if got == 0 {
                if done {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let rf64 = w.finalize()?;
        Ok((n, rf64))
    }))
}
