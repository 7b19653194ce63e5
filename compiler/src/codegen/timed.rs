//! Code for what is anchored to the cycle clock: the prologue that brings the clock to
//! the block's first frame and checks every pattern cursor against its table, the
//! per-frame read of a pattern (one comparison; the cursor is advanced by a call only
//! when a step is reached), and a sampler's chunk. The work itself is `crate::rt`.

use super::translate::{flags, Translator};
use crate::block::{BlockIo, Resources};
use crate::ir::{BufId, PatId, SamplerId};
use crate::rt::cursor;
use cranelift_codegen::ir::condcodes::FloatCC;
use cranelift_codegen::ir::{
    types, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind, Value,
};
use cranelift_module::Module;
use std::mem::offset_of;

impl Translator<'_, '_> {
    /// The address of a buffer in the state block.
    fn buffer_at(&mut self, b: BufId) -> Value {
        let off = self.layout.buffers[b.index()].offset as i64 * 8;
        self.fb.ins().iadd_imm_s(self.state, off)
    }

    fn data_at(&mut self, id: cranelift_module::DataId) -> Value {
        let gv = self.module.declare_data_in_func(id, self.fb.func);
        self.fb.ins().symbol_value(self.ptr, gv)
    }

    /// Clock sync and cursor checks, once per block (see the module doc).
    pub(super) fn timed_prologue(&mut self, io: Value) {
        let Some(clock) = self.p.clock else { return };
        let frame0 = self
            .fb
            .ins()
            .load(types::I64, flags(), io, offset_of!(BlockIo, frame) as i32);
        self.timed.frame0 = Some(frame0);
        let clock_at = self.buffer_at(clock.state);
        self.timed.clock = Some(clock_at);
        let cn = self.fb.ins().iconst(types::I64, clock.cps.0);
        let cd = self.fb.ins().iconst(types::I64, clock.cps.1);
        let sr = self.fb.ins().f64const(self.p.sample_rate);
        self.call_void("kanon_clock", &[clock_at, frame0, cn, cd, sr]);
        let p = self.p;
        for (k, pat) in p.patterns.iter().enumerate() {
            let cur = self.buffer_at(pat.cursor);
            let table = self.data_at(self.timed.pattern_data[k]);
            let len = self.fb.ins().iconst(types::I64, pat.table.len() as i64);
            self.call_void("kanon_cursor_sync", &[cur, table, len, clock_at]);
            self.timed.patterns.push((cur, table));
        }
        if !p.samplers.is_empty() {
            let res =
                self.fb
                    .ins()
                    .load(self.ptr, flags(), io, offset_of!(BlockIo, resources) as i32);
            let samples = self.fb.ins().load(
                self.ptr,
                flags(),
                res,
                offset_of!(Resources, samples) as i32,
            );
            self.timed.samples = Some(samples);
        }
    }

    /// Advances every cursor whose step is due at the current frame; returns the
    /// frame of the next step due of any of them (emitted where a step is due).
    pub(super) fn advance_patterns(&mut self) -> Value {
        let (abs, abs_f) = self.timed.frame.expect("patterns run in the sample loop");
        let clock = self.timed.clock.expect("patterns have a clock");
        let mut soonest: Option<Value> = None;
        for k in 0..self.p.patterns.len() {
            let (cur, table) = self.timed.patterns[k];
            let next = self
                .fb
                .ins()
                .load(types::F64, flags(), cur, (cursor::NEXT * 8) as i32);
            let due = self.fb.ins().fcmp(FloatCC::GreaterThanOrEqual, abs_f, next);
            let advance = self.fb.create_block();
            let cont = self.fb.create_block();
            self.fb.ins().brif(due, advance, &[], cont, &[]);
            self.fb.switch_to_block(advance);
            let len = self
                .fb
                .ins()
                .iconst(types::I64, self.p.patterns[k].table.len() as i64);
            self.call_void("kanon_cursor_advance", &[cur, table, len, clock, abs]);
            self.fb.ins().jump(cont, &[]);
            self.fb.switch_to_block(cont);
            let next = self
                .fb
                .ins()
                .load(types::F64, flags(), cur, (cursor::NEXT * 8) as i32);
            soonest = Some(match soonest {
                None => next,
                Some(s) => self.fb.ins().fmin(s, next),
            });
        }
        soonest.unwrap_or_else(|| self.fb.ins().f64const(f64::INFINITY))
    }

    /// A pattern's current value (its cursor advanced already this frame).
    pub(super) fn pattern_value(&mut self, pat: PatId) -> Value {
        let (cur, _) = self.timed.patterns[pat.index()];
        self.fb
            .ins()
            .load(types::F64, flags(), cur, (cursor::VALUE * 8) as i32)
    }

    /// A pattern's value (or trigger) at the current frame, in the main part of the
    /// sample (the cursors were advanced before).
    pub(super) fn pattern(&mut self, pat: PatId, trigger: bool) -> Value {
        if !trigger {
            return self.pattern_value(pat);
        }
        let (cur, _) = self.timed.patterns[pat.index()];
        let (_, abs_f) = self.timed.frame.expect("patterns run in the sample loop");
        let at = self
            .fb
            .ins()
            .load(types::F64, flags(), cur, (cursor::TRIGGERED * 8) as i32);
        let now = self.fb.ins().fcmp(FloatCC::Equal, at, abs_f);
        let one = self.fb.ins().iconst(types::I64, 1.0f64.to_bits() as i64);
        let zero = self.fb.ins().iconst(types::I64, 0);
        let bits = self.fb.ins().select(now, one, zero);
        self.fb.ins().bitcast(types::F64, MemFlagsData::new(), bits)
    }

    /// Stack buffers for every sampler's chunk (made once, in the entry block).
    pub(super) fn sampler_buffers(&mut self, chunk: i64) {
        for _ in 0..self.p.samplers.len() {
            let mut buf = || {
                let slot = self.fb.create_sized_stack_slot(StackSlotData::new(
                    StackSlotKind::ExplicitSlot,
                    (chunk * 8) as u32,
                    3,
                ));
                self.fb.ins().stack_addr(self.ptr, slot, 0)
            };
            let (l, r) = (buf(), buf());
            self.timed.sampler_bufs.push((l, r));
        }
    }

    /// Every sampler renders the chunk of `len` frames from block frame `start`.
    pub(super) fn samplers(&mut self, start: Value, len: Value) {
        let p = self.p;
        let (Some(frame0), Some(clock), Some(samples)) =
            (self.timed.frame0, self.timed.clock, self.timed.samples)
        else {
            return;
        };
        let at = self.fb.ins().iadd(frame0, start);
        for (k, s) in p.samplers.iter().enumerate() {
            let pool = self.buffer_at(s.voices);
            let pool_len = self
                .fb
                .ins()
                .iconst(types::I64, self.layout.buffers[s.voices.index()].len as i64);
            let cur = self.buffer_at(s.cursor);
            let table = self.data_at(self.timed.sampler_data[k]);
            let table_len = self.fb.ins().iconst(types::I64, s.table.len() as i64);
            let (l, r) = self.timed.sampler_bufs[k];
            self.call_void(
                "kanon_sampler",
                &[
                    pool, pool_len, cur, table, table_len, clock, samples, at, len, l, r,
                ],
            );
        }
    }

    /// A sampler channel at the current sample of the chunk.
    pub(super) fn sample_channel(&mut self, sampler: SamplerId, channel: u8) -> Value {
        let j = self.timed.chunk_index.expect("samplers run in chunks");
        let (l, r) = self.timed.sampler_bufs[sampler.index()];
        let base = if channel == 0 { l } else { r };
        let at = self.offset(base, j, 8);
        self.fb.ins().load(types::F64, flags(), at, 0)
    }
}
