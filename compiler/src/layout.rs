//! The state layout: where each keyed cell and delay buffer lives in the state block.
//!
//! The state block is one `[f64]`: every cell first (in IR order), then every delay
//! buffer. Positions are an implementation detail of one compiled program; anything
//! that outlives a program (migration on swap) goes by key.

use crate::ir::{Op, Program};
use crate::key::Key;

/// One cell's place in the state block.
#[derive(Clone, Debug, PartialEq)]
pub struct CellSlot {
    /// Symbol key.
    pub key: Key,
    /// Index into the state block.
    pub offset: usize,
    /// Value before the first sample.
    pub init: f64,
}

/// One delay buffer's place in the state block.
#[derive(Clone, Debug, PartialEq)]
pub struct BufferSlot {
    /// Symbol key.
    pub key: Key,
    /// Index of its first sample in the state block.
    pub offset: usize,
    /// Length in samples (a power of two).
    pub len: usize,
    /// For a delay line, the index of its write-position cell in the state block.
    pub pos_offset: Option<usize>,
}

/// Where every piece of a program's state lives.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Layout {
    /// The cells.
    pub cells: Vec<CellSlot>,
    /// The delay buffers.
    pub buffers: Vec<BufferSlot>,
    /// Total length of the state block in f64s.
    pub len: usize,
    /// How many slots of the parameter block the program reads (one past the highest).
    pub param_slots: usize,
}

impl Layout {
    /// The layout of a program's state.
    pub fn of(p: &Program) -> Layout {
        let cells: Vec<CellSlot> = p
            .cells
            .iter()
            .enumerate()
            .map(|(i, c)| CellSlot {
                key: c.key.clone(),
                offset: i,
                init: c.init,
            })
            .collect();
        let mut len = cells.len();
        let buffers = p
            .buffers
            .iter()
            .map(|b| {
                let s = BufferSlot {
                    key: b.key.clone(),
                    offset: len,
                    len: b.len,
                    pos_offset: b.pos.map(|c| cells[c.index()].offset),
                };
                len += b.len;
                s
            })
            .collect();
        let param_slots = p
            .nodes
            .iter()
            .filter_map(|op| match op {
                Op::Param(n) => Some(*n as usize + 1),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        Layout {
            cells,
            buffers,
            len,
            param_slots,
        }
    }

    /// A fresh state block: cells at their initial values, buffers silent.
    pub fn initial_state(&self) -> Vec<f64> {
        let mut s = vec![0.0; self.len];
        for c in &self.cells {
            s[c.offset] = c.init;
        }
        s
    }

    /// The cell with this key.
    pub fn cell(&self, key: impl AsRef<str>) -> Option<&CellSlot> {
        let key = key.as_ref();
        self.cells.iter().find(|c| c.key == key)
    }

    /// The buffer with this key.
    pub fn buffer(&self, key: impl AsRef<str>) -> Option<&BufferSlot> {
        let key = key.as_ref();
        self.buffers.iter().find(|b| b.key == key)
    }
}
