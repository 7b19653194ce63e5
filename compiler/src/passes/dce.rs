//! Dead-code elimination: keeps what reaches an output, a tap or a bus, the cells those
//! read, and the buffers, patterns and samplers the kept nodes use.

use crate::ir::{BufId, Buffer, CellId, Clock, NodeId, Op, PatId, Program, SamplerId};

/// Removes nodes, cells, buffers, patterns and samplers that nothing kept depends on, and
/// renumbers the rest (keeping their relative order, so keys and evaluation order are
/// unchanged).
pub fn run(p: Program) -> Program {
    let mut live = vec![false; p.nodes.len()];
    let mut live_cells = vec![false; p.cells.len()];
    let mut stack: Vec<NodeId> = p.results().collect();
    while let Some(n) = stack.pop() {
        if std::mem::replace(&mut live[n.index()], true) {
            continue;
        }
        let op = p.op(n);
        if let Op::Read(c) = op {
            if !std::mem::replace(&mut live_cells[c.index()], true) {
                stack.push(p.cells[c.index()].next);
            }
        }
        stack.extend(op.inputs());
    }

    // What the live nodes use.
    let mut live_bufs = vec![false; p.buffers.len()];
    let mut live_pats = vec![false; p.patterns.len()];
    let mut live_samplers = vec![false; p.samplers.len()];
    for (i, op) in p.nodes.iter().enumerate() {
        if !live[i] {
            continue;
        }
        match *op {
            Op::Delay { buf, .. } => live_bufs[buf.index()] = true,
            Op::Pattern { pat, .. } => {
                live_pats[pat.index()] = true;
                live_bufs[p.patterns[pat.index()].cursor.index()] = true;
            }
            Op::Sample { sampler, .. } => {
                live_samplers[sampler.index()] = true;
                let s = &p.samplers[sampler.index()];
                live_bufs[s.cursor.index()] = true;
                live_bufs[s.voices.index()] = true;
            }
            _ => {}
        }
    }
    let clocked = live_pats.contains(&true) || live_samplers.contains(&true);
    let clock = p.clock.filter(|_| clocked);
    if let Some(c) = &clock {
        live_bufs[c.state.index()] = true;
    }

    let mut cell_map = vec![CellId(u32::MAX); p.cells.len()];
    let mut cells = Vec::new();
    for (i, c) in p.cells.iter().enumerate() {
        if live_cells[i] {
            cell_map[i] = CellId(cells.len() as u32);
            cells.push(c.clone());
        }
    }
    let mut buf_map = vec![BufId(u32::MAX); p.buffers.len()];
    let mut buffers = Vec::new();
    for (i, b) in p.buffers.iter().enumerate() {
        if live_bufs[i] {
            buf_map[i] = BufId(buffers.len() as u32);
            buffers.push(Buffer {
                pos: b.pos.map(|c| cell_map[c.index()]),
                ..b.clone()
            });
        }
    }
    let buf = |b: BufId| buf_map[b.index()];
    let mut pat_map = vec![PatId(u32::MAX); p.patterns.len()];
    let mut patterns = Vec::new();
    for (i, pat) in p.patterns.iter().enumerate() {
        if live_pats[i] {
            pat_map[i] = PatId(patterns.len() as u32);
            let mut pat = pat.clone();
            pat.cursor = buf(pat.cursor);
            patterns.push(pat);
        }
    }
    let mut sampler_map = vec![SamplerId(u32::MAX); p.samplers.len()];
    let mut samplers = Vec::new();
    for (i, s) in p.samplers.iter().enumerate() {
        if live_samplers[i] {
            sampler_map[i] = SamplerId(samplers.len() as u32);
            let mut s = s.clone();
            s.cursor = buf(s.cursor);
            s.voices = buf(s.voices);
            samplers.push(s);
        }
    }

    let mut node_map = vec![NodeId(u32::MAX); p.nodes.len()];
    let mut nodes = Vec::new();
    for (i, &op) in p.nodes.iter().enumerate() {
        if !live[i] {
            continue;
        }
        let op = match op.map_inputs(|n| node_map[n.index()]) {
            Op::Read(c) => Op::Read(cell_map[c.index()]),
            Op::Delay {
                buf: b,
                pos,
                input,
                samples,
            } => Op::Delay {
                buf: buf(b),
                pos,
                input,
                samples,
            },
            Op::Pattern { pat, trigger } => Op::Pattern {
                pat: pat_map[pat.index()],
                trigger,
            },
            Op::Sample { sampler, channel } => Op::Sample {
                sampler: sampler_map[sampler.index()],
                channel,
            },
            op => op,
        };
        node_map[i] = NodeId(nodes.len() as u32);
        nodes.push(op);
    }
    let remap = |n: NodeId| node_map[n.index()];
    for c in &mut cells {
        c.next = remap(c.next);
    }
    let histories = p
        .histories
        .into_iter()
        .filter(|h| live_cells[h.cell.index()])
        .map(|mut h| {
            h.cell = cell_map[h.cell.index()];
            h
        })
        .collect();
    Program {
        nodes,
        cells,
        buffers,
        patterns,
        samplers,
        clock: clock.map(|c| Clock {
            state: buf(c.state),
            ..c
        }),
        buses: p
            .buses
            .into_iter()
            .map(|(name, v)| (name, v.into_iter().map(remap).collect()))
            .collect(),
        outputs: p.outputs.into_iter().map(remap).collect(),
        taps: p.taps.into_iter().map(remap).collect(),
        histories,
        ..p
    }
}
