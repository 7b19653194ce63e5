//! `kanonc samples [--samples DIR]…`: every sound `s` can play, how many files it has and
//! where it comes from, in the order the library searches.

use std::path::PathBuf;

/// Prints the search path and the sounds found.
pub fn run(dirs: &[PathBuf], sr: u32) -> Result<(), String> {
    let lib = super::library(dirs, sr);
    let mut cfg = kanon_samples::LibraryConfig::new(sr);
    cfg.dirs = dirs.to_vec();
    println!("searched, in order:");
    for d in cfg.search_path() {
        let state = if d.path.is_dir() { "" } else { " (not there)" };
        println!("  {}{state}", d.path.display());
    }
    println!("  the built-in kit");
    let list = lib.listing();
    println!("{} sound(s):", list.len());
    for s in list {
        let hides = if s.shadows.is_empty() {
            String::new()
        } else {
            let h: Vec<String> = s.shadows.iter().map(|o| o.to_string()).collect();
            format!(" (hides {})", h.join(", "))
        };
        println!(
            "  {:<16} {:>4} file(s)  {}{hides}",
            s.name, s.files, s.origin
        );
    }
    Ok(())
}
