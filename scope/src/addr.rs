//! Where the scope server listens by default. `kanonc run` reads what a user types
//! after `--scope` (src/live/addr.rs, one parser for every listener). Loopback: the
//! stream is the program's audio output, so exposing it takes an explicit address.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

/// The port used when `--scope` is given without a value.
pub const DEFAULT_PORT: u16 = 7771;

/// The address used when `--scope` is given without a value: `127.0.0.1:7771`.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, DEFAULT_PORT));
