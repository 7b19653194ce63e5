//! The background loader: worker threads that decode, resample and publish one file per
//! job, and report what happened as data.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::decode::{decode_file, DecodeError, Limits};
use crate::resample::resample;
use crate::store::{SampleId, SampleStore};

/// One file to load into one id.
#[derive(Debug)]
pub(crate) struct Job {
    pub id: SampleId,
    pub sound: String,
    pub index: usize,
    pub path: PathBuf,
}

/// What happened to one file (drained by [`crate::Library::drain_events`]).
#[derive(Clone, Debug, PartialEq)]
pub enum LoadEvent {
    /// The file was decoded and is playable.
    Loaded {
        /// The sound's name.
        sound: String,
        /// The file's index in its folder.
        index: usize,
        /// The file.
        path: PathBuf,
        /// Frames at the session rate.
        frames: usize,
        /// Channels kept (1 or 2).
        channels: u16,
        /// Channels in the file (more than 2: only the first two were kept).
        source_channels: u16,
        /// The file's own sample rate.
        source_rate: u32,
    },
    /// The file could not be used; its index plays nothing. Reported once.
    Failed {
        /// The sound's name.
        sound: String,
        /// The file's index in its folder.
        index: usize,
        /// The file.
        path: PathBuf,
        /// Why.
        error: DecodeError,
    },
}

impl std::fmt::Display for LoadEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadEvent::Loaded {
                sound,
                index,
                path,
                frames,
                channels,
                source_channels,
                source_rate,
            } => {
                write!(
                    f,
                    "loaded {sound}:{index} ({}): {frames} frames, {channels} ch from {source_rate} Hz",
                    path.display()
                )?;
                if source_channels > channels {
                    write!(f, " (kept the first 2 of {source_channels} channels)")?;
                }
                Ok(())
            }
            LoadEvent::Failed {
                sound,
                index,
                path,
                error,
            } => write!(f, "skipped {sound}:{index} ({}): {error}", path.display()),
        }
    }
}

/// Load counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files requested so far.
    pub requested: usize,
    /// Files loaded.
    pub loaded: usize,
    /// Files that failed.
    pub failed: usize,
}

impl Progress {
    /// Files still waiting or being decoded.
    pub fn pending(&self) -> usize {
        self.requested - self.loaded - self.failed
    }
}

/// State shared between the library and its workers.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    pub events: Mutex<Vec<LoadEvent>>,
    pub progress: Mutex<Progress>,
    pub idle: Condvar,
    pub stop: AtomicBool,
}

impl Shared {
    pub fn requested(&self, count: usize) {
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        p.requested += count;
    }

    fn finish(&self, event: LoadEvent) {
        let ok = matches!(event, LoadEvent::Loaded { .. });
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event);
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        if ok {
            p.loaded += 1;
        } else {
            p.failed += 1;
        }
        if p.pending() == 0 {
            self.idle.notify_all();
        }
    }

    /// Blocks until nothing is pending or `timeout` passes; true when idle.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut p = self.progress.lock().unwrap_or_else(|e| e.into_inner());
        while p.pending() > 0 {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            p = self
                .idle
                .wait_timeout(p, deadline - now)
                .unwrap_or_else(|e| e.into_inner())
                .0;
        }
        true
    }
}

/// Starts `threads` workers reading jobs from one queue.
pub(crate) fn spawn(
    threads: usize,
    store: Arc<SampleStore>,
    shared: Arc<Shared>,
    limits: Limits,
) -> (Sender<Job>, Vec<JoinHandle<()>>) {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = Arc::new(Mutex::new(rx));
    let handles = (0..threads.max(1))
        .filter_map(|i| {
            let (rx, store, shared) = (Arc::clone(&rx), Arc::clone(&store), Arc::clone(&shared));
            std::thread::Builder::new()
                .name(format!("kanon-sample-loader-{i}"))
                .spawn(move || work(&rx, &store, &shared, &limits))
                .ok()
        })
        .collect();
    (tx, handles)
}

fn work(rx: &Mutex<Receiver<Job>>, store: &SampleStore, shared: &Shared, limits: &Limits) {
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(|e| e.into_inner());
            rx.recv()
        };
        let Ok(job) = job else { return };
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        shared.finish(load(job, store, limits));
    }
}

/// Decodes, resamples to the session rate and publishes one file.
fn load(job: Job, store: &SampleStore, limits: &Limits) -> LoadEvent {
    let Job {
        id,
        sound,
        index,
        path,
    } = job;
    match decode_file(&path, limits) {
        Ok(decoded) => {
            let rate = store.table().sample_rate as u32;
            let channels = decoded.channels as usize;
            let data = resample(&decoded.data, channels, decoded.sample_rate, rate);
            let frames = data.len() / channels;
            match store.publish(id, data, channels) {
                Ok(()) => LoadEvent::Loaded {
                    sound,
                    index,
                    path,
                    frames,
                    channels: decoded.channels,
                    source_channels: decoded.source_channels,
                    source_rate: decoded.sample_rate,
                },
                Err(e) => LoadEvent::Failed {
                    sound,
                    index,
                    path,
                    error: DecodeError::Malformed(e.to_string()),
                },
            }
        }
        Err(error) => LoadEvent::Failed {
            sound,
            index,
            path,
            error,
        },
    }
}
