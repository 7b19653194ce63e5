//! The sample store: decoded sample memory and the `#[repr(C)]` table the audio thread
//! reads it through.
//!
//! Ids are handed out on the control side and never change or get reused while the store
//! lives; each id's data is published once (release store of its pointer) and read with
//! an acquire load, so the audio side needs no lock. Sample memory is freed only when the
//! store itself is dropped, which the owner must do only after the audio thread has
//! stopped reading the table.
//!
//! # Layout (what the audio side sees through `*const SampleTable`)
//!
//! ```text
//! SampleTable (32 bytes, align 8)
//!   0  sample_rate: f64          session rate every sample is stored at
//!   8  capacity:    u64          number of slots (ids 0..capacity)
//!  16  slots:       *const SampleSlot
//!  24  missed:      AtomicU64    triggers that named an id with no data (yet)
//!
//! SampleSlot (24 bytes, align 8), at slots + 24·id
//!   0  data:     AtomicPtr<f32>  interleaved frames; null until published
//!   8  frames:   AtomicU64       frames in data
//!  16  channels: AtomicU32       1 or 2
//!  20  reserved: u32             0
//! ```
//!
//! A reader loads `data` with acquire ordering; if it is not null, `frames` and
//! `channels` (written before the release store of `data`) are valid and never change.
//! Every stored sample is finite and within ±[`MAX_LEVEL`].

use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The largest sample magnitude stored (+36 dBFS): [`SampleStore::publish`] clamps to it
/// and replaces NaN and infinities by 0, so voices can never produce a non-finite value.
pub const MAX_LEVEL: f32 = 64.0;

/// A stable sample id: an index into the [`SampleTable`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(transparent)]
pub struct SampleId(pub u32);

/// One published sample (see the module docs for the byte layout).
#[repr(C)]
#[derive(Debug)]
pub struct SampleSlot {
    data: AtomicPtr<f32>,
    frames: AtomicU64,
    channels: AtomicU32,
    reserved: u32,
}

/// The table the audio thread reads samples through (see the module docs for the layout).
#[repr(C)]
#[derive(Debug)]
pub struct SampleTable {
    /// The session sample rate, in Hz.
    pub sample_rate: f64,
    /// The number of slots.
    pub capacity: u64,
    /// The first of `capacity` slots.
    pub slots: *const SampleSlot,
    /// Triggers that named an id whose data was not published (yet).
    pub missed: AtomicU64,
}

// SAFETY: the slots are atomics and the data they point to is immutable once published
// and lives as long as the owning `SampleStore`; the raw pointer is only a view of it.
unsafe impl Send for SampleTable {}
// SAFETY: as above; every shared access goes through atomics or immutable data.
unsafe impl Sync for SampleTable {}

/// A published sample as the audio thread sees it.
#[derive(Clone, Copy, Debug)]
pub struct SampleView<'a> {
    /// Interleaved frames.
    pub data: &'a [f32],
    /// Channels per frame (1 or 2).
    pub channels: usize,
}

impl SampleView<'_> {
    /// The number of frames.
    pub fn frames(&self) -> usize {
        self.data.len() / self.channels
    }
}

impl SampleTable {
    /// The sample published under `id`, if any. Lock-free, allocation-free (audio thread).
    #[inline]
    pub fn get(&self, id: u32) -> Option<SampleView<'_>> {
        if id as u64 >= self.capacity || self.slots.is_null() {
            return None;
        }
        // SAFETY: id < capacity and `slots` points to `capacity` live slots.
        let slot = unsafe { &*self.slots.add(id as usize) };
        let data = slot.data.load(Ordering::Acquire);
        if data.is_null() {
            return None;
        }
        let frames = slot.frames.load(Ordering::Relaxed) as usize;
        let channels = slot.channels.load(Ordering::Relaxed) as usize;
        // SAFETY: the acquire load above synchronises with the release store in
        // `publish`, after which `data` points to `frames * channels` immutable floats
        // owned by the store for its whole life.
        let data = unsafe { std::slice::from_raw_parts(data, frames * channels) };
        Some(SampleView { data, channels })
    }

    /// Counts a trigger that found no data (audio thread: one relaxed atomic add).
    #[inline]
    pub fn note_missed(&self) {
        self.missed.fetch_add(1, Ordering::Relaxed);
    }
}

/// Why a sample could not be published.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The id was never reserved.
    UnknownId(SampleId),
    /// The id already has data (ids are written once).
    AlreadyPublished(SampleId),
    /// Channels other than 1 or 2, or data that is not whole frames or is empty.
    BadShape,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::UnknownId(id) => write!(f, "sample id {} was never reserved", id.0),
            StoreError::AlreadyPublished(id) => write!(f, "sample id {} already has data", id.0),
            StoreError::BadShape => {
                write!(f, "sample data must be whole frames of 1 or 2 channels")
            }
        }
    }
}

impl std::error::Error for StoreError {}

/// Owns the table and every published sample (control side).
#[derive(Debug)]
pub struct SampleStore {
    table: Box<SampleTable>,
    slots: Box<[SampleSlot]>,
    next: AtomicUsize,
    /// Published buffers, kept alive (never moved: the boxes' contents stay put).
    memory: Mutex<Vec<Box<[f32]>>>,
}

impl SampleStore {
    /// A store with room for `capacity` ids, for samples at `sample_rate` Hz.
    pub fn new(sample_rate: f64, capacity: usize) -> Arc<SampleStore> {
        let slots: Box<[SampleSlot]> = (0..capacity)
            .map(|_| SampleSlot {
                data: AtomicPtr::new(std::ptr::null_mut()),
                frames: AtomicU64::new(0),
                channels: AtomicU32::new(0),
                reserved: 0,
            })
            .collect();
        let table = Box::new(SampleTable {
            sample_rate,
            capacity: capacity as u64,
            slots: slots.as_ptr(),
            missed: AtomicU64::new(0),
        });
        Arc::new(SampleStore {
            table,
            slots,
            next: AtomicUsize::new(0),
            memory: Mutex::new(Vec::new()),
        })
    }

    /// Reserves `count` consecutive ids, or `None` when the table is full.
    pub fn reserve(&self, count: usize) -> Option<SampleId> {
        let mut current = self.next.load(Ordering::Relaxed);
        loop {
            let end = current.checked_add(count)?;
            if end > self.slots.len() || end > u32::MAX as usize {
                return None;
            }
            match self.next.compare_exchange_weak(
                current,
                end,
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => return Some(SampleId(current as u32)),
                Err(seen) => current = seen,
            }
        }
    }

    /// Ids reserved so far.
    pub fn reserved(&self) -> usize {
        self.next.load(Ordering::Relaxed)
    }

    /// Publishes interleaved `data` of `channels` (1 or 2) under a reserved, empty `id`.
    pub fn publish(&self, id: SampleId, data: Vec<f32>, channels: usize) -> Result<(), StoreError> {
        if id.0 as usize >= self.reserved() {
            return Err(StoreError::UnknownId(id));
        }
        if !(1..=2).contains(&channels) || data.is_empty() || !data.len().is_multiple_of(channels) {
            return Err(StoreError::BadShape);
        }
        let slot = &self.slots[id.0 as usize];
        // The lock also serialises publishers of the same id.
        let mut memory = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        if !slot.data.load(Ordering::Relaxed).is_null() {
            return Err(StoreError::AlreadyPublished(id));
        }
        // The audio side relies on every sample being finite and at most MAX_LEVEL.
        let mut boxed = data.into_boxed_slice();
        for x in boxed.iter_mut() {
            *x = if x.is_finite() {
                x.clamp(-MAX_LEVEL, MAX_LEVEL)
            } else {
                0.0
            };
        }
        let ptr = boxed.as_mut_ptr();
        slot.frames
            .store((boxed.len() / channels) as u64, Ordering::Relaxed);
        slot.channels.store(channels as u32, Ordering::Relaxed);
        memory.push(boxed);
        slot.data.store(ptr, Ordering::Release);
        Ok(())
    }

    /// The table, for reading on this side.
    pub fn table(&self) -> &SampleTable {
        &self.table
    }

    /// The table's address, for the audio side; valid as long as this store lives.
    pub fn table_ptr(&self) -> *const SampleTable {
        &*self.table
    }

    /// Whether `id` has data.
    pub fn is_published(&self, id: SampleId) -> bool {
        self.table.get(id.0).is_some()
    }

    /// Triggers so far that named an id with no data.
    pub fn missed(&self) -> u64 {
        self.table.missed.load(Ordering::Relaxed)
    }

    /// Bytes of sample memory held.
    pub fn memory_bytes(&self) -> usize {
        let memory = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        memory.iter().map(|b| b.len() * 4).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_as_documented() {
        assert_eq!(std::mem::size_of::<SampleTable>(), 32);
        assert_eq!(std::mem::size_of::<SampleSlot>(), 24);
        assert_eq!(std::mem::offset_of!(SampleTable, sample_rate), 0);
        assert_eq!(std::mem::offset_of!(SampleTable, capacity), 8);
        assert_eq!(std::mem::offset_of!(SampleTable, slots), 16);
        assert_eq!(std::mem::offset_of!(SampleTable, missed), 24);
        assert_eq!(std::mem::offset_of!(SampleSlot, data), 0);
        assert_eq!(std::mem::offset_of!(SampleSlot, frames), 8);
        assert_eq!(std::mem::offset_of!(SampleSlot, channels), 16);
    }

    #[test]
    fn publish_once_and_read_back() {
        let store = SampleStore::new(48_000.0, 4);
        let id = store.reserve(2).unwrap();
        assert_eq!(id, SampleId(0));
        assert!(store.table().get(0).is_none());
        store.publish(id, vec![0.5, -0.5, 0.25, 0.0], 2).unwrap();
        store
            .publish(SampleId(1), vec![f32::NAN, f32::INFINITY, -1e9, 3.0], 1)
            .unwrap();
        assert_eq!(
            store.table().get(1).unwrap().data,
            &[0.0, 0.0, -MAX_LEVEL, 3.0]
        );
        let view = store.table().get(0).unwrap();
        assert_eq!(view.channels, 2);
        assert_eq!(view.frames(), 2);
        assert_eq!(view.data, &[0.5, -0.5, 0.25, 0.0]);
        assert_eq!(
            store.publish(id, vec![1.0], 1),
            Err(StoreError::AlreadyPublished(id))
        );
        assert_eq!(
            store.publish(SampleId(3), vec![1.0], 1),
            Err(StoreError::UnknownId(SampleId(3)))
        );
        let other = store.reserve(1).unwrap();
        assert_eq!(
            store.publish(other, vec![1.0], 3),
            Err(StoreError::BadShape)
        );
        assert_eq!(store.publish(other, vec![], 1), Err(StoreError::BadShape));
        assert_eq!(
            store.publish(other, vec![1.0, 2.0, 3.0], 2),
            Err(StoreError::BadShape)
        );
        assert_eq!(store.memory_bytes(), 32);
    }

    #[test]
    fn capacity_is_fixed() {
        let store = SampleStore::new(48_000.0, 3);
        assert_eq!(store.reserve(2), Some(SampleId(0)));
        assert_eq!(store.reserve(2), None);
        assert_eq!(store.reserve(1), Some(SampleId(2)));
        assert_eq!(store.reserve(1), None);
        assert!(store.table().get(7).is_none());
    }

    #[test]
    fn readers_on_other_threads_see_whole_samples() {
        let store = SampleStore::new(48_000.0, 64);
        let first = store.reserve(64).unwrap();
        let reader = {
            let store = Arc::clone(&store);
            std::thread::spawn(move || {
                let mut seen = 0;
                while seen < 64 {
                    seen = 0;
                    for id in 0..64 {
                        if let Some(v) = store.table().get(id) {
                            assert_eq!(v.frames(), id as usize + 1);
                            assert!(v.data.iter().all(|&x| x == id as f32));
                            seen += 1;
                        }
                    }
                }
            })
        };
        for i in 0..64u32 {
            let id = SampleId(first.0 + i);
            store
                .publish(id, vec![i as f32; i as usize + 1], 1)
                .unwrap();
        }
        reader.join().unwrap();
    }
}
