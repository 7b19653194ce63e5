//! Serves the live scope with a synthetic feed, no audio device needed:
//! `cargo run -p kanon-scope --example scope_demo -- [ADDR:PORT] [lorenz|circle|sine] [SECONDS]`
//! then open the printed address. Defaults: 127.0.0.1:7771, lorenz, run until killed.

use kanon_scope::testing::Feed;
use kanon_scope::{ring, ScopeServer, DEFAULT_ADDR};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let addr = match args.first() {
        Some(a) => a.parse()?,
        None => DEFAULT_ADDR,
    };
    let kind = args.get(1).map(String::as_str).unwrap_or("lorenz");
    let seconds: Option<f64> = args.get(2).map(|s| s.parse()).transpose()?;
    let rate = 48_000;
    let channels = match kind {
        "lorenz" => 3,
        "circle" => 2,
        "sine" => 1,
        other => return Err(format!("unknown feed `{other}`: lorenz, circle or sine").into()),
    };
    let (producer, consumer) = ring(channels, rate);
    let server = ScopeServer::start(addr, channels, rate, consumer)?;
    let _feed = match kind {
        "lorenz" => Feed::lorenz(producer, rate),
        "circle" => Feed::sines(
            producer,
            rate,
            &[(220.0, 0.0), (220.0, std::f64::consts::FRAC_PI_2)],
        ),
        _ => Feed::sines(producer, rate, &[(440.0, 0.0)]),
    };
    println!(
        "scope: {} ({kind}, {channels} channels at {rate} Hz)",
        server.url()
    );
    let start = std::time::Instant::now();
    loop {
        std::thread::sleep(std::time::Duration::from_secs(1));
        if seconds.is_some_and(|s| start.elapsed().as_secs_f64() >= s) {
            break;
        }
    }
    println!("{:?}", server.stats());
    Ok(())
}
