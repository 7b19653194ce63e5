//! `kanonc`, the command line: one module per subcommand ([`commands`]) and the live
//! session of `kanonc run` ([`live`]). `src/main.rs` only parses the arguments.

pub mod commands;
pub mod live;
