//! The library: search order, shadowing, listing, lazy loading, preload, bad files,
//! resampling on load, stable ids.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use kanon_samples::{Library, LibraryConfig, LoadEvent, Origin, SearchKind, Warning};

const WAIT: Duration = Duration::from_secs(60);

fn config(dirs: &[&std::path::Path]) -> LibraryConfig {
    let mut c = LibraryConfig::isolated(48_000);
    c.dirs = dirs.iter().map(|d| d.to_path_buf()).collect();
    c
}

/// A distinct one-sample-per-file WAV whose value tells which file it is.
fn marker(value: f32) -> Vec<u8> {
    wav_f32(48_000, &[value; 4])
}

fn first_value(lib: &Library, id: kanon_samples::SampleId) -> f32 {
    // SAFETY: the table lives as long as the library's store.
    let table = unsafe { &*lib.table() };
    table.get(id.0).expect("loaded").data[0]
}

#[test]
fn folders_sorted_by_name_and_index_wraps() {
    let dir = TempDir::new("wrap");
    dir.write("drum/b.wav", &marker(0.2));
    dir.write("drum/a.wav", &marker(0.1));
    dir.write("drum/c.WAV", &marker(0.3));
    dir.write("drum/notes.txt", b"not a sound");
    let lib = Library::open(config(&[dir.path()]));
    let sound = lib.sound("drum").unwrap();
    assert_eq!(sound.count, 3);
    assert!(lib.wait_idle(WAIT));
    let values: Vec<f32> = [0, 1, 2, 3, -1, -4, 7]
        .iter()
        .map(|&n| first_value(&lib, sound.id(n)))
        .collect();
    assert_eq!(values, vec![0.1, 0.2, 0.3, 0.1, 0.3, 0.3, 0.2]);
    assert_eq!(lib.resolve("drum", 4).unwrap(), sound.id(1));
}

#[test]
fn earlier_directories_win_and_folders_beat_the_kit() {
    let a = TempDir::new("first");
    let b = TempDir::new("second");
    a.write("bd/x.wav", &marker(0.5));
    b.write("bd/y.wav", &marker(0.7));
    b.write("bd/z.wav", &marker(0.8));
    b.write("only_b/y.wav", &marker(0.9));
    let lib = Library::open(config(&[a.path(), b.path()]));
    let bd = lib.sound("bd").unwrap();
    assert_eq!(bd.count, 1, "the first folder wins whole, never merged");
    assert!(lib.wait_idle(WAIT));
    assert_eq!(first_value(&lib, bd.id(0)), 0.5);
    let listing = lib.listing();
    let bd_info = listing.iter().find(|s| s.name == "bd").unwrap();
    assert_eq!(bd_info.origin, Origin::Folder(a.path().join("bd")));
    assert_eq!(
        bd_info.shadows,
        vec![Origin::Folder(b.path().join("bd")), Origin::BuiltIn]
    );
    let sn = listing.iter().find(|s| s.name == "sn").unwrap();
    assert_eq!((sn.files, &sn.origin), (1, &Origin::BuiltIn));
    let only_b = listing.iter().find(|s| s.name == "only_b").unwrap();
    assert_eq!(only_b.files, 1);
    // Alphabetical.
    let names: Vec<&str> = listing.iter().map(|s| s.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn search_order_is_explicit_env_cwd_dirt() {
    let explicit = TempDir::new("order-explicit");
    let env = TempDir::new("order-env");
    let cwd = TempDir::new("order-cwd");
    let dirt = TempDir::new("order-dirt");
    for (d, v) in [(&explicit, 0.1f32), (&env, 0.2), (&cwd, 0.3), (&dirt, 0.4)] {
        d.write("s/x.wav", &marker(v));
    }
    env.write("from_env/x.wav", &marker(0.2));
    cwd.write("from_cwd/x.wav", &marker(0.3));
    dirt.write("from_dirt/x.wav", &marker(0.4));
    let mut c = LibraryConfig::isolated(48_000)
        .with_env_path(&std::env::join_paths([env.path(), std::path::Path::new("")]).unwrap());
    c.dirs = vec![explicit.path().to_path_buf()];
    c.working_samples = Some(cwd.path().to_path_buf());
    c.dirt_samples = vec![dirt.path().to_path_buf()];
    let kinds: Vec<SearchKind> = c.search_path().iter().map(|d| d.kind).collect();
    assert_eq!(
        kinds,
        vec![
            SearchKind::Explicit,
            SearchKind::Env,
            SearchKind::WorkingDir,
            SearchKind::DirtSamples
        ]
    );
    let lib = Library::open(c);
    let ids: Vec<_> = ["s", "from_env", "from_cwd", "from_dirt"]
        .iter()
        .map(|n| lib.resolve(n, 0).unwrap())
        .collect();
    assert!(lib.wait_idle(WAIT));
    let values: Vec<f32> = ids.iter().map(|&id| first_value(&lib, id)).collect();
    assert_eq!(values, vec![0.1, 0.2, 0.3, 0.4]);
    assert!(lib.warnings().is_empty(), "{:?}", lib.warnings());
}

#[test]
fn missing_named_directories_are_warnings_and_defaults_are_silent() {
    let missing = PathBuf::from("/nonexistent/kanon/samples");
    let mut c = LibraryConfig::isolated(48_000).with_env_path(&"/nonexistent/from/env".into());
    c.dirs = vec![missing.clone()];
    c.working_samples = Some(PathBuf::from("/nonexistent/cwd/samples"));
    c.dirt_samples = vec![PathBuf::from("/nonexistent/Dirt-Samples")];
    let lib = Library::open(c);
    assert_eq!(
        lib.warnings(),
        &[
            Warning::MissingDir {
                path: missing,
                kind: SearchKind::Explicit
            },
            Warning::MissingDir {
                path: PathBuf::from("/nonexistent/from/env"),
                kind: SearchKind::Env
            },
        ]
    );
    assert!(lib.warnings()[1].to_string().contains("KANONC_SAMPLES"));
    // The kit still plays.
    assert!(lib.sound("bd").is_ok());
}

#[test]
fn default_config_reads_the_environment_variable() {
    // Only this test touches the variable (the others use isolated configs).
    let dir = TempDir::new("envvar");
    std::env::set_var("KANONC_SAMPLES", dir.path());
    let c = LibraryConfig::new(44_100);
    std::env::remove_var("KANONC_SAMPLES");
    assert_eq!(c.env_dirs, vec![dir.path().to_path_buf()]);
    assert!(c.working_samples.unwrap().ends_with("samples"));
    assert!(c.dirt_samples.iter().all(|d| d.ends_with("Dirt-Samples")));
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let dir = TempDir::new("nearest");
    dir.write("bass3/x.wav", &marker(0.1));
    let lib = Library::open(config(&[dir.path()]));
    let err = lib.sound("bas").unwrap_err();
    assert_eq!(
        err,
        Warning::UnknownSound {
            name: "bas".into(),
            nearest: vec!["bass".into()]
        }
    );
    assert_eq!(
        err.to_string(),
        "no sound called \"bas\"; did you mean \"bass\"?"
    );
    assert_eq!(lib.nearest("bass2"), vec!["bass", "bass3"]);
    let warnings = lib.preload(&["bd", "sn", "kik"]);
    assert_eq!(warnings.len(), 1);
    assert!(matches!(&warnings[0], Warning::UnknownSound { name, .. } if name == "kik"));
}

#[test]
fn scanning_lists_names_only_and_loading_is_lazy() {
    let dir = TempDir::new("lazy");
    for f in 0..30 {
        for i in 0..10 {
            // Not audio at all: if the scan decoded anything it would report failures.
            dir.write(&format!("s{f:02}/{i}.wav"), b"garbage");
        }
    }
    let lib = Library::open(config(&[dir.path()]));
    let listed = lib.listing();
    let folders = listed
        .iter()
        .filter(|s| matches!(s.origin, Origin::Folder(_)));
    assert_eq!(folders.count(), 30);
    std::thread::sleep(Duration::from_millis(50));
    assert_eq!(lib.progress().requested, 0);
    assert!(lib.drain_events().is_empty());
    // First use requests exactly that folder.
    lib.sound("s07").unwrap();
    assert!(lib.wait_idle(WAIT));
    let p = lib.progress();
    assert_eq!((p.requested, p.loaded, p.failed), (10, 0, 10));
}

#[test]
fn bad_files_are_reported_once_and_play_nothing() {
    let dir = TempDir::new("bad");
    dir.write("mix/0_good.wav", &marker(0.25));
    dir.write("mix/1_text.wav", b"this is not a wav file");
    let truncated = wav16(48_000, &[0.5; 100]);
    dir.write("mix/2_truncated.wav", &truncated[..truncated.len() - 7]);
    dir.write("mix/3_good.flac", &flac16(48_000, 1, &[1000; 64]));
    let lib = Library::open(config(&[dir.path()]));
    let mix = lib.sound("mix").unwrap();
    assert!(lib.wait_idle(WAIT));
    let mut events = lib.drain_events();
    events.sort_by_key(|e| match e {
        LoadEvent::Loaded { index, .. } | LoadEvent::Failed { index, .. } => *index,
    });
    assert_eq!(events.len(), 4);
    assert!(matches!(
        &events[0],
        LoadEvent::Loaded {
            index: 0,
            frames: 4,
            ..
        }
    ));
    assert!(matches!(&events[1], LoadEvent::Failed { index: 1, .. }));
    assert!(matches!(&events[2], LoadEvent::Failed { index: 2, .. }));
    assert!(matches!(&events[3], LoadEvent::Loaded { index: 3, .. }));
    assert!(events[1].to_string().contains("1_text.wav"));
    // Asking again reloads nothing and reports nothing.
    assert_eq!(lib.sound("mix").unwrap(), mix);
    assert!(lib.wait_idle(WAIT));
    assert!(lib.drain_events().is_empty());
    let table = unsafe { &*lib.table() };
    assert!(table.get(mix.id(1).0).is_none());
    assert!(table.get(mix.id(3).0).is_some());
    let p = lib.progress();
    assert_eq!((p.requested, p.loaded, p.failed, p.pending()), (4, 2, 2, 0));
}

#[test]
fn files_are_resampled_to_the_session_rate() {
    let dir = TempDir::new("rate");
    let tone = sine(1000.0, 44_100.0, 4410, 0.5);
    dir.write(
        "tone/a.wav",
        &wav_f32(44_100, &tone.iter().map(|&x| x as f32).collect::<Vec<_>>()),
    );
    let lib = Library::open(config(&[dir.path()]));
    let id = lib.resolve("tone", 0).unwrap();
    assert!(lib.wait_idle(WAIT));
    let table = unsafe { &*lib.table() };
    let v = table.get(id.0).unwrap();
    assert_eq!(v.frames(), 4800);
    let ideal = sine(1000.0, 48_000.0, 4800, 0.5);
    let worst = (200..4600)
        .map(|i| (v.data[i] as f64 - ideal[i]).abs())
        .fold(0.0, f64::max);
    assert!(worst < 1e-4, "worst {worst}");
    match &lib.drain_events()[0] {
        LoadEvent::Loaded {
            source_rate,
            frames,
            ..
        } => assert_eq!((*source_rate, *frames), (44_100, 4800)),
        e => panic!("{e:?}"),
    }
}

#[test]
fn ids_are_stable_and_distinct() {
    let dir = TempDir::new("ids");
    dir.write("a/0.wav", &marker(0.1));
    dir.write("a/1.wav", &marker(0.1));
    dir.write("b/0.wav", &marker(0.1));
    let lib = Library::open(config(&[dir.path()]));
    let a = lib.sound("a").unwrap();
    let b = lib.sound("b").unwrap();
    let bd = lib.sound("bd").unwrap();
    let mut ids = vec![a.id(0), a.id(1), b.id(0), bd.id(0)];
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4);
    for _ in 0..3 {
        assert_eq!(lib.sound("a").unwrap(), a);
        assert_eq!(lib.sound("b").unwrap(), b);
    }
    assert!(lib.wait_idle(WAIT));
    assert_eq!(lib.progress().requested, 3);
}

#[test]
fn a_full_table_is_a_warning() {
    let dir = TempDir::new("full");
    for i in 0..5 {
        dir.write(&format!("big/{i}.wav"), &marker(0.1));
    }
    let mut c = config(&[dir.path()]);
    c.builtin_kit = false;
    c.capacity = 4;
    let lib = Library::open(c);
    assert_eq!(
        lib.sound("big"),
        Err(Warning::TableFull { name: "big".into() })
    );
    assert!(lib.sound("bd").is_err(), "no kit when builtin_kit is false");
}

#[test]
fn the_kit_is_ready_at_open() {
    let lib = Library::open(LibraryConfig::isolated(48_000));
    let table = unsafe { &*lib.table() };
    for name in [
        "bd", "sn", "hh", "oh", "cp", "rim", "lt", "mt", "ht", "cb", "cr", "pluck", "bass", "keys",
    ] {
        let id = lib.resolve(name, 0).unwrap();
        assert!(table.get(id.0).is_some(), "{name}");
        assert_eq!(
            lib.resolve(name, 5).unwrap(),
            id,
            "{name}: one file, every n"
        );
    }
    assert_eq!(lib.progress().requested, 0, "kit sounds need no loading");
    // Aliases share their sound's data; a folder hides only its own name.
    assert_eq!(lib.resolve("sd", 0), lib.resolve("sn", 0));
    assert_eq!(lib.resolve("superpiano", 0), lib.resolve("keys", 0));
    let dir = TempDir::new("alias");
    dir.write("sn/x.wav", &marker(0.5));
    let lib = Library::open(config(&[dir.path()]));
    let sd = lib.resolve("sd", 0).unwrap();
    assert_ne!(Some(sd), lib.resolve("sn", 0).ok());
    assert!(unsafe { &*lib.table() }.get(sd.0).unwrap().data.len() > 1000);
    assert!(lib.kit_render_time() < Duration::from_secs(30));
    assert_eq!(lib.files("bd"), Some(&[][..]));
}

#[test]
fn dropping_a_busy_library_returns_promptly() {
    let dir = TempDir::new("drop");
    for i in 0..200 {
        dir.write(&format!("many/{i:03}.wav"), &wav16(48_000, &[0.1; 4800]));
    }
    let lib = Library::open(config(&[dir.path()]));
    lib.sound("many").unwrap();
    let store = std::sync::Arc::clone(lib.store());
    drop(lib);
    // The store outlives the library; whatever loaded stays readable.
    assert!(store.reserved() >= 200);
}

#[test]
fn the_library_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Library>();
    shared::<kanon_samples::SampleStore>();
    shared::<kanon_samples::SampleTable>();
    let lib = std::sync::Arc::new(Library::open(LibraryConfig::isolated(48_000)));
    let other = std::sync::Arc::clone(&lib);
    let id = std::thread::spawn(move || other.resolve("bd", 0).unwrap())
        .join()
        .unwrap();
    assert_eq!(lib.resolve("bd", 0).unwrap(), id);
}
