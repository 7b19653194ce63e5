//! Draining the ring: cut the interleaved stream into websocket messages and hand each
//! to every client without ever waiting for one.
//!
//! One thread owns the [`rtrb::Consumer`]. Every [`DRAIN_INTERVAL`] it takes everything
//! readable, whether or not anyone is watching, so the audio side never sees the ring
//! full for long. Frames are grouped into messages of 1/[`MESSAGES_PER_SECOND`] s of
//! audio (800 frames at 48 kHz: about 10 KB for three channels). Above
//! [`MAX_FRAMES_PER_MESSAGE`] frames per message (sample rates over ~120 kHz) only every
//! `stride`-th frame is kept: whole frames are picked rather than averaged, because an
//! XY or XYZ view must plot values that really occurred together.
//!
//! Each client has a queue of [`CLIENT_QUEUE`] messages; when it is full the message is
//! dropped for that client only (counted in [`crate::ScopeStats::dropped_messages`]).

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::Mutex;
use std::time::Duration;

use rtrb::Consumer;
use tungstenite::Bytes;

use crate::wire::{FrameHeader, HEADER_LEN};

/// Messages per second of audio: one per display frame of a 60 Hz screen.
pub const MESSAGES_PER_SECOND: u32 = 60;
/// The most frames one message carries; beyond it frames are decimated by a stride.
pub const MAX_FRAMES_PER_MESSAGE: usize = 2048;
/// Messages queued for one client before new ones are dropped for it.
pub const CLIENT_QUEUE: usize = 4;
/// How long the drain thread sleeps between two drains of the ring.
pub const DRAIN_INTERVAL: Duration = Duration::from_millis(5);

/// Counters shared by the server's threads.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub frames_drained: AtomicU64,
    pub messages: AtomicU64,
    pub dropped_messages: AtomicU64,
    pub connections: AtomicU64,
    pub open_connections: AtomicUsize,
}

/// Cuts an interleaved stream (in slices of any length, frames split anywhere) into
/// encoded messages.
pub(crate) struct Batcher {
    channels: usize,
    sample_rate: u32,
    stride: usize,
    /// Source frames per message (a multiple of `stride`).
    frames_per_message: usize,
    /// Channel index of the next sample.
    channel: usize,
    /// Source frames already taken into the message being built.
    in_message: usize,
    /// Source index of the next frame.
    next_frame: u64,
    /// Source index of the first frame of the message being built.
    first_frame: u64,
    buf: Vec<u8>,
}

impl Batcher {
    /// A batcher for `channels` (1..=[`crate::wire::MAX_CHANNELS`]) at `sample_rate` (> 0).
    pub(crate) fn new(channels: usize, sample_rate: u32) -> Batcher {
        let per_display_frame = (sample_rate as usize).div_ceil(MESSAGES_PER_SECOND as usize);
        let stride = per_display_frame
            .div_ceil(MAX_FRAMES_PER_MESSAGE)
            .clamp(1, u16::MAX as usize);
        let kept = per_display_frame.div_ceil(stride).max(1);
        let mut b = Batcher {
            channels,
            sample_rate,
            stride,
            frames_per_message: kept * stride,
            channel: 0,
            in_message: 0,
            next_frame: 0,
            first_frame: 0,
            buf: Vec::new(),
        };
        b.reset_buffer();
        b
    }

    /// Source frames per message.
    #[cfg(test)]
    pub(crate) fn frames_per_message(&self) -> usize {
        self.frames_per_message
    }

    /// Source frames per frame sent.
    #[cfg(test)]
    pub(crate) fn stride(&self) -> usize {
        self.stride
    }

    fn reset_buffer(&mut self) {
        let kept = self.frames_per_message / self.stride;
        self.buf = Vec::with_capacity(HEADER_LEN + kept * self.channels * 4);
        self.buf.resize(HEADER_LEN, 0);
        self.first_frame = self.next_frame;
    }

    /// Takes samples continuing the stream; calls `emit` with each completed message.
    pub(crate) fn push(&mut self, samples: &[f32], emit: &mut impl FnMut(Bytes)) {
        for &s in samples {
            if self.in_message.is_multiple_of(self.stride) {
                let s = if s.is_finite() { s } else { 0.0 };
                self.buf.extend_from_slice(&s.to_le_bytes());
            }
            self.channel += 1;
            if self.channel == self.channels {
                self.channel = 0;
                self.next_frame += 1;
                self.in_message += 1;
                if self.in_message == self.frames_per_message {
                    emit(self.finish());
                }
            }
        }
    }

    fn finish(&mut self) -> Bytes {
        let frame_count = (self.buf.len() - HEADER_LEN) / (self.channels * 4);
        FrameHeader {
            channels: self.channels as u16,
            stride: self.stride as u16,
            sample_rate: self.sample_rate,
            frame_count: frame_count as u32,
            first_frame: self.first_frame,
        }
        .write(&mut self.buf[..HEADER_LEN]);
        self.in_message = 0;
        let done = std::mem::take(&mut self.buf);
        self.reset_buffer();
        Bytes::from(done)
    }
}

/// The websocket clients' queues.
#[derive(Default)]
pub(crate) struct Clients {
    queues: Mutex<Vec<SyncSender<Bytes>>>,
}

impl Clients {
    /// Registers a client; its thread reads the returned queue.
    pub(crate) fn add(&self) -> Receiver<Bytes> {
        let (tx, rx) = sync_channel(CLIENT_QUEUE);
        self.lock().push(tx);
        rx
    }

    /// Clients currently registered.
    pub(crate) fn count(&self) -> usize {
        self.lock().len()
    }

    /// Offers `msg` to every client; a full queue drops it, a closed one is removed.
    pub(crate) fn broadcast(&self, msg: &Bytes, counters: &Counters) {
        self.lock().retain(|q| match q.try_send(msg.clone()) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                counters.dropped_messages.fetch_add(1, Ordering::Relaxed);
                true
            }
            Err(TrySendError::Disconnected(_)) => false,
        });
    }

    /// Drops every queue: each client thread then closes its websocket and ends.
    pub(crate) fn close_all(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<SyncSender<Bytes>>> {
        // A panicking client thread never holds this lock; recover the list regardless.
        self.queues.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The drain thread's body: runs until `stop` is set.
pub(crate) fn drain(
    mut consumer: Consumer<f32>,
    mut batcher: Batcher,
    clients: &Clients,
    counters: &Counters,
    stop: &AtomicBool,
) {
    let channels = batcher.channels as u64;
    let mut samples_total: u64 = 0;
    while !stop.load(Ordering::Acquire) {
        let n = consumer.slots();
        if n > 0 {
            // `n` slots are readable, so the chunk request cannot fail.
            if let Ok(chunk) = consumer.read_chunk(n) {
                let (a, b) = chunk.as_slices();
                let mut emit = |msg: Bytes| {
                    counters.messages.fetch_add(1, Ordering::Relaxed);
                    clients.broadcast(&msg, counters);
                };
                batcher.push(a, &mut emit);
                batcher.push(b, &mut emit);
                chunk.commit_all();
                samples_total += n as u64;
                counters
                    .frames_drained
                    .store(samples_total / channels, Ordering::Relaxed);
            }
        }
        std::thread::sleep(DRAIN_INTERVAL);
    }
    clients.close_all();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::decode_frame;
    use std::sync::Arc;

    fn collect(b: &mut Batcher, chunks: &[&[f32]]) -> Vec<Bytes> {
        let mut out = Vec::new();
        for c in chunks {
            b.push(c, &mut |m| out.push(m));
        }
        out
    }

    #[test]
    fn sixty_messages_per_second_at_common_rates() {
        for (sr, fpm, stride) in [
            (48_000, 800, 1),
            (44_100, 735, 1),
            (96_000, 1600, 1),
            (192_000, 3200, 2),
            (384_000, 6400, 4),
            (8_000, 134, 1),
            (1, 1, 1),
        ] {
            let b = Batcher::new(2, sr);
            assert_eq!((b.frames_per_message(), b.stride()), (fpm, stride), "{sr}");
        }
    }

    #[test]
    fn frames_split_anywhere_come_out_whole_and_in_order() {
        let mut b = Batcher::new(3, 120); // 2 frames per message
        let data: Vec<f32> = (0..18).map(|i| i as f32).collect();
        // Slices that split frames in the middle, as the ring's two halves may.
        let msgs = collect(&mut b, &[&data[..1], &data[1..7], &data[7..8], &data[8..]]);
        assert_eq!(msgs.len(), 3);
        for (i, m) in msgs.iter().enumerate() {
            let (h, s) = decode_frame(m).unwrap();
            assert_eq!(h.channels, 3);
            assert_eq!(h.frame_count, 2);
            assert_eq!(h.first_frame, 2 * i as u64);
            let expect: Vec<f32> = (6 * i..6 * i + 6).map(|v| v as f32).collect();
            assert_eq!(s, expect);
        }
    }

    #[test]
    fn decimation_keeps_whole_frames() {
        let mut b = Batcher::new(2, 384_000);
        let fpm = b.frames_per_message();
        let data: Vec<f32> = (0..fpm * 2).flat_map(|f| [f as f32, -(f as f32)]).collect();
        let msgs = collect(&mut b, &[&data]);
        assert_eq!(msgs.len(), 2);
        let (h, s) = decode_frame(&msgs[0]).unwrap();
        assert_eq!(decode_frame(&msgs[1]).unwrap().0.first_frame, fpm as u64);
        assert_eq!(h.stride, 4);
        assert_eq!(h.frame_count as usize, fpm / 4);
        for (k, f) in s.chunks(2).enumerate() {
            // Frame k of the message is source frame 4k, both channels from that frame.
            assert_eq!(f, [(4 * k) as f32, -((4 * k) as f32)]);
        }
    }

    #[test]
    fn non_finite_samples_are_sent_as_zero() {
        let mut b = Batcher::new(1, 60 * 4);
        let msgs = collect(&mut b, &[&[f32::NAN, f32::INFINITY, -f32::INFINITY, 0.5]]);
        let (_, s) = decode_frame(&msgs[0]).unwrap();
        assert_eq!(s, [0.0, 0.0, 0.0, 0.5]);
    }

    #[test]
    fn slow_clients_lose_messages_fast_ones_keep_them() {
        let clients = Clients::default();
        let counters = Counters::default();
        let fast = clients.add();
        let _slow = clients.add(); // never read
        let gone = clients.add();
        drop(gone);
        for i in 0..10u8 {
            clients.broadcast(&Bytes::from(vec![i]), &counters);
            assert_eq!(fast.try_recv().unwrap()[0], i);
        }
        assert_eq!(clients.count(), 2, "the closed client is removed");
        assert_eq!(
            counters.dropped_messages.load(Ordering::Relaxed),
            10 - CLIENT_QUEUE as u64
        );
        clients.close_all();
        assert!(fast.recv().is_err(), "closing ends every client's queue");
    }

    #[test]
    fn drain_empties_the_ring_without_clients_and_stops() {
        let (mut p, c) = rtrb::RingBuffer::<f32>::new(4096);
        let clients = Arc::new(Clients::default());
        let counters = Arc::new(Counters::default());
        let stop = Arc::new(AtomicBool::new(false));
        let t = {
            let (clients, counters, stop) = (clients.clone(), counters.clone(), stop.clone());
            std::thread::spawn(move || {
                drain(c, Batcher::new(2, 48_000), &clients, &counters, &stop)
            })
        };
        // Push far more than the ring holds; it only fits if the drain keeps up.
        let frame = [0.25f32, -0.25];
        let mut pushed = 0;
        while pushed < 20_000 {
            pushed += crate::tap::push_frames(&mut p, &frame, 2);
            std::thread::yield_now();
        }
        while counters.frames_drained.load(Ordering::Relaxed) < 20_000 {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(p.slots(), 4096, "drained to empty");
        assert_eq!(counters.messages.load(Ordering::Relaxed), 20_000 / 800);
        stop.store(true, Ordering::Release);
        t.join().unwrap();
    }
}
