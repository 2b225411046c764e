//! `QueryFilter`: which entities a query by component id matches, and its stable
//! [`QueryId`]. What a world does with a registered filter (lock its pools, cache its
//! answer) is the engine's (`engine/queries.rs`).

use super::component::Component;
use playground_kernel::{ComponentId, fnv1a_64_bytes};

playground_kernel::stable_id!(
    /// Stable id of a registered query: the hash of its normalised filter (`from_bits` of
    /// it), so registering the same filter twice (in any order) gives the same id.
    QueryId
);

/// Which entities a query matches: those with every `with` component and none of the
/// `without` ones. With no `with`, every live entity is a candidate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct QueryFilter {
    /// Required component types.
    pub with: Vec<ComponentId>,
    /// Excluded component types.
    pub without: Vec<ComponentId>,
}

playground_kernel::model!(QueryFilter = "playground.ecs.QueryFilter");

impl QueryFilter {
    /// A filter matching every live entity.
    pub fn new() -> Self {
        Self::default()
    }

    /// Requires `T`.
    pub fn with<T: Component>(self) -> Self {
        self.with_id(T::ID)
    }

    /// Excludes `T`.
    pub fn without<T: Component>(self) -> Self {
        self.without_id(T::ID)
    }

    /// Requires the component type `id`.
    pub fn with_id(mut self, id: ComponentId) -> Self {
        self.with.push(id);
        self
    }

    /// Excludes the component type `id`.
    pub fn without_id(mut self, id: ComponentId) -> Self {
        self.without.push(id);
        self
    }

    /// The same filter with both lists sorted and free of duplicates.
    pub fn normalized(mut self) -> Self {
        for ids in [&mut self.with, &mut self.without] {
            ids.sort_unstable();
            ids.dedup();
        }
        self
    }

    /// Its id (of the normalised form).
    pub fn id(&self) -> QueryId {
        self.clone().normalized().hash()
    }

    /// Whether it names no component at all.
    pub fn is_empty(&self) -> bool {
        self.with.is_empty() && self.without.is_empty()
    }

    /// The id of a filter already normalised.
    pub(crate) fn hash(&self) -> QueryId {
        let mut bytes = Vec::with_capacity(8 * (self.with.len() + self.without.len()) + 8);
        for (tag, ids) in [(b'+', &self.with), (b'-', &self.without)] {
            bytes.push(tag);
            for id in ids {
                bytes.extend_from_slice(&id.to_bits().to_le_bytes());
            }
        }
        QueryId::from_bits(fnv1a_64_bytes(&bytes))
    }

    /// Whether a `with` type is also excluded (the query can match nothing).
    pub fn is_contradictory(&self) -> bool {
        self.with.iter().any(|id| self.without.contains(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_ignores_order_and_duplicates_but_not_sides() {
        let (a, b) = (ComponentId::from_bits(1), ComponentId::from_bits(2));
        let f = QueryFilter::new().with_id(a).with_id(b).without_id(b);
        let g = QueryFilter::new()
            .with_id(b)
            .with_id(a)
            .with_id(a)
            .without_id(b);
        assert_eq!(f.id(), g.id());
        let h = QueryFilter::new().with_id(a).without_id(b).without_id(b);
        assert_ne!(f.id(), h.id());
        let swapped = QueryFilter::new().with_id(b).without_id(a);
        assert_ne!(h.id(), swapped.id());
        assert!(f.is_contradictory() && !h.is_contradictory());
    }
}
