//! Bundles: the tuples of components an entity is spawned with.

use super::component::Component;
use super::world::World;
use playground_kernel::Entity;

/// A set of components inserted together: `()`, or a tuple of up to eight components of
/// distinct types.
pub trait Bundle: Send + Sync + 'static {
    /// Inserts every component for `entity` (alive, with none of them yet).
    fn insert_into(self, world: &mut World, entity: Entity);

    /// Spawns one entity per bundle. Pools are found once for the batch, and every pool
    /// receives the batch in the same order, so their dense arrays line up and queries over
    /// them take the aligned fast path.
    fn spawn_batch(world: &mut World, bundles: impl Iterator<Item = Self>) -> Vec<Entity>
    where
        Self: Sized;
}

impl Bundle for () {
    fn insert_into(self, _: &mut World, _: Entity) {}
    fn spawn_batch(world: &mut World, bundles: impl Iterator<Item = Self>) -> Vec<Entity> {
        bundles.map(|()| world.entities.spawn()).collect()
    }
}

macro_rules! bundle {
    ($($T:ident $v:ident),+) => {
        impl<$($T: Component),+> Bundle for ($($T,)+) {
            fn insert_into(self, world: &mut World, entity: Entity) {
                let ($($v,)+) = self;
                // `entity` was just spawned, so no pool holds a newer generation of its index.
                $(
                    world
                        .pool_mut_unlocked::<$T>()
                        .insert(entity, $v)
                        .expect("a freshly spawned entity is stale in no pool");
                )+
            }

            fn spawn_batch(world: &mut World, bundles: impl Iterator<Item = Self>) -> Vec<Entity> {
                $( world.register::<$T>(); )+
                let (lower, _) = bundles.size_hint();
                let World { entities, pools, .. } = world;
                // Distinct types have distinct ids (a duplicate would hash alike and is
                // refused here rather than aliased).
                let ids = [$($T::ID),+];
                assert!(
                    (1..ids.len()).all(|i| !ids[..i].contains(&ids[i])),
                    "a bundle holds each component type once"
                );
                let [$($v),+] = pools.get_disjoint_mut([$(&$T::ID),+]).map(|cell| cell.expect("registered above"));
                $(
                    let mut $v = $v.typed_mut::<$T>().pool.batch();
                    $v.reserve(lower);
                )+
                // Values first, row by row (the iterator yields whole bundles); the entities
                // are allocated once their number is known. If the iterator panics, the
                // batches drop what they hold and no entity was spawned.
                for bundle in bundles {
                    #[allow(non_snake_case, reason = "tuple fields named after their types")]
                    let ($($T,)+) = bundle;
                    $( $v.push($T); )+
                }
                let count = bundle!(@first $($v)+).len();
                let mut spawned = Vec::new();
                entities.spawn_many(count, &mut spawned);
                $(
                    // Just spawned, so in no pool: every pair takes the append path.
                    let stale = $v.finish(&spawned);
                    debug_assert_eq!(stale, 0, "a new entity is stale nowhere");
                )+
                spawned
            }
        }
    };
    (@first $first:ident $($rest:ident)*) => { $first };
}

bundle!(A a);
bundle!(A a, B b);
bundle!(A a, B b, C c);
bundle!(A a, B b, C c, D d);
bundle!(A a, B b, C c, D d, E e);
bundle!(A a, B b, C c, D d, E e, F f);
bundle!(A a, B b, C c, D d, E e, F f, G g);
bundle!(A a, B b, C c, D d, E e, F f, G g, H h);
