//! Dead-code elimination: keeps what reaches an output or a bus, and the cells those read.

use crate::ir::{BufId, CellId, NodeId, Op, Program};

/// Removes nodes, cells and buffers that nothing kept depends on, and renumbers the rest
/// (keeping their relative order, so keys and evaluation order are unchanged).
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

    let mut node_map = vec![NodeId(u32::MAX); p.nodes.len()];
    let mut cell_map = vec![CellId(u32::MAX); p.cells.len()];
    let mut buf_map = vec![BufId(u32::MAX); p.buffers.len()];
    let mut cells = Vec::new();
    for (i, c) in p.cells.iter().enumerate() {
        if live_cells[i] {
            cell_map[i] = CellId(cells.len() as u32);
            cells.push(c.clone());
        }
    }
    let buffer = |b: &crate::ir::Buffer| crate::ir::Buffer {
        pos: cell_map[b.pos.index()],
        ..b.clone()
    };
    let mut buffers = Vec::new();
    let mut nodes = Vec::new();
    for (i, &op) in p.nodes.iter().enumerate() {
        if !live[i] {
            continue;
        }
        let op = match op.map_inputs(|n| node_map[n.index()]) {
            Op::Read(c) => Op::Read(cell_map[c.index()]),
            Op::Delay {
                buf,
                pos,
                input,
                samples,
            } => {
                buf_map[buf.index()] = BufId(buffers.len() as u32);
                buffers.push(buffer(&p.buffers[buf.index()]));
                Op::Delay {
                    buf: buf_map[buf.index()],
                    pos,
                    input,
                    samples,
                }
            }
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
