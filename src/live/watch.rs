//! Watching a `.kn` file and recompiling it on save (control thread only).
//!
//! Editors save in two ways: truncate-and-write the file in place, or write a new file
//! next to it and rename it over the old one (which replaces the inode, so watching the
//! file itself would go deaf after the first save). [`FileWatcher`] therefore watches
//! the file's folder and keeps only events that name the file.
//!
//! A save is taken as finished when the writer closes the file or a finished file is
//! renamed onto it (both say the text is complete, so it is read at once), or else when
//! no further event has arrived for a short settle time ([`FileWatcher::wait_change`]). A half-written file that still fails to compile
//! gets one more chance: [`Reloader::reload`] waits [`Reloader::retry_after`], reads the
//! file again, and reports errors only if the text is still the same (a writer that
//! pauses mid-file for longer than both delays and leaves valid text behind would still
//! be compiled as written; no editor does that).

use kanon_compiler::{Compiler, Options, Program};
use kanon_lang::{Diagnostic, Source};
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// Notices saves of one file.
pub struct FileWatcher {
    rx: Receiver<notify::Result<notify::Event>>,
    name: OsString,
    _watcher: RecommendedWatcher,
}

impl FileWatcher {
    /// Starts watching `path` (through its folder).
    pub fn new(path: &Path) -> Result<FileWatcher, String> {
        let name = path
            .file_name()
            .ok_or_else(|| format!("{} is not a file", path.display()))?
            .to_owned();
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(tx)
            .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        watcher
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
        Ok(FileWatcher {
            rx,
            name,
            _watcher: watcher,
        })
    }

    /// Waits up to `timeout` for the file to change; once it has, returns as soon as the
    /// save is complete (closed after writing, or renamed onto the file), else once
    /// `settle` passes without another change. Returns when the change was first seen,
    /// or `None` if nothing changed within `timeout`.
    pub fn wait_change(&mut self, timeout: Duration, settle: Duration) -> Option<Instant> {
        let deadline = Instant::now() + timeout;
        let first = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(ev) => match self.classify(&ev) {
                    Change::Complete => return Some(Instant::now()),
                    Change::Partial => break Instant::now(),
                    Change::None => continue,
                },
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
            }
        };
        loop {
            match self.rx.recv_timeout(settle) {
                Ok(ev) if self.classify(&ev) == Change::Complete => return Some(first),
                Ok(_) => continue,
                Err(_) => return Some(first),
            }
        }
    }

    /// What an event says of our file. Our own reads show up as access events without
    /// writing: not a change.
    fn classify(&self, ev: &notify::Result<notify::Event>) -> Change {
        let Ok(ev) = ev else { return Change::None };
        let ours = |p: &PathBuf| p.file_name() == Some(self.name.as_os_str());
        match ev.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To)) => {
                if ev.paths.iter().any(ours) {
                    Change::Complete
                } else {
                    Change::None
                }
            }
            // Sent after the rename's `To` half (which carried the news): taking it as
            // a change would start the next wait with a stale event.
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => Change::None,
            EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) | EventKind::Any
                if ev.paths.iter().any(ours) =>
            {
                Change::Partial
            }
            _ => Change::None,
        }
    }
}

/// What one file event says of the watched file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// Not about it, or only a read.
    None,
    /// Written to: more may follow.
    Partial,
    /// A finished text: closed after writing or renamed onto it.
    Complete,
}

/// What a reload found.
pub enum Reload {
    /// The text is what was tried last: nothing to do.
    Unchanged,
    /// A new program.
    Compiled(Source, Box<Program>),
    /// The file does not compile (errors to render against the source).
    Failed(Source, Vec<Diagnostic>),
    /// The file could not be read.
    Unreadable(String),
}

/// Reads and compiles a file, remembering the last text it tried.
pub struct Reloader {
    path: PathBuf,
    compiler: Compiler,
    opts: Options,
    last: Option<String>,
    /// How long to wait before reading a failing file once more.
    pub retry_after: Duration,
}

impl Reloader {
    /// A reloader for `path` compiling at `sample_rate`.
    pub fn new(path: &Path, sample_rate: f64) -> Reloader {
        Reloader {
            path: path.to_path_buf(),
            compiler: Compiler::new(),
            opts: Options {
                sample_rate,
                keep_clif: false,
            },
            last: None,
            retry_after: Duration::from_millis(25),
        }
    }

    /// The same reloader compiling with `compiler` (its sample library).
    pub fn with_compiler(mut self, compiler: Compiler) -> Reloader {
        self.compiler = compiler;
        self
    }

    /// Compiles from now on at `cps` cycles per second whatever the file's `tempo:` says
    /// (OSC `/tempo`); the next [`Reloader::reload`] compiles the file again even if it
    /// did not change.
    pub fn set_tempo(&mut self, cps: Option<f64>) {
        self.compiler.set_tempo(cps);
        self.last = None;
    }

    /// Reads the file and compiles it if its text changed since the last try.
    pub fn reload(&mut self) -> Reload {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) => {
                return Reload::Unreadable(format!("cannot read {}: {e}", self.path.display()))
            }
        };
        if self.last.as_deref() == Some(text.as_str()) {
            return Reload::Unchanged;
        }
        match self.compile(&text) {
            Ok(r) => r,
            Err(first) => {
                // Perhaps caught mid-write: look once more before blaming the user.
                std::thread::sleep(self.retry_after);
                match std::fs::read_to_string(&self.path) {
                    Ok(again) if again != text => self.compile(&again).unwrap_or_else(|r| r),
                    _ => first,
                }
            }
        }
    }

    fn compile(&mut self, text: &str) -> Result<Reload, Reload> {
        self.last = Some(text.to_string());
        let src = Source::new(self.path.display().to_string(), text.to_string());
        match self.compiler.compile(&src, self.opts) {
            Ok(p) => Ok(Reload::Compiled(src, Box::new(p))),
            Err(d) => Err(Reload::Failed(src, d)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A fresh folder holding `a.kn` (`out: 0`), and a watcher on that file.
    fn watched(name: &str) -> (PathBuf, PathBuf, FileWatcher) {
        let d = std::env::temp_dir().join(format!("kanonc-watch-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        let file = d.join("a.kn");
        std::fs::write(&file, "out: 0\n").unwrap();
        let w = FileWatcher::new(&file).unwrap();
        (d, file, w)
    }

    /// `save` is seen as a complete save: `wait_change` returns before the long settle.
    fn read_at_once(w: &mut FileWatcher, save: impl FnOnce()) {
        let t = Instant::now();
        save();
        assert!(w.wait_change(LONG, LONG).is_some());
        assert!(t.elapsed() < LONG, "waited out the settle time");
    }

    // The settle time is long here so that a return before it proves the close or the
    // rename was taken as the end of the save (the events arrive within milliseconds).
    const LONG: Duration = Duration::from_secs(20);

    #[test]
    fn a_closed_write_is_read_at_once() {
        let (d, file, mut w) = watched("close");
        read_at_once(&mut w, || std::fs::write(&file, "out: sine 440\n").unwrap());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_rename_onto_the_file_is_read_at_once() {
        let (d, file, mut w) = watched("rename");
        let tmp = d.join(".a.kn.swp");
        std::fs::write(&tmp, "out: sine 440\n").unwrap();
        read_at_once(&mut w, || std::fs::rename(&tmp, &file).unwrap());
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn a_write_still_open_waits_for_quiet() {
        let (d, file, mut w) = watched("open");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&file)
            .unwrap();
        let settle = Duration::from_millis(300);
        f.write_all(b"-- half").unwrap();
        f.flush().unwrap();
        let t = Instant::now();
        assert!(w.wait_change(LONG, settle).is_some());
        assert!(
            t.elapsed() >= settle,
            "a write without a close is not complete"
        );
        // Closing it completes the save.
        read_at_once(&mut w, || drop(f));
        // Others' files in the folder are not ours, closed or not.
        std::fs::write(d.join("b.kn"), "out: 1\n").unwrap();
        assert_eq!(w.wait_change(Duration::from_millis(300), settle), None);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
