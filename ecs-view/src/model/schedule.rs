//! Schedules as data: systems with their declarations and their bodies.

use super::system::SystemDesc;
use super::world::World;
use crate::error::EcsError;

/// A system's body: runs against `&World` (taking the pools it declared through queries), so
/// systems that do not conflict can run at the same time.
pub type SystemFn = Box<dyn Fn(&World) -> Result<(), EcsError> + Send + Sync>;

/// Systems in registration order. Registration order breaks ties: of two conflicting systems
/// with no declared order, the one added first runs first.
#[derive(Default)]
pub struct Schedule {
    pub(crate) systems: Vec<(SystemDesc, SystemFn)>,
}

impl Schedule {
    /// An empty schedule.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a system.
    pub fn add(
        &mut self,
        desc: SystemDesc,
        body: impl Fn(&World) -> Result<(), EcsError> + Send + Sync + 'static,
    ) {
        self.systems.push((desc, Box::new(body)));
    }

    /// The declarations, in registration order.
    pub fn descs(&self) -> impl Iterator<Item = &SystemDesc> {
        self.systems.iter().map(|(d, _)| d)
    }

    /// The system at `index`: its declaration and body.
    pub fn system(&self, index: usize) -> Option<(&SystemDesc, &SystemFn)> {
        self.systems.get(index).map(|(d, f)| (d, f))
    }

    /// Number of systems.
    pub fn len(&self) -> usize {
        self.systems.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.systems.is_empty()
    }
}

playground_kernel::model!(Schedule = "playground.ecs.Schedule");
