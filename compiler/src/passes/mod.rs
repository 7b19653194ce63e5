//! Passes over the IR, one file each.

pub mod banks;
pub mod dce;
pub mod schedule;
