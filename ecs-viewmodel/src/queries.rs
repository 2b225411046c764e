//! Queries by id: matching a [`QueryFilter`] through type-erased pools, and answering from
//! the world's cache while the answer still holds.

use playground_ecs_view::model::CachedAnswer;
use playground_ecs_view::{EcsError, Entity, QueryFilter, QueryId, World};
use playground_kernel::sync::StdArc as Arc;

/// Registers `filter`.
pub fn register(world: &mut World, filter: QueryFilter) -> Result<QueryId, EcsError> {
    world.queries_mut().register(filter)
}

/// The entities matching query `id`, from the cache when nothing it depends on changed.
pub fn run(world: &World, id: QueryId) -> Result<Arc<[Entity]>, EcsError> {
    let query = world
        .queries()
        .get(id)
        .ok_or(EcsError::UnknownQuery { id })?;
    // Held across the check and the recomputation, so two threads running one query compute
    // it once. The key is read before the pools: a change landing in between makes the stored
    // key older than the data, which only costs one more recomputation next run.
    let mut cache = query.cache().lock();
    let key = world.query_key(query.filter())?;
    if let Some(answer) = cache.as_ref().filter(|answer| answer.key == key) {
        return Ok(Arc::clone(&answer.entities));
    }
    let entities: Arc<[Entity]> = matching(world, query.filter())?.into();
    *cache = Some(CachedAnswer {
        key,
        entities: Arc::clone(&entities),
    });
    Ok(entities)
}

/// Computes the answer: the smallest `with` pool drives, every other named pool is probed.
fn matching(world: &World, filter: &QueryFilter) -> Result<Vec<Entity>, EcsError> {
    if filter.is_contradictory() {
        return Ok(Vec::new());
    }
    let Some(filters) = world.lock_filter(filter)? else {
        return Ok(Vec::new());
    };
    let Some(driver) = filters.with.iter().min_by_key(|pool| pool.len()) else {
        return Ok(world.entities().filter(|&e| filters.admits(e)).collect());
    };
    Ok(driver
        .entities()
        .iter()
        .copied()
        .filter(|&e| filters.admits(e))
        .collect())
}
