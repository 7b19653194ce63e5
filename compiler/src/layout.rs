//! The state layout: where each keyed cell and delay buffer lives in the state block.
//!
//! The state block is one `[f64]`: every cell first (in IR order), then every delay
//! buffer. Positions are an implementation detail of one compiled program; anything
//! that outlives a program (migration on swap) goes by key.

use crate::ir::Program;

/// One cell's place in the state block.
#[derive(Clone, Debug, PartialEq)]
pub struct CellSlot {
    /// Symbol key.
    pub key: String,
    /// Index into the state block.
    pub offset: usize,
    /// Value before the first sample.
    pub init: f64,
}

/// One delay buffer's place in the state block.
#[derive(Clone, Debug, PartialEq)]
pub struct BufferSlot {
    /// Symbol key.
    pub key: String,
    /// Index of its first sample in the state block.
    pub offset: usize,
    /// Length in samples (a power of two).
    pub len: usize,
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
                };
                len += b.len;
                s
            })
            .collect();
        Layout {
            cells,
            buffers,
            len,
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
    pub fn cell(&self, key: &str) -> Option<&CellSlot> {
        self.cells.iter().find(|c| c.key == key)
    }

    /// The buffer with this key.
    pub fn buffer(&self, key: &str) -> Option<&BufferSlot> {
        self.buffers.iter().find(|b| b.key == key)
    }
}
