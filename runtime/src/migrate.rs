//! State migration on swap: a copy plan from one program's state block to the next,
//! matched by symbol key.
//!
//! The plan is computed on the control thread (it allocates and compares strings); the
//! audio thread only runs [`apply`], which copies numbers between two preallocated
//! blocks and never allocates.
//!
//! Rules (brief, "State layout keyed by symbol"):
//! - a cell whose key exists in both programs keeps its value;
//! - a delay buffer whose key exists in both keeps its contents. If its length changed
//!   (a longer maximum delay), the most recent `min(old, new)` samples are copied,
//!   counted back from the old write position (the buffer's own position cell, which
//!   the layout names for it), and the new write position is set just after them, so
//!   the delay line reads exactly the same recent past;
//! - a key only in the new program keeps its initial value; a key only in the old one
//!   is dropped.

use kanon_compiler::key::Key;
use kanon_compiler::layout::BufferSlot;
use kanon_compiler::Layout;
use std::collections::{HashMap, HashSet};

/// How to carry one delay buffer over.
#[derive(Clone, Debug, PartialEq, Eq)]
struct BufferCopy {
    old_offset: usize,
    old_len: usize,
    new_offset: usize,
    new_len: usize,
    /// Offsets of the write-position cells (old, new), for a delay line.
    pos: Option<(usize, usize)>,
}

/// The precomputed copies that carry state from one layout to another.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrationPlan {
    /// (old offset, new offset) of every carried cell.
    cells: Vec<(usize, usize)>,
    buffers: Vec<BufferCopy>,
    old_len: usize,
    new_len: usize,
    /// Keys of the new program that start from their initial value (no match).
    pub fresh: Vec<Key>,
    /// Keys of the old program that are dropped.
    pub dropped: Vec<Key>,
    /// Keys of delay buffers whose length changed (contents carried, see module doc).
    pub resized: Vec<Key>,
}

impl MigrationPlan {
    /// Matches every cell and buffer of `new` against `old` by key. Control thread only.
    pub fn new(old: &Layout, new: &Layout) -> MigrationPlan {
        let old_cells: HashMap<&Key, usize> =
            old.cells.iter().map(|c| (&c.key, c.offset)).collect();
        let old_bufs: HashMap<&Key, &BufferSlot> =
            old.buffers.iter().map(|b| (&b.key, b)).collect();
        let mut plan = MigrationPlan {
            old_len: old.len,
            new_len: new.len,
            ..MigrationPlan::default()
        };
        for c in &new.cells {
            match old_cells.get(&c.key) {
                Some(&o) => plan.cells.push((o, c.offset)),
                None => plan.fresh.push(c.key.clone()),
            }
        }
        for b in &new.buffers {
            let Some(&o) = old_bufs.get(&b.key) else {
                plan.fresh.push(b.key.clone());
                continue;
            };
            if o.len != b.len {
                plan.resized.push(b.key.clone());
            }
            plan.buffers.push(BufferCopy {
                pos: o.pos_offset.zip(b.pos_offset),
                old_offset: o.offset,
                old_len: o.len,
                new_offset: b.offset,
                new_len: b.len,
            });
        }
        let new_keys: HashSet<&Key> = new
            .cells
            .iter()
            .map(|c| &c.key)
            .chain(new.buffers.iter().map(|b| &b.key))
            .collect();
        plan.dropped = old
            .cells
            .iter()
            .map(|c| &c.key)
            .chain(old.buffers.iter().map(|b| &b.key))
            .filter(|k| !new_keys.contains(k))
            .cloned()
            .collect();
        plan
    }

    /// Number of cells and buffers carried over.
    pub fn carried(&self) -> usize {
        self.cells.len() + self.buffers.len()
    }

    /// True when some state of the new program could not be carried (new keys), the
    /// case `--xfade` crossfades.
    pub fn has_fresh(&self) -> bool {
        !self.fresh.is_empty()
    }

    /// True when the plan copies everything and starts nothing fresh: the new program
    /// continues exactly where the old one was.
    pub fn is_complete(&self) -> bool {
        self.fresh.is_empty() && self.dropped.is_empty() && self.resized.is_empty()
    }
}

/// Copies the carried state from `old` into `new` (which holds the new program's
/// initial state). Does not allocate; safe on the audio thread.
///
/// Panics if the blocks are not the lengths the plan was made for.
pub fn apply(plan: &MigrationPlan, old: &[f64], new: &mut [f64]) {
    assert!(old.len() == plan.old_len && new.len() == plan.new_len);
    for &(o, n) in &plan.cells {
        new[n] = old[o];
    }
    for b in &plan.buffers {
        let src = &old[b.old_offset..b.old_offset + b.old_len];
        let dst = &mut new[b.new_offset..b.new_offset + b.new_len];
        match b.pos {
            _ if b.old_len == b.new_len => dst.copy_from_slice(src),
            Some((old_pos, new_pos)) => {
                // The sample written last is at old write position − 1. Copy the most
                // recent `m` of them so that they end just before the new write position
                // `m mod new_len`; older slots stay silent.
                let m = b.old_len.min(b.new_len);
                let p = wrap_pos(old[old_pos], b.old_len);
                for j in 1..=m {
                    dst[m - j] = src[(p + b.old_len - j) % b.old_len];
                }
                new[new_pos] = (m % b.new_len) as f64;
            }
            None => {
                // Not a delay line (a voice pool whose size changed): the common prefix,
                // which these layouts keep valid (header first, then slots).
                let m = b.old_len.min(b.new_len);
                dst[..m].copy_from_slice(&src[..m]);
            }
        }
    }
}

/// A stored write position as an index into a buffer of `len` samples.
fn wrap_pos(p: f64, len: usize) -> usize {
    if p.is_finite() && p >= 0.0 {
        (p as usize) % len
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kanon_compiler::layout::{BufferSlot, CellSlot};

    /// A key for a short test name: `d.buf` is slot `buf` of delay `~d`, `a` a cell.
    fn key(name: &str) -> Key {
        let text = match name.split_once('.') {
            Some((d, slot)) => format!("~{d}/delay#0.{slot}"),
            None => format!("~t/f#0.{name}"),
        };
        Key::parse(&text).unwrap()
    }

    fn layout(cells: &[(&str, f64)], bufs: &[(&str, usize)]) -> Layout {
        let mut l = Layout::default();
        for (i, (k, init)) in cells.iter().enumerate() {
            l.cells.push(CellSlot {
                key: key(k),
                offset: i,
                init: *init,
            });
        }
        l.len = cells.len();
        for (k, len) in bufs {
            let pos = key(&k.replace(".buf", ".pos"));
            l.buffers.push(BufferSlot {
                key: key(k),
                offset: l.len,
                len: *len,
                pos_offset: Some(l.cell(pos.as_str()).unwrap().offset),
            });
            l.len += len;
        }
        l
    }

    #[test]
    fn cells_match_by_key_not_position() {
        let old = layout(&[("a", 0.0), ("b", 0.0), ("gone", 0.0)], &[]);
        let new = layout(&[("new", 7.0), ("b", 0.0), ("a", 0.0)], &[]);
        let plan = MigrationPlan::new(&old, &new);
        assert_eq!(plan.fresh, [key("new")]);
        assert_eq!(plan.dropped, [key("gone")]);
        let mut state = new.initial_state();
        apply(&plan, &[1.0, 2.0, 3.0], &mut state);
        assert_eq!(state, [7.0, 2.0, 1.0]);
    }

    #[test]
    fn same_length_buffer_is_copied_whole() {
        let old = layout(&[("d.pos", 0.0)], &[("d.buf", 4)]);
        let new = layout(&[("x", 0.5), ("d.pos", 0.0)], &[("d.buf", 4)]);
        let plan = MigrationPlan::new(&old, &new);
        assert!(plan.resized.is_empty());
        let mut state = new.initial_state();
        apply(&plan, &[3.0, 1.0, 2.0, 3.0, 4.0], &mut state);
        assert_eq!(state, [0.5, 3.0, 1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn grown_buffer_keeps_recent_past_before_new_write_position() {
        // Old buffer [a b c d], write position 1: most recent is a (index 0), then d, c, b.
        let old = layout(&[("d.pos", 0.0)], &[("d.buf", 4)]);
        let new = layout(&[("d.pos", 0.0)], &[("d.buf", 8)]);
        let plan = MigrationPlan::new(&old, &new);
        assert_eq!(plan.resized, [key("d.buf")]);
        let mut state = new.initial_state();
        apply(&plan, &[1.0, 10.0, 20.0, 30.0, 40.0], &mut state);
        // New write position 4; samples 3,2,1,0 hold a, d, c, b.
        assert_eq!(state[0], 4.0);
        assert_eq!(&state[1..], &[20.0, 30.0, 40.0, 10.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn a_write_position_past_the_length_counts_modulo_it() {
        // Delay lines count frames without wrapping: position 4·k + 1 is position 1.
        let old = layout(&[("d.pos", 0.0)], &[("d.buf", 4)]);
        let new = layout(&[("d.pos", 0.0)], &[("d.buf", 8)]);
        let plan = MigrationPlan::new(&old, &new);
        let mut state = new.initial_state();
        apply(&plan, &[48_001.0, 10.0, 20.0, 30.0, 40.0], &mut state);
        assert_eq!(state[0], 4.0);
        assert_eq!(&state[1..], &[20.0, 30.0, 40.0, 10.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn shrunk_buffer_keeps_most_recent_samples() {
        let old = layout(&[("d.pos", 0.0)], &[("d.buf", 8)]);
        let new = layout(&[("d.pos", 0.0)], &[("d.buf", 4)]);
        let plan = MigrationPlan::new(&old, &new);
        let mut state = new.initial_state();
        let mut old_state = vec![3.0];
        old_state.extend((0..8).map(f64::from)); // written last: index 2
        apply(&plan, &old_state, &mut state);
        assert_eq!(state[0], 0.0); // 4 % 4
                                   // Reading back from write position 0: index 3 = 2, 2 = 1, 1 = 0, 0 = 7.
        assert_eq!(&state[1..], &[7.0, 0.0, 1.0, 2.0]);
    }
}
