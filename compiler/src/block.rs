//! The block interface: the one argument every generated block function takes.
//!
//! [`BlockIo`] is `#[repr(C)]` and read by the generated code at the field offsets
//! `codegen` takes from this definition (`std::mem::offset_of!`), so adding a field is
//! one edit here plus its use. [`Block`] is the safe form that `Program::process`, the
//! interpreter and the engine build it from.

use std::ptr;

/// What one call of a block function reads and writes.
#[repr(C)]
#[derive(Debug)]
pub struct BlockIo {
    /// The program's state block (cells, then delay buffers).
    pub state: *mut f64,
    /// Interleaved output, `frames × channels` f32s.
    pub out: *mut f32,
    /// Frames to render.
    pub frames: u64,
    /// Absolute position of the block's first frame, counted since the engine started:
    /// anything anchored to time (the cycle clock) is block-size invariant.
    pub frame: u64,
    /// The parameter block: named live values by slot, written by the control side
    /// between blocks (never null; may be empty).
    pub params: *const f64,
    /// Read-only data owned outside the program and shared across swaps (sample
    /// buffers), or null when the program needs none.
    pub resources: *const Resources,
    /// Tap buffers: `frames × taps` f32s the program writes its tapped values to
    /// (for a scope), or null when it has no taps.
    pub taps: *mut f32,
}

/// Shared read-only data the block functions read through [`BlockIo::resources`].
/// Owned by the session, outliving every program that points at it.
#[repr(C)]
#[derive(Debug)]
pub struct Resources {
    /// The sample store's table (see `kanon_samples`), or null.
    pub samples: *const u8,
}

impl Resources {
    /// No shared data.
    pub const NONE: Resources = Resources {
        samples: ptr::null(),
    };
}

/// The values of a program's live parameters, by slot.
pub type Params = [f64];

/// One block to render, in safe form: the state and output of one call, and where it
/// sits in time.
pub struct Block<'a> {
    /// The program's state block.
    pub state: &'a mut [f64],
    /// Interleaved output; its length decides the number of frames.
    pub out: &'a mut [f32],
    /// Absolute position of the first frame.
    pub frame: u64,
    /// Live parameter values.
    pub params: &'a Params,
    /// Shared data.
    pub resources: &'a Resources,
    /// Where tapped values go (`frames × taps`), if anywhere.
    pub taps: Option<&'a mut [f32]>,
}

impl<'a> Block<'a> {
    /// A block at frame 0 with no parameters, resources or taps.
    pub fn new(state: &'a mut [f64], out: &'a mut [f32]) -> Block<'a> {
        Block {
            state,
            out,
            frame: 0,
            params: &[],
            resources: &Resources::NONE,
            taps: None,
        }
    }

    /// The same block placed at absolute frame `frame`.
    pub fn at(self, frame: u64) -> Block<'a> {
        Block { frame, ..self }
    }

    /// The raw argument for `frames` frames.
    pub(crate) fn io(&mut self, frames: usize) -> BlockIo {
        BlockIo {
            state: self.state.as_mut_ptr(),
            out: self.out.as_mut_ptr(),
            frames: frames as u64,
            frame: self.frame,
            params: self.params.as_ptr(),
            resources: self.resources,
            taps: self
                .taps
                .as_mut()
                .map_or(ptr::null_mut(), |t| t.as_mut_ptr()),
        }
    }
}

/// The signature of every generated block function.
pub type BlockFn = unsafe extern "C" fn(io: *const BlockIo);
