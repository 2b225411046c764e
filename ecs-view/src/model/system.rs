//! Systems as data: what a system reads, writes and must run after.

use playground_kernel::ComponentId;

/// A system's declaration: the schedule orders and parallelises systems from these alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemDesc {
    /// Unique name.
    pub name: String,
    /// Components it reads.
    pub reads: Vec<ComponentId>,
    /// Components it writes.
    pub writes: Vec<ComponentId>,
    /// Systems (by name) that must run before it.
    pub after: Vec<String>,
}

impl SystemDesc {
    /// A system that touches nothing yet.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            reads: Vec::new(),
            writes: Vec::new(),
            after: Vec::new(),
        }
    }

    /// Declares a read of `T`.
    pub fn reads<T: super::Component>(mut self) -> Self {
        self.reads.push(T::ID);
        self
    }

    /// Declares a write of `T`.
    pub fn writes<T: super::Component>(mut self) -> Self {
        self.writes.push(T::ID);
        self
    }

    /// Runs after the system `name`.
    pub fn after(mut self, name: impl Into<String>) -> Self {
        self.after.push(name.into());
        self
    }

    /// Whether the two may not run at the same time: one writes what the other touches.
    pub fn conflicts_with(&self, other: &SystemDesc) -> bool {
        let touches =
            |d: &SystemDesc, id: &ComponentId| d.reads.contains(id) || d.writes.contains(id);
        self.writes.iter().any(|id| touches(other, id))
            || other.writes.iter().any(|id| touches(self, id))
    }
}

playground_kernel::model!(SystemDesc = "playground.ecs.System");
