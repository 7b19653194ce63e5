//! The block interface: every field of `BlockIo` reaches the generated code and the
//! interpreter alike (parameters read, taps written, any block split), built on IR
//! directly for the ops the language does not write yet.

use kanon_compiler::interp::Interp;
use kanon_compiler::ir::{BinOp, Builder, Key, Op};
use kanon_compiler::key::{Path, Root};
use kanon_compiler::{Block, Compiler, Program};

/// `out = saw-ish ramp * param0 + param1`, taps: the ramp and param1.
fn program() -> Program {
    let mut b = Builder::new(48_000.0);
    let site = Path::root(Root::Bus("t".into())).call("ramp", 0, 0);
    let c = b.cell(Key::new(&site, "phase"), 0.0).unwrap();
    let p = b.read(c);
    let inc = b.constant(0.001);
    let next = b.binary(BinOp::Add, p, inc);
    b.set_next(c, next);
    let gain = b.add(Op::Param(0));
    let offset = b.add(Op::Param(3));
    let scaled = b.binary(BinOp::Mul, p, gain);
    let out = b.binary(BinOp::Add, scaled, offset);
    let prog = b.program_mut();
    prog.outputs = vec![out];
    prog.taps = vec![p, offset];
    Compiler::new().compile_ir(b.finish(), false).unwrap()
}

#[test]
fn params_and_taps_reach_the_code_and_the_interpreter() {
    let p = program();
    assert_eq!(p.layout.param_slots, 4);
    let params = [0.5, 0.0, 0.0, 0.25];
    let frames = 1000;
    let mut s_jit = p.initial_state();
    let mut s_int = p.initial_state();
    let (mut o_jit, mut o_int) = (vec![0f32; frames], vec![0f32; frames]);
    let (mut t_jit, mut t_int) = (vec![0f32; 2 * frames], vec![0f32; 2 * frames]);
    // Blocks of 7 for the code, one call for the interpreter: the same output.
    let mut frame = 0;
    for (o, t) in o_jit.chunks_mut(7).zip(t_jit.chunks_mut(14)) {
        let n = o.len() as u64;
        p.process(Block {
            state: &mut s_jit,
            out: o,
            frame,
            params: &params,
            resources: &kanon_compiler::Resources::NONE,
            taps: Some(t),
        });
        frame += n;
    }
    Interp::new(&p.ir, &p.layout).process(Block {
        taps: Some(&mut t_int),
        params: &params,
        ..Block::new(&mut s_int, &mut o_int)
    });
    assert_eq!(o_jit, o_int);
    assert_eq!(t_jit, t_int);
    assert_eq!(s_jit, s_int);
    for (i, (o, t)) in o_jit.iter().zip(t_jit.chunks(2)).enumerate() {
        let ramp = 0.001 * i as f64;
        assert_eq!(t[0], ramp as f32, "tap 0 at {i}");
        assert_eq!(t[1], 0.25);
        assert_eq!(*o, (ramp * 0.5 + 0.25) as f32);
    }
}

#[test]
#[should_panic(expected = "parameter block too short")]
fn a_short_parameter_block_is_refused() {
    let p = program();
    let mut s = p.initial_state();
    let mut o = vec![0f32; 4];
    let mut t = vec![0f32; 8];
    p.process(Block {
        params: &[1.0],
        taps: Some(&mut t),
        ..Block::new(&mut s, &mut o)
    });
}

#[test]
#[should_panic(expected = "tap buffer")]
fn a_missing_tap_buffer_is_refused() {
    let p = program();
    let mut s = p.initial_state();
    let mut o = vec![0f32; 4];
    p.process(Block {
        params: &[1.0; 4],
        ..Block::new(&mut s, &mut o)
    });
}

#[test]
fn invalid_ir_is_refused_not_compiled() {
    let mut b = Builder::new(48_000.0);
    let x = b.constant(1.0);
    b.program_mut().outputs = vec![kanon_compiler::ir::NodeId(x.0 + 5)];
    let e = Compiler::new().compile_ir(b.finish(), false).err().unwrap();
    assert!(e[0].message.contains("invalid IR"), "{}", e[0].message);
}
