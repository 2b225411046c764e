//! Components: plain data attached to entities, identified by a stable name.

use playground_kernel::ComponentId;

/// A component type. Implement it with [`component!`](crate::component!).
///
/// Its [`ID`](Self::ID) is the FNV-1a hash of [`NAME`](Self::NAME), so it is the same in every
/// build: snapshots and reloaded modules find their components by it.
pub trait Component: Send + Sync + 'static {
    /// Stable name; renaming it breaks saved worlds.
    const NAME: &'static str;
    /// Id derived from the name.
    const ID: ComponentId = ComponentId::from_name(Self::NAME);
}

/// Implements [`Component`]: `component!(Position = "game.Position");`.
#[macro_export]
macro_rules! component {
    ($($ty:ty = $name:expr),* $(,)?) => {$(
        impl $crate::Component for $ty {
            const NAME: &'static str = $name;
        }
    )*};
}

/// Name and id of a component type, as tools and stats report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentInfo {
    /// Its id.
    pub id: ComponentId,
    /// Its stable name.
    pub name: &'static str,
}

impl ComponentInfo {
    /// The info of `T`.
    pub const fn of<T: Component>() -> Self {
        Self {
            id: T::ID,
            name: T::NAME,
        }
    }
}

playground_kernel::model!(ComponentInfo = "playground.ecs.Component");
