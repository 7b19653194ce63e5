//! Taps: copies of what the engine plays, streamed off the audio thread through
//! lock-free rings (a recording, a scope). The audio side pushes what fits and counts
//! what does not, so a slow reader never holds up the sound.

use rtrb::Producer;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;

/// Most taps an engine feeds at once.
pub const MAX_TAPS: usize = 8;

/// Which signal a tap copies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TapSource {
    /// What the device plays (after channel mapping, crossfade and limiter), device
    /// channels per frame: a recording.
    Output,
    /// The running program's tapped values, exactly `width` per frame (missing ones are
    /// 0, extra ones dropped), whole frames only, so the stream keeps its shape across
    /// edits and overflows.
    Program { width: usize },
    /// The running program's own output channels before they are mapped onto the
    /// device (`o1`, `o2`, `o3` even on a stereo device), exactly `width` per frame
    /// (missing ones are 0, extra ones dropped), whole frames only: a scope.
    Outputs { width: usize },
}

/// A tap as the audio side holds it.
pub(crate) struct Tap {
    pub id: u64,
    pub source: TapSource,
    ring: Producer<f32>,
    dropped: Arc<AtomicU64>,
}

/// The control side's view of a tap: its id (to remove it) and its loss counter.
#[derive(Clone, Debug)]
pub struct TapInfo {
    /// Names the tap for [`crate::EngineHandle::remove_tap`].
    pub id: u64,
    dropped: Arc<AtomicU64>,
}

impl TapInfo {
    /// Samples the ring had no room for so far.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Relaxed)
    }
}

impl Tap {
    /// A tap of `source` into `ring`, and its control-side view.
    pub fn new(id: u64, source: TapSource, ring: Producer<f32>) -> (Box<Tap>, TapInfo) {
        let dropped = Arc::new(AtomicU64::new(0));
        let info = TapInfo {
            id,
            dropped: dropped.clone(),
        };
        (
            Box::new(Tap {
                id,
                source,
                ring,
                dropped,
            }),
            info,
        )
    }

    /// The ring, for a tap that was never sent.
    pub fn into_ring(self) -> Producer<f32> {
        self.ring
    }

    /// Pushes as many whole frames of `width` values as fit and counts the rest as
    /// dropped, so a reader never sees channels shift. Audio thread.
    pub fn push_frames(&mut self, samples: &[f32], width: usize) {
        let width = width.max(1);
        let fit = (self.ring.slots() / width * width).min(samples.len() / width * width);
        let (_, rest) = self.ring.push_partial_slice(&samples[..fit]);
        let lost = samples.len() - fit + rest.len();
        if lost > 0 {
            self.dropped.fetch_add(lost as u64, Relaxed);
        }
    }

    /// Pushes `frames` frames of `have` values each, reshaped to `width`, whole frames
    /// only (what does not fit is dropped and counted). Audio thread.
    pub fn push_reshaped(&mut self, values: &[f32], have: usize, frames: usize, width: usize) {
        if have == width {
            return self.push_frames(&values[..frames * width], width);
        }
        let fit = frames.min(self.ring.slots() / width.max(1));
        for f in 0..fit {
            for k in 0..width {
                let v = if k < have { values[f * have + k] } else { 0.0 };
                let _ = self.ring.push(v);
            }
        }
        let lost = (frames - fit) * width;
        if lost > 0 {
            self.dropped.fetch_add(lost as u64, Relaxed);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A full ring drops whole frames, never part of one: what the reader gets stays
    /// aligned to the channels whatever overflowed before.
    #[test]
    fn an_overflowing_ring_drops_whole_frames() {
        let (tx, mut rx) = rtrb::RingBuffer::<f32>::new(7);
        let (mut tap, info) = Tap::new(1, TapSource::Program { width: 3 }, tx);
        // Two frames of two values, reshaped to three: 6 values fit in 7 slots.
        tap.push_reshaped(&[1.0, 2.0, 3.0, 4.0], 2, 2, 3);
        assert_eq!(info.dropped(), 0);
        // One slot left: the next frame does not fit and is dropped whole.
        tap.push_reshaped(&[5.0, 6.0], 2, 1, 3);
        assert_eq!(info.dropped(), 3);
        let got: Vec<f32> = std::iter::from_fn(|| rx.pop().ok()).collect();
        assert_eq!(got, [1.0, 2.0, 0.0, 3.0, 4.0, 0.0]);
        // The same through the same-width path.
        tap.push_frames(&[7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0], 3);
        assert_eq!(info.dropped(), 6);
        let got: Vec<f32> = std::iter::from_fn(|| rx.pop().ok()).collect();
        assert_eq!(got, [7.0, 8.0, 9.0, 10.0, 11.0, 12.0]);
    }
}
