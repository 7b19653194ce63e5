//! The audio side of the scope: a ring sized for the scope, and a whole-frame push.
//!
//! The audio thread copies its interleaved output into an [`rtrb::Producer<f32>`]; the
//! scope server drains the other end. When the ring is full (no server, or a stalled
//! one), frames are dropped on the audio side: the sound never waits for the scope.

use rtrb::{Consumer, Producer, RingBuffer};

/// How much audio the ring holds, in seconds: the server drains every few milliseconds,
/// so this only has to cover a scheduling hiccup of the drain thread on a busy machine.
pub const RING_SECONDS: f64 = 0.25;

/// Makes a ring for `channels` interleaved channels at `sample_rate`, holding
/// [`RING_SECONDS`] of audio (at least 4096 frames), its length a whole number of frames.
///
/// Call this outside the audio thread (it allocates). `channels` of 0 is treated as 1.
pub fn ring(channels: usize, sample_rate: u32) -> (Producer<f32>, Consumer<f32>) {
    let channels = channels.max(1);
    let frames = ((sample_rate as f64 * RING_SECONDS) as usize).max(4096);
    RingBuffer::new(frames * channels)
}

/// Pushes as many *whole* frames of `interleaved` as fit and drops the rest; returns the
/// number of frames pushed.
///
/// For the audio thread: no allocation, no lock, no syscall (two atomic loads and one
/// store). Pushing whole frames only keeps the ring aligned, so a reader never sees
/// channels shift when frames are dropped. A trailing partial frame in `interleaved` is
/// ignored; `channels` of 0 pushes nothing.
pub fn push_frames(producer: &mut Producer<f32>, interleaved: &[f32], channels: usize) -> usize {
    if channels == 0 {
        return 0;
    }
    let frames = (interleaved.len() / channels).min(producer.slots() / channels);
    if frames == 0 {
        return 0;
    }
    // The consumer can only free slots, never take them: `frames` still fits.
    match producer.push_entire_slice(&interleaved[..frames * channels]) {
        Ok(()) => frames,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_holds_whole_frames() {
        let (p, _c) = ring(3, 48_000);
        assert_eq!(p.buffer().capacity(), 12_000 * 3);
        let (p, _c) = ring(2, 8_000);
        assert_eq!(p.buffer().capacity(), 4096 * 2);
        let (p, _c) = ring(0, 48_000);
        assert_eq!(p.buffer().capacity(), 12_000);
    }

    #[test]
    fn pushes_only_whole_frames_and_drops_the_rest() {
        let (mut p, mut c) = RingBuffer::<f32>::new(8);
        let data: Vec<f32> = (0..9).map(|i| i as f32).collect();
        // 9 samples of 3 channels, 8 slots: two frames fit, the third is dropped whole.
        assert_eq!(push_frames(&mut p, &data, 3), 2);
        assert_eq!(p.slots(), 2);
        // Two free slots are less than a frame: nothing is pushed.
        assert_eq!(push_frames(&mut p, &data, 3), 0);
        let got: Vec<f32> = std::iter::from_fn(|| c.pop().ok()).collect();
        assert_eq!(got, [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
    }

    #[test]
    fn partial_trailing_frame_and_zero_channels() {
        let (mut p, mut c) = RingBuffer::<f32>::new(16);
        assert_eq!(push_frames(&mut p, &[1.0, 2.0, 3.0], 2), 1);
        assert_eq!(push_frames(&mut p, &[1.0, 2.0], 0), 0);
        assert_eq!(c.slots(), 2);
        assert_eq!(c.pop(), Ok(1.0));
        assert_eq!(c.pop(), Ok(2.0));
    }

    #[test]
    fn alignment_survives_overflow() {
        // Capacity not a multiple of the frame, reads of odd sizes, frequent overflow:
        // the stream read back is still 1,2,3,1,2,3,... sample for sample.
        let (mut p, mut c) = RingBuffer::<f32>::new(10);
        let frames = [1.0, 2.0, 3.0, 1.0, 2.0, 3.0];
        let mut index = 0usize;
        let mut dropped = 0usize;
        for round in 0..1000 {
            dropped += 2 - push_frames(&mut p, &frames, 3);
            let take = (round * 7 + 1) % 5;
            for _ in 0..take.min(c.slots()) {
                let v = c.pop().unwrap();
                assert_eq!(v, (index % 3 + 1) as f32, "sample {index}");
                index += 1;
            }
        }
        assert!(dropped > 0, "the test must overflow the ring");
        assert!(index > 1000);
    }
}
