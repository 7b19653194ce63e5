//! The kanon runtime: runs compiled programs. The engine ([`engine`]) swaps programs at
//! block boundaries with state carried by key ([`migrate`]); offline rendering goes
//! through the same audio-side processor, so a render is what the live engine plays.

pub mod denormal;
pub mod engine;
pub mod migrate;
pub mod render;
pub mod wav;

pub use engine::{engine, AudioProcessor, Config, EngineHandle};
pub use migrate::MigrationPlan;
pub use render::render;
