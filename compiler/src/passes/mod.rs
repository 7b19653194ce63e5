//! Passes over the IR, one file each.

pub mod banks;
pub mod cse;
pub mod dce;
pub mod fold;
pub mod schedule;
