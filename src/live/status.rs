//! The status line and the end-of-run summary: callback load and block-time percentiles
//! from the engine's block times, xruns, swaps, compile time, peak level.

use kanon_runtime::engine::{BlockTime, NonFinite};
use std::collections::VecDeque;
use std::io::Write;

/// Block-time window for the status line and the whole-run summary.
pub struct Timing {
    sr: f64,
    window: VecDeque<BlockTime>,
    all: Vec<u32>,
    busy_ns: u128,
    audio_ns: f64,
}

impl Timing {
    /// An empty window at sample rate `sr`.
    pub fn new(sr: f64) -> Timing {
        Timing {
            sr,
            window: VecDeque::new(),
            all: Vec::new(),
            busy_ns: 0,
            audio_ns: 0.0,
        }
    }

    /// Over the whole run: (mean load, p50, p95, p99, max µs).
    pub fn overall(&mut self) -> (f64, f64, f64, f64, f64) {
        let (p50, p95, p99) = percentiles(&mut self.all);
        let max_us = self.all.last().map_or(0.0, |&n| f64::from(n) / 1e3);
        let load = if self.audio_ns > 0.0 {
            self.busy_ns as f64 / self.audio_ns
        } else {
            0.0
        };
        (load, p50, p95, p99, max_us)
    }
}

impl Timing {
    /// Adds one block's time.
    pub fn add(&mut self, t: BlockTime) {
        if self.window.len() == 2048 {
            self.window.pop_front();
        }
        self.window.push_back(t);
        self.all.push(t.nanos);
        self.busy_ns += u128::from(t.nanos);
        self.audio_ns += f64::from(t.frames) / self.sr * 1e9;
    }

    /// (load, p50, p95, p99 in µs) over the last blocks.
    pub fn recent(&self) -> (f64, f64, f64, f64) {
        let mut v: Vec<u32> = self.window.iter().map(|t| t.nanos).collect();
        let busy: f64 = v.iter().map(|&n| f64::from(n)).sum();
        let audio: f64 = self
            .window
            .iter()
            .map(|t| f64::from(t.frames) / self.sr * 1e9)
            .sum();
        let (a, b, c) = percentiles(&mut v);
        (if audio > 0.0 { busy / audio } else { 0.0 }, a, b, c)
    }
}

/// p50, p95, p99 in µs.
pub fn percentiles(v: &mut [u32]) -> (f64, f64, f64) {
    if v.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    v.sort_unstable();
    let q = |p: f64| f64::from(v[((v.len() - 1) as f64 * p).round() as usize]) / 1e3;
    (q(0.5), q(0.95), q(0.99))
}

/// A level in dBFS, for the status line.
pub fn db(x: f32) -> String {
    if x > 0.0 {
        format!("{:+.1} dBFS", 20.0 * x.log10())
    } else {
        "-inf dBFS".into()
    }
}

/// The terminal's last line while playing: a status line redrawn in place, and
/// messages (warnings, errors, swaps) printed above it on lines of their own, after
/// which the status is drawn again; a message never lands in the middle of the status.
/// Without a terminal there is no status line and messages are plain lines.
pub struct Console {
    out: Box<dyn Write + Send>,
    tty: bool,
    /// The status line now on screen.
    status: Option<String>,
}

impl Console {
    /// On stderr; `tty` draws a status line.
    pub fn stderr(tty: bool) -> Console {
        Console::new(Box::new(std::io::stderr()), tty)
    }

    /// On any writer (tests read what a session printed).
    pub fn new(out: Box<dyn Write + Send>, tty: bool) -> Console {
        Console {
            out,
            tty,
            status: None,
        }
    }

    /// Whether a status line is drawn.
    pub fn tty(&self) -> bool {
        self.tty
    }

    /// Draws `line` as the status line, in place of the last one (terminal only).
    pub fn status(&mut self, line: String) {
        if !self.tty {
            return;
        }
        let _ = write!(self.out, "\r\x1b[K{line}");
        let _ = self.out.flush();
        self.status = Some(line);
    }

    /// Prints `text` (one or more lines) on lines of its own, then redraws the status.
    pub fn message(&mut self, text: &str) {
        if self.status.is_some() {
            let _ = write!(self.out, "\r\x1b[K");
        }
        let _ = write!(self.out, "{text}");
        if !text.ends_with('\n') {
            let _ = writeln!(self.out);
        }
        if let Some(s) = &self.status {
            let _ = write!(self.out, "{s}");
        }
        let _ = self.out.flush();
    }

    /// Leaves the status line where it is and moves below it (end of the session).
    pub fn finish(&mut self) {
        if self.status.take().is_some() {
            let _ = writeln!(self.out);
            let _ = self.out.flush();
        }
    }
}

/// The bus (`~name`) or output (`out`, `oN`) each state cell of `p` belongs to, by cell
/// index: what the non-finite counter names.
pub fn cell_owners(p: &kanon_compiler::Program) -> Vec<String> {
    use kanon_compiler::key::Root;
    p.layout
        .cells
        .iter()
        .map(|c| match c.key.path().root_of() {
            Root::Bus(n) => format!("~{n}"),
            Root::Output(n) => n.clone(),
            Root::Tempo => "tempo".into(),
        })
        .collect()
}

/// Where the first non-finite value came from, in words: the bus that owns the cell,
/// or the output channel; `owners` are [`cell_owners`] of the program that ran.
pub fn nonfinite_source(at: NonFinite, owners: Option<&[String]>) -> String {
    match at {
        NonFinite::Cell(i) => owners
            .and_then(|o| o.get(i))
            .cloned()
            .unwrap_or_else(|| "a bus of an earlier program".into()),
        NonFinite::Output(ch) => format!("output channel {}", ch + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A writer whose bytes a test can read.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    /// What a terminal shows: every `\r` returns to the line's start, `\x1b[K` clears it.
    fn screen(raw: &str) -> Vec<String> {
        let mut lines = vec![String::new()];
        for (i, part) in raw.split('\n').enumerate() {
            if i > 0 {
                lines.push(String::new());
            }
            for seg in part.split('\r') {
                let seg = seg.replace("\x1b[K", "");
                *lines.last_mut().unwrap() = seg;
            }
        }
        lines
    }

    #[test]
    fn messages_get_their_own_lines_and_the_status_comes_back() {
        let buf = Shared::default();
        let mut c = Console::new(Box::new(buf.clone()), true);
        c.message("before any status");
        c.status("cpu 1% | swaps 0".into());
        c.message("warning: a\n  more of it\n");
        c.status("cpu 2% | swaps 1".into());
        c.message("swapped: 3 keys carried, 1 new, 0 dropped, compiled in 1.2 ms");
        c.finish();
        assert_eq!(
            screen(&buf.text()),
            [
                "before any status",
                "warning: a",
                "  more of it",
                "swapped: 3 keys carried, 1 new, 0 dropped, compiled in 1.2 ms",
                "cpu 2% | swaps 1",
                "",
            ]
        );
        // Every message starts by clearing the status it replaces.
        assert!(buf.text().contains("cpu 1% | swaps 0\r\x1b[Kwarning: a"));
    }

    #[test]
    fn without_a_terminal_there_is_no_status_line() {
        let buf = Shared::default();
        let mut c = Console::new(Box::new(buf.clone()), false);
        c.status("cpu 1%".into());
        c.message("warning: x");
        c.finish();
        assert_eq!(buf.text(), "warning: x\n");
    }

    #[test]
    fn non_finite_sources_are_named() {
        let owners = vec!["~a".to_string(), "~fb".to_string()];
        assert_eq!(nonfinite_source(NonFinite::Cell(1), Some(&owners)), "~fb");
        assert_eq!(
            nonfinite_source(NonFinite::Output(0), Some(&owners)),
            "output channel 1"
        );
        assert_eq!(
            nonfinite_source(NonFinite::Cell(7), None),
            "a bus of an earlier program"
        );
    }
}
