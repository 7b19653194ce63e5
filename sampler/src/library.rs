//! The sample library (control side): finds sound folders along the search path, hands
//! out stable sample ids, loads folders in the background on first use, and holds the
//! built-in kit.
//!
//! Search order: explicit directories (`--samples DIR`, in order), then `KANONC_SAMPLES`
//! (a path list), then `./samples`, then where SuperDirt keeps Dirt-Samples, then the
//! built-in kit. The first folder of a name wins, whole (folders are never merged).

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::decode::Limits;
use crate::kit::{self, KitSound};
use crate::loader::{self, Job, LoadEvent, Progress, Shared};
use crate::nearest::nearest;
use crate::scan::{dirt_samples_dirs, scan_root, split_path_list, SearchDir, SearchKind};
use crate::store::{SampleId, SampleStore, SampleTable};

/// How to open a [`Library`].
#[derive(Clone, Debug)]
pub struct LibraryConfig {
    /// The session sample rate: every sample is resampled to it on load.
    pub sample_rate: u32,
    /// Directories given explicitly (`--samples DIR`), searched first, in order.
    pub dirs: Vec<PathBuf>,
    /// Directories from `KANONC_SAMPLES`, searched next.
    pub env_dirs: Vec<PathBuf>,
    /// `./samples` (searched if present).
    pub working_samples: Option<PathBuf>,
    /// Where Dirt-Samples may be (searched if present).
    pub dirt_samples: Vec<PathBuf>,
    /// Whether the built-in kit is last in the search path.
    pub builtin_kit: bool,
    /// Size limits for each file.
    pub limits: Limits,
    /// Sample ids available (the table's fixed capacity).
    pub capacity: usize,
    /// Background decoding threads.
    pub loader_threads: usize,
}

impl LibraryConfig {
    /// The usual search path: `KANONC_SAMPLES`, `./samples`, Dirt-Samples, the kit.
    /// Add `--samples` directories to [`LibraryConfig::dirs`].
    pub fn new(sample_rate: u32) -> LibraryConfig {
        let env_dirs = std::env::var_os("KANONC_SAMPLES")
            .map(|v| split_path_list(&v))
            .unwrap_or_default();
        let working_samples = std::env::current_dir().ok().map(|d| d.join("samples"));
        let dirt_samples = home_dir()
            .map(|h| dirt_samples_dirs(&h))
            .unwrap_or_default();
        LibraryConfig {
            env_dirs,
            working_samples,
            dirt_samples,
            ..LibraryConfig::isolated(sample_rate)
        }
    }

    /// Only what is set explicitly, plus the kit: nothing from the environment.
    pub fn isolated(sample_rate: u32) -> LibraryConfig {
        LibraryConfig {
            sample_rate,
            dirs: Vec::new(),
            env_dirs: Vec::new(),
            working_samples: None,
            dirt_samples: Vec::new(),
            builtin_kit: true,
            limits: Limits::default(),
            capacity: 1 << 16,
            loader_threads: 2,
        }
    }

    /// Sets the `KANONC_SAMPLES`-style path list.
    pub fn with_env_path(mut self, list: &OsString) -> LibraryConfig {
        self.env_dirs = split_path_list(list);
        self
    }

    /// The directories searched, in order (the kit comes after them).
    pub fn search_path(&self) -> Vec<SearchDir> {
        let explicit = self.dirs.iter().map(|p| (p, SearchKind::Explicit));
        let env = self.env_dirs.iter().map(|p| (p, SearchKind::Env));
        let cwd = self
            .working_samples
            .iter()
            .map(|p| (p, SearchKind::WorkingDir));
        let dirt = self
            .dirt_samples
            .iter()
            .map(|p| (p, SearchKind::DirtSamples));
        explicit
            .chain(env)
            .chain(cwd)
            .chain(dirt)
            .map(|(p, kind)| SearchDir {
                path: p.clone(),
                kind,
            })
            .collect()
    }
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// Where a sound comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A folder of sound files.
    Folder(PathBuf),
    /// The built-in kit.
    BuiltIn,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Folder(p) => write!(f, "{}", p.display()),
            Origin::BuiltIn => write!(f, "built-in"),
        }
    }
}

/// Something worth telling the user (returned as data; the CLI prints it).
#[derive(Clone, Debug, PartialEq)]
pub enum Warning {
    /// A directory the user named does not exist.
    MissingDir {
        /// The directory.
        path: PathBuf,
        /// How it was named.
        kind: SearchKind,
    },
    /// A directory exists but could not be listed.
    UnreadableDir {
        /// The directory.
        path: PathBuf,
        /// Why.
        error: String,
    },
    /// A program named a sound that does not exist.
    UnknownSound {
        /// The name.
        name: String,
        /// The closest existing names.
        nearest: Vec<String>,
    },
    /// The sample table is full: the sound cannot get ids.
    TableFull {
        /// The sound.
        name: String,
    },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::MissingDir { path, kind } => {
                let from = match kind {
                    SearchKind::Env => " (from KANONC_SAMPLES)",
                    _ => "",
                };
                write!(
                    f,
                    "sample directory {} does not exist{from}",
                    path.display()
                )
            }
            Warning::UnreadableDir { path, error } => {
                write!(
                    f,
                    "cannot list sample directory {}: {error}",
                    path.display()
                )
            }
            Warning::UnknownSound { name, nearest } => {
                write!(f, "no sound called \"{name}\"")?;
                match nearest.as_slice() {
                    [] => Ok(()),
                    [one] => write!(f, "; did you mean \"{one}\"?"),
                    many => write!(f, "; did you mean one of: {}?", many.join(", ")),
                }
            }
            Warning::TableFull { name } => {
                write!(
                    f,
                    "no room for the samples of \"{name}\": the sample table is full"
                )
            }
        }
    }
}

/// The ids of one sound's files, in folder order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sound {
    /// The id of file 0.
    pub first: SampleId,
    /// The number of files (at least 1).
    pub count: u32,
}

impl Sound {
    /// The id for index `n`, wrapping modulo the count (negative `n` too), as SuperDirt's
    /// `wrapAt`; a fractional `n` should be truncated toward zero first, as SuperDirt does.
    pub fn id(&self, n: i64) -> SampleId {
        SampleId(self.first.0 + n.rem_euclid(self.count.max(1) as i64) as u32)
    }
}

/// One line of `kanonc samples`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SoundInfo {
    /// The name.
    pub name: String,
    /// The number of files (1 for a kit sound).
    pub files: usize,
    /// Where it comes from.
    pub origin: Origin,
    /// Later entries of the same name that this one hides.
    pub shadows: Vec<Origin>,
}

/// A sound of the library.
#[derive(Debug)]
struct Entry {
    name: String,
    origin: Origin,
    files: Vec<PathBuf>,
    kit: Option<&'static KitSound>,
    shadows: Vec<Origin>,
    /// Ids, once the sound has been asked for.
    ids: Mutex<Option<Sound>>,
}

/// The sample library. Control side: it allocates, reads files and runs loader threads.
#[derive(Debug)]
pub struct Library {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
    store: Arc<SampleStore>,
    shared: Arc<Shared>,
    queue: Mutex<Option<Sender<Job>>>,
    workers: Vec<JoinHandle<()>>,
    warnings: Vec<Warning>,
    kit_time: Duration,
    search: Vec<SearchDir>,
}

impl Library {
    /// Scans the search path (names and file lists only), renders the kit sounds no folder
    /// hides, and starts the loader threads. Problems are in [`Library::warnings`].
    pub fn open(config: LibraryConfig) -> Library {
        let search = config.search_path();
        let mut warnings = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for dir in &search {
            if !dir.path.exists() {
                if dir.kind.named_by_user() {
                    warnings.push(Warning::MissingDir {
                        path: dir.path.clone(),
                        kind: dir.kind,
                    });
                }
                continue;
            }
            let folders = match scan_root(&dir.path) {
                Ok(f) => f,
                Err(e) => {
                    warnings.push(Warning::UnreadableDir {
                        path: dir.path.clone(),
                        error: e.to_string(),
                    });
                    continue;
                }
            };
            for folder in folders {
                let origin = Origin::Folder(folder.path);
                if let Some(&i) = index.get(&folder.name) {
                    entries[i].shadows.push(origin);
                    continue;
                }
                index.insert(folder.name.clone(), entries.len());
                entries.push(Entry {
                    name: folder.name,
                    origin,
                    files: folder.files,
                    kit: None,
                    shadows: Vec::new(),
                    ids: Mutex::new(None),
                });
            }
        }

        let store = SampleStore::new(config.sample_rate as f64, config.capacity);
        let started = Instant::now();
        if config.builtin_kit {
            for sound in kit::KIT {
                if let Some(&i) = index.get(sound.name) {
                    entries[i].shadows.push(Origin::BuiltIn);
                    continue;
                }
                // An alias shares its sound's data when that sound is the built-in one.
                let shared = sound
                    .alias_of
                    .and_then(|of| index.get(of))
                    .filter(|&&i| entries[i].kit.is_some())
                    .and_then(|&i| *entries[i].ids.lock().unwrap_or_else(|e| e.into_inner()));
                let ids = shared.or_else(|| {
                    let id = store.reserve(1)?;
                    let data = sound.render(config.sample_rate as f64);
                    store.publish(id, data, 1).ok()?;
                    Some(Sound {
                        first: id,
                        count: 1,
                    })
                });
                if ids.is_none() {
                    warnings.push(Warning::TableFull {
                        name: sound.name.to_string(),
                    });
                }
                index.insert(sound.name.to_string(), entries.len());
                entries.push(Entry {
                    name: sound.name.to_string(),
                    origin: Origin::BuiltIn,
                    files: Vec::new(),
                    kit: Some(sound),
                    shadows: Vec::new(),
                    ids: Mutex::new(ids),
                });
            }
        }
        let kit_time = started.elapsed();

        let shared = Arc::new(Shared::default());
        let (queue, workers) = loader::spawn(
            config.loader_threads,
            Arc::clone(&store),
            Arc::clone(&shared),
            config.limits,
        );
        Library {
            entries,
            index,
            store,
            shared,
            queue: Mutex::new(Some(queue)),
            workers,
            warnings,
            kit_time,
            search,
        }
    }

    /// Problems found while opening (missing or unreadable directories).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The directories searched, in order.
    pub fn search_path(&self) -> &[SearchDir] {
        &self.search
    }

    /// How long rendering the built-in kit took at open.
    pub fn kit_render_time(&self) -> Duration {
        self.kit_time
    }

    /// The ids of sound `name`, requesting its files' loading in the background the first
    /// time (later calls return the same ids and load nothing).
    pub fn sound(&self, name: &str) -> Result<Sound, Warning> {
        let Some(&i) = self.index.get(name) else {
            return Err(Warning::UnknownSound {
                name: name.to_string(),
                nearest: self.nearest(name),
            });
        };
        let entry = &self.entries[i];
        let mut ids = entry.ids.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sound) = *ids {
            return Ok(sound);
        }
        let count = entry.files.len();
        let first = self
            .store
            .reserve(count)
            .ok_or_else(|| Warning::TableFull {
                name: name.to_string(),
            })?;
        let sound = Sound {
            first,
            count: count as u32,
        };
        *ids = Some(sound);
        self.shared.requested(count);
        let queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        for (index, path) in entry.files.iter().enumerate() {
            let job = Job {
                id: SampleId(first.0 + index as u32),
                sound: entry.name.clone(),
                index,
                path: path.clone(),
            };
            if let Some(queue) = queue.as_ref() {
                // The workers only stop when the library is dropped.
                let _ = queue.send(job);
            }
        }
        Ok(sound)
    }

    /// The id of `name:n` (see [`Sound::id`]), loading the sound if needed.
    pub fn resolve(&self, name: &str, n: i64) -> Result<SampleId, Warning> {
        self.sound(name).map(|s| s.id(n))
    }

    /// Requests every sound in `names` (a program's sounds, at compile time) so they load
    /// before they are first played; returns a warning for each name that cannot load.
    pub fn preload<S: AsRef<str>>(&self, names: &[S]) -> Vec<Warning> {
        names
            .iter()
            .filter_map(|n| self.sound(n.as_ref()).err())
            .collect()
    }

    /// Blocks until every requested file is loaded or failed, or `timeout` passes; true if
    /// nothing is pending. An offline render calls this before rendering.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        self.shared.wait_idle(timeout)
    }

    /// Load counts so far.
    pub fn progress(&self) -> Progress {
        *self
            .shared
            .progress
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// What happened since the last call (each file is reported once).
    pub fn drain_events(&self) -> Vec<LoadEvent> {
        std::mem::take(&mut *self.shared.events.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Up to five existing names closest to `name`, for "did you mean".
    pub fn nearest(&self, name: &str) -> Vec<String> {
        nearest(name, self.entries.iter().map(|e| e.name.as_str()), 5)
    }

    /// Every sound, alphabetically, with its file count and origin.
    pub fn listing(&self) -> Vec<SoundInfo> {
        let mut list: Vec<SoundInfo> = self
            .entries
            .iter()
            .map(|e| SoundInfo {
                name: e.name.clone(),
                files: if e.kit.is_some() { 1 } else { e.files.len() },
                origin: e.origin.clone(),
                shadows: e.shadows.clone(),
            })
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    }

    /// The files of sound `name` in index order (empty for a kit sound).
    pub fn files(&self, name: &str) -> Option<&[PathBuf]> {
        self.index
            .get(name)
            .map(|&i| self.entries[i].files.as_slice())
    }

    /// Whether `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The store that owns the sample memory; keep an `Arc` of it for as long as the
    /// audio thread may read [`Library::table`].
    pub fn store(&self) -> &Arc<SampleStore> {
        &self.store
    }

    /// The table the audio thread reads samples through (valid while the store lives).
    pub fn table(&self) -> *const SampleTable {
        self.store.table_ptr()
    }

    /// The session sample rate.
    pub fn sample_rate(&self) -> f64 {
        self.store.table().sample_rate
    }
}

impl Drop for Library {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        // Closing the queue wakes idle workers; busy ones finish their file and stop.
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).take();
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
