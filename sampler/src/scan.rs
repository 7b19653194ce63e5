//! Finding sound folders: the search path and the listing of each root (names and file
//! paths only; nothing is decoded here).

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// File extensions taken as sound files (case-insensitive): SuperDirt's WAV and AIFF
/// ones, plus FLAC.
pub const EXTENSIONS: &[&str] = &["wav", "wave", "aif", "aiff", "aifc", "flac"];

/// Where a directory in the search path came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchKind {
    /// Given explicitly (`--samples DIR`).
    Explicit,
    /// From the `KANONC_SAMPLES` environment variable.
    Env,
    /// `./samples` in the working directory.
    WorkingDir,
    /// A place where SuperDirt users keep Dirt-Samples.
    DirtSamples,
}

impl SearchKind {
    /// Whether a missing directory of this kind deserves a warning (the user named it).
    pub fn named_by_user(self) -> bool {
        matches!(self, SearchKind::Explicit | SearchKind::Env)
    }
}

/// One directory of the search path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchDir {
    /// The directory holding one folder per sound.
    pub path: PathBuf,
    /// Where it came from.
    pub kind: SearchKind,
}

/// A sound folder found in a root: its name and its sound files sorted by name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Folder {
    /// The folder's name, which `s` uses.
    pub name: String,
    /// The folder's path.
    pub path: PathBuf,
    /// Its sound files, sorted by file name (byte order, as SuperDirt sorts paths).
    pub files: Vec<PathBuf>,
}

/// Splits a `:`-separated path list (as in `KANONC_SAMPLES`), skipping empty entries.
pub fn split_path_list(list: &OsString) -> Vec<PathBuf> {
    std::env::split_paths(list)
        .filter(|p| !p.as_os_str().is_empty())
        .collect()
}

/// The places SuperCollider keeps Dirt-Samples on this operating system, under `home`.
pub fn dirt_samples_dirs(home: &Path) -> Vec<PathBuf> {
    let quark = Path::new("SuperCollider")
        .join("downloaded-quarks")
        .join("Dirt-Samples");
    let mut dirs = Vec::new();
    if cfg!(target_os = "macos") {
        dirs.push(
            home.join("Library")
                .join("Application Support")
                .join(&quark),
        );
    } else if cfg!(windows) {
        if let Some(local) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(PathBuf::from(local).join(&quark));
        }
    } else {
        if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
            dirs.push(PathBuf::from(xdg).join(&quark));
        }
        let default = home.join(".local").join("share").join(&quark);
        if !dirs.contains(&default) {
            dirs.push(default);
        }
    }
    dirs
}

fn is_sound_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Lists the sound folders of one root, sorted by name; folders with no sound files and
/// hidden folders are left out. Symbolic links are followed.
pub fn scan_root(root: &Path) -> std::io::Result<Vec<Folder>> {
    let mut folders = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(root)?.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name();
        if is_hidden(&file_name) {
            continue;
        }
        let path = entry.path();
        if !std::fs::metadata(&path).is_ok_and(|m| m.is_dir()) {
            continue;
        }
        let Some(name) = file_name.to_str() else {
            continue; // a name that is not UTF-8 cannot be written in a program
        };
        let Ok(listing) = std::fs::read_dir(&path) else {
            continue;
        };
        let mut files: Vec<PathBuf> = listing
            .filter_map(|e| e.ok())
            .filter(|e| !is_hidden(&e.file_name()))
            .map(|e| e.path())
            .filter(|p| is_sound_file(p) && std::fs::metadata(p).is_ok_and(|m| m.is_file()))
            .collect();
        if files.is_empty() {
            continue;
        }
        files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
        folders.push(Folder {
            name: name.to_string(),
            path,
            files,
        });
    }
    Ok(folders)
}
