//! Building a [`Program`] node by node. Every node goes through constant folding and
//! hash-consing as it is added, so the graph never holds two copies of one computation.

use super::*;
use super::{cse, fold};
use rustc_hash::FxHashMap;
use std::hash::BuildHasher;

/// Appends nodes, cells and buffers to a program under construction.
pub struct Builder {
    prog: Program,
    // FxHash: these maps see every node and key of a program, and SipHash's resistance
    // to chosen collisions buys nothing for a compiler's own keys (it was a tenth of a
    // 1,400-voice compile).
    seen: FxHashMap<cse::OpKey, NodeId>,
    /// Every state key handed out so far, by the hash of its text: a second request for
    /// one is refused, so a program can never hold two pieces of state under one key.
    /// The map points at the key's owner instead of holding a copy of the key.
    keys: FxHashMap<u64, KeyAt>,
    /// Further owners whose keys' hashes equal an earlier, different key's (rare).
    clashes: Vec<KeyAt>,
}

/// Which cell or buffer holds a key.
#[derive(Clone, Copy)]
enum KeyAt {
    Cell(u32),
    Buffer(u32),
}

/// A placeholder for a cell's `next` until it is set.
const UNSET: NodeId = NodeId(u32::MAX);

impl Builder {
    /// An empty program at a sample rate.
    pub fn new(sample_rate: f64) -> Self {
        Builder {
            prog: Program {
                sample_rate,
                tempo: 1.0,
                nodes: Vec::new(),
                cells: Vec::new(),
                buffers: Vec::new(),
                patterns: Vec::new(),
                samplers: Vec::new(),
                clock: None,
                buses: Vec::new(),
                outputs: Vec::new(),
                taps: Vec::new(),
                histories: Vec::new(),
                params: Vec::new(),
            },
            seen: FxHashMap::default(),
            keys: FxHashMap::default(),
            clashes: Vec::new(),
        }
    }

    /// The program so far.
    pub fn program(&self) -> &Program {
        &self.prog
    }

    /// The program so far, for setting its outputs, buses and histories.
    pub fn program_mut(&mut self) -> &mut Program {
        &mut self.prog
    }

    /// Adds a node (folded and deduplicated).
    pub fn add(&mut self, op: Op) -> NodeId {
        if let Op::Binary(BinOp::Div, a, b) = op {
            if let Some(r) = self.prog.constant(b).and_then(fold::exact_reciprocal) {
                let r = self.constant(r);
                return self.add(Op::Binary(BinOp::Mul, a, r));
            }
        }
        let op = match fold::simplify(&self.prog.nodes, op) {
            fold::Simplified::Node(n) => return n,
            fold::Simplified::Op(op) => op,
        };
        let key = cse::OpKey::of(op);
        if let Some(&n) = self.seen.get(&key) {
            return n;
        }
        let n = NodeId(self.prog.nodes.len() as u32);
        self.prog.nodes.push(op);
        self.seen.insert(key, n);
        n
    }

    /// A constant.
    pub fn constant(&mut self, v: f64) -> NodeId {
        self.add(Op::Const(v))
    }

    /// `op a`.
    pub fn unary(&mut self, op: UnOp, a: NodeId) -> NodeId {
        self.add(Op::Unary(op, a))
    }

    /// `a op b`.
    pub fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId) -> NodeId {
        self.add(Op::Binary(op, a, b))
    }

    /// A new cell with a key and initial value; set its next value with
    /// [`Builder::set_next`]. Refuses a key already given out (a compiler bug: call
    /// sites are numbered uniquely, see `lower::sites`).
    pub fn cell(&mut self, key: Key, init: f64) -> Result<CellId, String> {
        let c = CellId(self.prog.cells.len() as u32);
        self.claim(&key, KeyAt::Cell(c.0))?;
        self.prog.cells.push(Cell {
            key,
            init,
            next: UNSET,
        });
        Ok(c)
    }

    /// Records that `at` (not yet pushed) will hold `key`, or refuses a key given out before.
    fn claim(&mut self, key: &Key, at: KeyAt) -> Result<(), String> {
        let h = self.keys.hasher().hash_one(key.as_str());
        let taken = match self.keys.get(&h) {
            None => {
                self.keys.insert(h, at);
                return Ok(());
            }
            Some(&first) => std::iter::once(first)
                .chain(self.clashes.iter().copied())
                .any(|k| self.key_at(k) == key),
        };
        if taken {
            return Err(format!(
                "internal error: the state key `{key}` was built twice; please report this program"
            ));
        }
        self.clashes.push(at);
        Ok(())
    }

    fn key_at(&self, at: KeyAt) -> &Key {
        match at {
            KeyAt::Cell(c) => &self.prog.cells[c as usize].key,
            KeyAt::Buffer(b) => &self.prog.buffers[b as usize].key,
        }
    }

    /// The raw value of the live parameter `name` (declared here with `default` if it is
    /// new). One name is one parameter: a second declaration must give the same default.
    pub fn param(&mut self, name: &str, default: f64) -> Result<NodeId, String> {
        let slot = match self.prog.params.iter().find(|d| d.name == name) {
            Some(d) if d.default.to_bits() != default.to_bits() => {
                return Err(format!(
                    "the parameter \"{name}\" is declared with the default {} elsewhere; give every use the same default",
                    crate::fmt_num(d.default)
                ))
            }
            Some(d) => d.slot,
            None => {
                let slot = self.prog.params.len() as u32;
                self.prog.params.push(super::ParamDecl {
                    name: name.to_string(),
                    slot,
                    default,
                    cc: None,
                });
                slot
            }
        };
        Ok(self.add(Op::Param(slot)))
    }

    /// Maps a MIDI controller onto the parameter `name` (declared already). Every use that
    /// maps it must give the same mapping, and one controller drives one name.
    pub fn map_cc(&mut self, name: &str, map: super::CcMap) -> Result<(), String> {
        if let Some(other) = self
            .prog
            .params
            .iter()
            .find(|d| d.name != name && d.cc.is_some_and(|c| c.controller == map.controller))
        {
            return Err(format!(
                "CC {} is already mapped to \"{}\"; one controller drives one parameter",
                map.controller, other.name
            ));
        }
        let Some(d) = self.prog.params.iter_mut().find(|d| d.name == name) else {
            return Err(format!("the parameter \"{name}\" is not declared"));
        };
        match d.cc {
            Some(c) if c != map => Err(format!(
                "the parameter \"{name}\" is mapped to CC {} {}..{} elsewhere; give every mapping of it the same :cc, :min, :max and :curve",
                c.controller,
                crate::fmt_num(c.min),
                crate::fmt_num(c.max)
            )),
            _ => {
                d.cc = Some(map);
                Ok(())
            }
        }
    }

    /// The cell's value from the previous sample.
    pub fn read(&mut self, c: CellId) -> NodeId {
        self.add(Op::Read(c))
    }

    /// Sets the value a cell takes for the next sample.
    pub fn set_next(&mut self, c: CellId, v: NodeId) {
        self.prog.cells[c.index()].next = v;
    }

    /// A new delay buffer of at least `min_len` samples (rounded up to a power of two),
    /// written at the position held in cell `pos`.
    pub fn buffer(&mut self, key: Key, min_len: usize, pos: CellId) -> Result<BufId, String> {
        let b = BufId(self.prog.buffers.len() as u32);
        self.claim(&key, KeyAt::Buffer(b.0))?;
        self.prog.buffers.push(Buffer {
            key,
            len: min_len.max(4).next_power_of_two(),
            pos: Some(pos),
        });
        Ok(b)
    }

    /// A new buffer of exactly `len` f64s that is not a delay line (a cursor, a voice
    /// pool, the clock).
    pub fn store(&mut self, key: Key, len: usize) -> Result<BufId, String> {
        let b = BufId(self.prog.buffers.len() as u32);
        self.claim(&key, KeyAt::Buffer(b.0))?;
        self.prog.buffers.push(Buffer {
            key,
            len,
            pos: None,
        });
        Ok(b)
    }

    /// The pattern played as a signal from `table` with its cursor in `cursor`.
    pub fn pattern(&mut self, table: std::sync::Arc<[f64]>, cursor: BufId) -> PatId {
        let p = PatId(self.prog.patterns.len() as u32);
        self.prog.patterns.push(PatternSignal { table, cursor });
        p
    }

    /// A sampler playing `table` with its cursor and voices in those buffers.
    pub fn sampler(
        &mut self,
        table: std::sync::Arc<[f64]>,
        cursor: BufId,
        voices: BufId,
    ) -> SamplerId {
        let s = SamplerId(self.prog.samplers.len() as u32);
        self.prog.samplers.push(Sampler {
            table,
            cursor,
            voices,
        });
        s
    }

    /// The finished program. Panics if a cell was never given a next value: that is a
    /// bug in a builtin's lowering, not a user error.
    pub fn finish(self) -> Program {
        for c in &self.prog.cells {
            assert!(c.next != UNSET, "cell {} has no next value", c.key);
        }
        self.prog
    }
}
