//! Finds banks: sums of identical voices that codegen rolls into one loop over the voices.
//!
//! `sum i 0..1000: 0.01 * sine (55 * (i + 1))` unrolls to a chain of adds over 1000
//! copies of one small graph that differ only in constants. Emitting each copy costs
//! compile time and instruction cache in proportion to the bank; emitting one copy, run
//! voice by voice over a chunk of samples with the differing constants read from a
//! table, costs neither. This pass only recognises the shape, on the final IR: any chain
//! `((t0 + t1) + t2) + …` whose terms are disjoint, self-contained, structurally equal
//! voices whose cells sit at a fixed stride in the state block. The sum is still added
//! in the same order, so the output is bit-for-bit the unrolled program's.

use crate::ir::{BinOp, Cell, CellId, NodeId, Op, Program};
use crate::layout::Layout;

/// Fewest voices worth a loop: below this, unrolled code is as small and as fast.
pub const MIN_VOICES: usize = 8;

/// Most banks one program rolls (the largest ones): each holds a 2 KiB sum buffer on
/// the audio thread's stack.
pub const MAX_BANKS: usize = 16;

/// A chain of adds over structurally equal voices, to be run as a loop.
#[derive(Clone, Debug)]
pub struct Bank {
    /// The node holding the whole sum.
    pub root: NodeId,
    /// How many voices it adds.
    pub voices: usize,
    /// One voice as a program of its own: nodes `0..externals.len()` stand for the
    /// main program's loop-invariant `externals`, the next `params` nodes for this
    /// voice's row of [`Bank::table`]; cells are the voice's own; `outputs[0]` is its term.
    pub template: Program,
    /// Loop-invariant main-program nodes the voices read.
    pub externals: Vec<NodeId>,
    /// How many constants differ from voice to voice.
    pub params: usize,
    /// Those constants, one row of `params` per voice.
    pub table: Vec<f64>,
    /// State-block offset of each template cell in voice 0.
    pub cell_offsets: Vec<usize>,
    /// State-block distance between one voice's cells and the next one's.
    pub stride: usize,
    /// Main-program nodes the bank computes (voices and the chain's adds).
    pub nodes: Vec<NodeId>,
    /// Main-program cells the bank owns.
    pub cells: Vec<CellId>,
}

/// An operand of a voice node, seen from inside the voice.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Operand {
    /// The k-th node of the same voice.
    Local(u32),
    /// A loop-invariant node outside every voice.
    External(NodeId),
    /// A constant.
    Const(f64),
}

/// The owner mark of the chain's adds (voices are numbered from 0; `u32::MAX` is nobody).
const CHAIN: u32 = u32::MAX - 1;

/// One voice node's shape: its op with operands as [`Operand`]s.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    /// A read of the voice's j-th cell.
    Read(u32),
    Unary(crate::ir::UnOp, Operand),
    Binary(BinOp, Operand, Operand),
    Select(Operand, Operand, Operand),
}

/// One voice, described relative to itself.
struct Voice {
    /// Its nodes, in arena order.
    nodes: Vec<NodeId>,
    /// Its cells, in order of their reads.
    cells: Vec<CellId>,
    shapes: Vec<Shape>,
    /// Per cell: its next value.
    nexts: Vec<Operand>,
    /// Its term (the value added to the chain).
    result: u32,
}

/// What the bank search needs to know about every node.
struct Graph<'p> {
    p: &'p Program,
    varying: &'p [bool],
    /// Node users (one entry per operand occurrence).
    users: Vec<Vec<NodeId>>,
    /// Nodes that are outputs or bus values.
    exposed: Vec<bool>,
    /// Per node, the cells whose next value it is.
    next_of: Vec<Vec<CellId>>,
    /// Per cell, the node reading it.
    read_of: Vec<Option<NodeId>>,
}

/// The program's banks (at most [`MAX_BANKS`], the largest); none overlaps another.
pub fn find(p: &Program, layout: &Layout, varying: &[bool]) -> Vec<Bank> {
    let mut users = vec![Vec::new(); p.nodes.len()];
    let mut read_of = vec![None; p.cells.len()];
    for (i, op) in p.nodes.iter().enumerate() {
        for n in op.inputs() {
            users[n.index()].push(NodeId(i as u32));
        }
        if let Op::Read(c) = op {
            read_of[c.index()] = Some(NodeId(i as u32));
        }
    }
    let mut exposed = vec![false; p.nodes.len()];
    for n in p.results() {
        exposed[n.index()] = true;
    }
    let mut next_of = vec![Vec::new(); p.nodes.len()];
    for (c, cell) in p.cells.iter().enumerate() {
        next_of[cell.next.index()].push(CellId(c as u32));
    }
    let g = Graph {
        p,
        varying,
        users,
        exposed,
        next_of,
        read_of,
    };

    let mut taken = vec![false; p.nodes.len()];
    let mut banks = Vec::new();
    // Later roots first: an outer sum's chain comes after the inner sums it contains.
    for r in (0..p.nodes.len()).rev() {
        let root = NodeId(r as u32);
        if taken[r] || !g.is_chain_top(root) {
            continue;
        }
        if let Some(bank) = g.bank_at(root, layout) {
            for n in &bank.nodes {
                taken[n.index()] = true;
            }
            banks.push(bank);
        }
    }
    banks.sort_by_key(|b| std::cmp::Reverse(b.voices));
    banks.truncate(MAX_BANKS);
    banks
}

impl Graph<'_> {
    /// A varying add that is not itself the left operand of a longer chain.
    fn is_chain_top(&self, n: NodeId) -> bool {
        if !matches!(self.p.op(n), Op::Binary(BinOp::Add, ..)) || !self.varying[n.index()] {
            return false;
        }
        !self.is_link(n)
            || !matches!(self.p.op(self.users[n.index()][0]), Op::Binary(BinOp::Add, l, _) if l == n)
    }

    /// Whether `n` can sit inside a chain: a varying add used once, by nothing else.
    fn is_link(&self, n: NodeId) -> bool {
        matches!(self.p.op(n), Op::Binary(BinOp::Add, ..))
            && self.varying[n.index()]
            && self.users[n.index()].len() == 1
            && !self.exposed[n.index()]
            && self.next_of[n.index()].is_empty()
    }

    /// The bank whose chain ends at `root` (or a little below it), if its terms are
    /// equal voices.
    fn bank_at(&self, root: NodeId, layout: &Layout) -> Option<Bank> {
        // The chain's adds, outermost first.
        let mut adds = vec![root];
        let mut x = root;
        while let Op::Binary(BinOp::Add, l, _) = self.p.op(x) {
            if !self.is_link(l) {
                break;
            }
            adds.push(l);
            x = l;
        }
        // The chain may start lower (a small outer sum over a large inner one makes one
        // long spine of adds) and a voice may itself be a sum of a few terms (`sine a +
        // sine b`): try starting the chain up to MIN_VOICES adds lower and its first
        // term up to two adds higher.
        for top in 0..MIN_VOICES.min(adds.len()) {
            let adds = &adds[top..];
            if adds.len() + 1 < MIN_VOICES {
                return None;
            }
            let found = (0..3.min(adds.len())).find_map(|skip| {
                let chain = &adds[..adds.len() - skip];
                let deepest = *chain.last()?;
                let first = match (skip, self.p.op(deepest)) {
                    (0, Op::Binary(_, l, _)) => l,
                    (_, _) => adds[adds.len() - skip],
                };
                let mut terms = vec![first];
                terms.extend(chain.iter().rev().map(|&a| match self.p.op(a) {
                    Op::Binary(_, _, r) => r,
                    _ => unreachable!("chain links are adds"),
                }));
                self.bank_of(chain[0], chain, &terms, layout)
            });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn bank_of(
        &self,
        root: NodeId,
        chain: &[NodeId],
        terms: &[NodeId],
        layout: &Layout,
    ) -> Option<Bank> {
        if terms.len() < MIN_VOICES {
            return None;
        }
        let mut owner = vec![u32::MAX; self.p.nodes.len()];
        for &a in chain {
            owner[a.index()] = CHAIN;
        }
        let mut voices = Vec::with_capacity(terms.len());
        for (k, &t) in terms.iter().enumerate() {
            let v = self.voice(k as u32, t, &mut owner)?;
            if let Some(v0) = voices.first() {
                if !same_structure(v0, &v) {
                    return None;
                }
            }
            voices.push(v);
        }
        // Cells at one stride, so a voice's cells are found from its index.
        let offset = |c: CellId| layout.cells[c.index()].offset;
        let v0 = &voices[0];
        let stride = match voices.get(1)?.cells.first() {
            Some(&c) => offset(c).checked_sub(offset(v0.cells[0]))?,
            None => 0,
        };
        for (k, v) in voices.iter().enumerate() {
            for (&c, &c0) in v.cells.iter().zip(&v0.cells) {
                if offset(c) != offset(c0) + k * stride {
                    return None;
                }
            }
        }
        if !v0.cells.is_empty() && stride < v0.cells.len() {
            return None;
        }
        Some(self.assemble(root, chain, &voices, stride, layout))
    }

    /// Voice `k`: everything that varies and that its term `t` depends on, following
    /// cells to their next values. `None` if it reaches outside itself.
    fn voice(&self, k: u32, t: NodeId, owner: &mut [u32]) -> Option<Voice> {
        if !self.varying[t.index()] {
            return None;
        }
        let mut stack = vec![t];
        let mut nodes = Vec::new();
        while let Some(n) = stack.pop() {
            match owner[n.index()] {
                o if o == k => continue,
                u32::MAX => {}
                _ => return None,
            }
            owner[n.index()] = k;
            nodes.push(n);
            let op = self.p.op(n);
            // Ops with their own buffers stay in the main loop.
            if matches!(
                op,
                Op::Delay { .. } | Op::Pattern { .. } | Op::Sample { .. }
            ) {
                return None;
            }
            if let Op::Read(c) = op {
                let next = self.p.cells[c.index()].next;
                if self.varying[next.index()] {
                    stack.push(next);
                }
            }
            stack.extend(op.inputs().filter(|i| self.varying[i.index()]));
        }
        nodes.sort();
        // Self-contained: nothing outside reads a voice node, except the chain its term.
        for &n in &nodes {
            if self.exposed[n.index()] {
                return None;
            }
            for u in &self.users[n.index()] {
                let inside = owner[u.index()] == k;
                let chained = owner[u.index()] == CHAIN;
                if !(inside || n == t && chained) {
                    return None;
                }
            }
            for c in &self.next_of[n.index()] {
                if self.read_of[c.index()].is_none_or(|r| owner[r.index()] != k) {
                    return None;
                }
            }
        }
        let local = |n: NodeId| nodes.binary_search(&n).ok().map(|i| i as u32);
        let mut cells = Vec::new();
        for &n in &nodes {
            if let Op::Read(c) = self.p.op(n) {
                cells.push(c);
            }
        }
        let operand = |n: NodeId| match (local(n), self.p.op(n)) {
            (Some(i), _) => Operand::Local(i),
            (None, Op::Const(v)) => Operand::Const(v),
            (None, _) => Operand::External(n),
        };
        let shapes = nodes
            .iter()
            .map(|&n| match self.p.op(n) {
                Op::Read(c) => Shape::Read(cells.iter().position(|&x| x == c).unwrap_or(0) as u32),
                Op::Unary(o, a) => Shape::Unary(o, operand(a)),
                Op::Binary(o, a, b) => Shape::Binary(o, operand(a), operand(b)),
                Op::Select(c, a, b) => Shape::Select(operand(c), operand(a), operand(b)),
                Op::Const(_)
                | Op::Param(_)
                | Op::Delay { .. }
                | Op::Pattern { .. }
                | Op::Sample { .. } => unreachable!("not in a voice"),
            })
            .collect();
        let nexts = cells
            .iter()
            .map(|c| operand(self.p.cells[c.index()].next))
            .collect();
        let result = local(t)?;
        Some(Voice {
            nodes,
            cells,
            shapes,
            nexts,
            result,
        })
    }

    /// Builds the template from voice 0 and the table from every voice's constants.
    fn assemble(
        &self,
        root: NodeId,
        chain: &[NodeId],
        voices: &[Voice],
        stride: usize,
        layout: &Layout,
    ) -> Bank {
        let v0 = &voices[0];
        // Every operand position, in a fixed order, for voice `v`.
        let positions = |v: &Voice| -> Vec<Operand> {
            let mut out = Vec::new();
            for s in &v.shapes {
                match *s {
                    Shape::Read(_) => {}
                    Shape::Unary(_, a) => out.push(a),
                    Shape::Binary(_, a, b) => out.extend([a, b]),
                    Shape::Select(c, a, b) => out.extend([c, a, b]),
                }
            }
            out.extend(v.nexts.iter().copied());
            out
        };
        let all: Vec<Vec<Operand>> = voices.iter().map(positions).collect();
        let mut externals = Vec::new();
        for o in &all[0] {
            if let Operand::External(n) = *o {
                if !externals.contains(&n) {
                    externals.push(n);
                }
            }
        }
        // A constant position is a parameter when some voice has another value there.
        let varies: Vec<bool> = (0..all[0].len())
            .map(|i| match all[0][i] {
                Operand::Const(c) => all
                    .iter()
                    .any(|v| !matches!(v[i], Operand::Const(x) if x.to_bits() == c.to_bits())),
                _ => false,
            })
            .collect();
        let params = varies.iter().filter(|&&v| v).count();
        let mut table = Vec::with_capacity(params * voices.len());
        for v in &all {
            table.extend(
                v.iter()
                    .zip(&varies)
                    .filter(|(_, &p)| p)
                    .map(|(o, _)| match o {
                        Operand::Const(c) => *c,
                        _ => unreachable!("parameters are constants"),
                    }),
            );
        }

        // Template nodes: externals, parameters, then constants and voice nodes as used.
        let mut nodes: Vec<Op> = Vec::new();
        // A placeholder's op is never emitted; it only must not look like a constant.
        let placeholder = Op::Read(CellId(u32::MAX));
        nodes.extend(std::iter::repeat_n(placeholder, externals.len() + params));
        let mut local_ids = vec![NodeId(0); v0.nodes.len()];
        let mut pos = 0;
        let mut next_param = externals.len();
        let mut resolve = |o: Operand, nodes: &mut Vec<Op>, local_ids: &[NodeId]| {
            let varies = varies[pos];
            pos += 1;
            match o {
                Operand::Local(i) => local_ids[i as usize],
                Operand::External(n) => {
                    NodeId(externals.iter().position(|&e| e == n).unwrap_or(0) as u32)
                }
                Operand::Const(_) if varies => {
                    next_param += 1;
                    NodeId(next_param as u32 - 1)
                }
                Operand::Const(c) => {
                    nodes.push(Op::Const(c));
                    NodeId(nodes.len() as u32 - 1)
                }
            }
        };
        for (i, s) in v0.shapes.iter().enumerate() {
            let op = match *s {
                Shape::Read(j) => Op::Read(CellId(j)),
                Shape::Unary(o, a) => Op::Unary(o, resolve(a, &mut nodes, &local_ids)),
                Shape::Binary(o, a, b) => {
                    let a = resolve(a, &mut nodes, &local_ids);
                    Op::Binary(o, a, resolve(b, &mut nodes, &local_ids))
                }
                Shape::Select(c, a, b) => {
                    let c = resolve(c, &mut nodes, &local_ids);
                    let a = resolve(a, &mut nodes, &local_ids);
                    Op::Select(c, a, resolve(b, &mut nodes, &local_ids))
                }
            };
            nodes.push(op);
            local_ids[i] = NodeId(nodes.len() as u32 - 1);
        }
        let cells = v0
            .cells
            .iter()
            .zip(&v0.nexts)
            .map(|(&c, &next)| Cell {
                key: self.p.cells[c.index()].key.clone(),
                init: self.p.cells[c.index()].init,
                next: resolve(next, &mut nodes, &local_ids),
            })
            .collect();
        let template = Program {
            sample_rate: self.p.sample_rate,
            tempo: self.p.tempo,
            nodes,
            cells,
            buffers: Vec::new(),
            patterns: Vec::new(),
            samplers: Vec::new(),
            clock: None,
            buses: Vec::new(),
            outputs: vec![local_ids[v0.result as usize]],
            taps: Vec::new(),
            histories: Vec::new(),
            params: self.p.params.clone(),
        };
        let mut covered: Vec<NodeId> = chain.to_vec();
        let mut owned = Vec::new();
        for v in voices {
            covered.extend(&v.nodes);
            owned.extend(&v.cells);
        }
        Bank {
            root,
            voices: voices.len(),
            template,
            externals,
            params,
            table,
            cell_offsets: v0
                .cells
                .iter()
                .map(|c| layout.cells[c.index()].offset)
                .collect(),
            stride,
            nodes: covered,
            cells: owned,
        }
    }
}

/// Equal shapes, constants aside (those become parameters).
fn same_structure(a: &Voice, b: &Voice) -> bool {
    let same = |x: &Operand, y: &Operand| match (x, y) {
        (Operand::Const(_), Operand::Const(_)) => true,
        _ => x == y,
    };
    a.result == b.result
        && a.shapes.len() == b.shapes.len()
        && a.nexts.len() == b.nexts.len()
        && a.nexts.iter().zip(&b.nexts).all(|(x, y)| same(x, y))
        && a.shapes.iter().zip(&b.shapes).all(|(x, y)| match (x, y) {
            (Shape::Read(i), Shape::Read(j)) => i == j,
            (Shape::Unary(o, a), Shape::Unary(p, b)) => o == p && same(a, b),
            (Shape::Binary(o, a, c), Shape::Binary(p, b, d)) => o == p && same(a, b) && same(c, d),
            (Shape::Select(a, c, e), Shape::Select(b, d, f)) => {
                same(a, b) && same(c, d) && same(e, f)
            }
            _ => false,
        })
}
