//! Where the OSC listener binds by default. `kanonc run` reads what a user types after
//! `--osc` (src/live/addr.rs, one parser for every listener).

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The port the OSC listener uses when none is given.
pub const DEFAULT_OSC_PORT: u16 = 7770;

/// The address the OSC listener binds when none is given: loopback, port 7770.
pub const DEFAULT_OSC_ADDR: SocketAddr =
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_OSC_PORT);
