//! The components of the built-in motion system: a 2-D position and velocity. Persistent, so
//! a world snapshot (and so a hot reload) carries them.

use serde::{Deserialize, Serialize};

/// Where an entity is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// Horizontal coordinate.
    pub x: f32,
    /// Vertical coordinate.
    pub y: f32,
}

/// How fast an entity moves, in units per second.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Velocity {
    /// Horizontal speed.
    pub x: f32,
    /// Vertical speed.
    pub y: f32,
}

crate::component!(
    Position = "playground.ecs.Position",
    Velocity = "playground.ecs.Velocity",
);
playground_kernel::model!(Position = "playground.ecs.Position");
playground_kernel::model!(Velocity = "playground.ecs.Velocity");
