//! The goals the report checks: one row per path, naming the playground function, the peers
//! or baselines it is compared with (all in the same criterion group), and the goal.

/// What a row promises.
#[derive(Debug, Clone, Copy)]
pub enum Goal {
    /// Playground median / best peer median at most this.
    RatioAtMost(f64),
    /// Playground median per operation at most this many nanoseconds.
    NsAtMost(f64),
    /// Both of the above.
    RatioAndNs(f64, f64),
    /// Playground median at most this many milliseconds (for whole-operation groups).
    MsAtMost(f64),
    /// Playground median at most this many nanoseconds above the best peer's.
    NsOverAtMost(f64),
    /// Reported, no goal.
    Report,
}

/// One path of the report.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// Criterion group, e.g. `pools/component_get`.
    pub group: &'static str,
    /// Playground function id within the group; `a+b` sums two functions' medians.
    pub playground: &'static str,
    /// Peer or baseline function ids within the group.
    pub peers: &'static [&'static str],
    /// The goal.
    pub goal: Goal,
}

const fn row(
    group: &'static str,
    playground: &'static str,
    peers: &'static [&'static str],
    goal: Goal,
) -> Row {
    Row {
        group,
        playground,
        peers,
        goal,
    }
}

/// The ecs_bench_suite peers every `ecs/*` group holds.
const ECS_PEERS: &[&str] = &["bevy_ecs", "hecs", "legion", "shipyard", "sparsey", "specs"];

/// Every row, in report order. A peer id starting with `/` names a function of another group
/// (`/group/function`), for goals relative to another measurement (contended vs uncontended).
pub const ROWS: &[Row] = &[
    row(
        "kernel/field_read",
        "atomic_inline",
        &["plain_f32"],
        Goal::RatioAtMost(1.5),
    ),
    row(
        "kernel/field_read",
        "arc_atomic_cell",
        &["plain_f32"],
        Goal::Report,
    ),
    row(
        "kernel/field_write",
        "atomic_inline",
        &["plain_f32"],
        Goal::Report,
    ),
    row(
        "kernel/field_write",
        "atomic_inline",
        &["arc_atomic_cell", "shared_rwlock"],
        Goal::Report,
    ),
    row("kernel/dispatch", "dyn_trait", &["direct"], Goal::Report),
    row("kernel/dispatch", "async_trait", &["direct"], Goal::Report),
    row(
        "pools/component_get",
        "playground",
        &["vec_index"],
        Goal::RatioAndNs(3.0, 2.0),
    ),
    row(
        "pools/component_get",
        "playground",
        &["hashmap_fx"],
        Goal::Report,
    ),
    row(
        "pools/component_iter",
        "playground",
        &["vec_iter"],
        Goal::RatioAtMost(1.2),
    ),
    row(
        "pools/insert_remove",
        "playground",
        &["hashmap_fx"],
        Goal::Report,
    ),
    row(
        "pools/model_get",
        "playground",
        &["sharded_slab", "rwlock_slab"],
        Goal::RatioAndNs(1.0, 5.0),
    ),
    row(
        "pools/model_get_contended",
        "playground",
        &["/pools/model_get/playground"],
        Goal::RatioAtMost(1.5),
    ),
    row(
        "pools/model_get_contended",
        "playground",
        &["sharded_slab", "rwlock_slab"],
        Goal::Report,
    ),
    row(
        "registry/lookup",
        "registry_get/64",
        &["nohash_hashmap/64", "fxhash_hashmap/64"],
        Goal::RatioAndNs(1.5, 3.0),
    ),
    row(
        "registry/lookup",
        "registry_get/64",
        &["dashmap/64", "rwlock_hashmap/64", "papaya/64"],
        Goal::Report,
    ),
    row(
        "registry/lookup",
        "binding_cached/64",
        &["vec_index/64", "nohash_hashmap/64", "fxhash_hashmap/64"],
        Goal::NsAtMost(1.0),
    ),
    row(
        "registry/lookup",
        "registry_get/4096",
        &["nohash_hashmap/4096", "fxhash_hashmap/4096"],
        Goal::RatioAndNs(1.5, 3.0),
    ),
    row(
        "registry/lookup",
        "registry_get/4096",
        &["dashmap/4096", "rwlock_hashmap/4096", "papaya/4096"],
        Goal::Report,
    ),
    row(
        "registry/lookup",
        "binding_cached/4096",
        &[
            "vec_index/4096",
            "nohash_hashmap/4096",
            "fxhash_hashmap/4096",
        ],
        Goal::NsAtMost(1.0),
    ),
    row(
        "registry/pool_lookup",
        "playground/64",
        &["nohash_hashmap/64", "fxhash_hashmap/64"],
        Goal::RatioAndNs(1.5, 3.0),
    ),
    row(
        "registry/pool_lookup",
        "playground/64",
        &["dashmap/64", "rwlock_hashmap/64", "papaya/64"],
        Goal::Report,
    ),
    row(
        "registry/pool_lookup",
        "playground/4096",
        &["nohash_hashmap/4096", "fxhash_hashmap/4096"],
        Goal::RatioAndNs(1.5, 3.0),
    ),
    row(
        "registry/pool_lookup",
        "playground/4096",
        &["dashmap/4096", "rwlock_hashmap/4096", "papaya/4096"],
        Goal::Report,
    ),
    row(
        "registry/lookup_contended",
        "registry_get/64",
        &["/registry/lookup/registry_get/64"],
        Goal::RatioAtMost(1.2),
    ),
    row(
        "registry/lookup_contended",
        "registry_get/4096",
        &["/registry/lookup/registry_get/4096"],
        Goal::RatioAtMost(1.2),
    ),
    row(
        "registry/lookup_contended",
        "registry_get/4096",
        &["dashmap/4096"],
        Goal::Report,
    ),
    row(
        "registry/rebind",
        "playground/64",
        &[
            "arc_swap_rcu/64",
            "dashmap/64",
            "rwlock_hashmap/64",
            "papaya/64",
        ],
        Goal::Report,
    ),
    row(
        "registry/rebind",
        "playground/4096",
        &[
            "arc_swap_rcu/4096",
            "dashmap/4096",
            "rwlock_hashmap/4096",
            "papaya/4096",
        ],
        Goal::Report,
    ),
    row(
        "registry/call",
        "binding",
        &["direct_dyn"],
        Goal::NsOverAtMost(1.0),
    ),
    row(
        "ecs/simple_insert",
        "playground",
        ECS_PEERS,
        Goal::RatioAtMost(1.0),
    ),
    row(
        "ecs/simple_iter",
        "playground",
        ECS_PEERS,
        Goal::RatioAtMost(1.0),
    ),
    row(
        "ecs/simple_iter",
        "playground_iter",
        ECS_PEERS,
        Goal::Report,
    ),
    row(
        "ecs/simple_iter",
        "playground_iter_for_each",
        ECS_PEERS,
        Goal::Report,
    ),
    row(
        "ecs/frag_iter",
        "playground",
        ECS_PEERS,
        Goal::RatioAtMost(1.0),
    ),
    row("ecs/frag_iter", "playground", &["vec_loop"], Goal::Report),
    row(
        "ecs/add_remove",
        "playground",
        ECS_PEERS,
        Goal::RatioAtMost(1.0),
    ),
    row(
        "ecs/add_remove",
        "playground_writer",
        ECS_PEERS,
        Goal::Report,
    ),
    row(
        "ecs/add_remove",
        "playground_crowded",
        ECS_PEERS,
        Goal::Report,
    ),
    row(
        "ecs/schedule",
        "playground",
        ECS_PEERS,
        Goal::RatioAtMost(1.0),
    ),
    row(
        "ecs/schedule",
        "playground",
        &["playground_one_thread"],
        Goal::Report,
    ),
    row(
        "ecs/heavy_compute",
        "playground",
        ECS_PEERS,
        Goal::RatioAtMost(1.0),
    ),
    row(
        "ecs/heavy_compute",
        "playground",
        &["vec_rayon_join"],
        Goal::Report,
    ),
    row(
        "ecs/heavy_compute",
        "playground",
        &["vec_one_thread"],
        Goal::Report,
    ),
    row("ecs/snapshot", "save+restore", &[], Goal::MsAtMost(20.0)),
    row("loader/reload", "stage", &[], Goal::Report),
    row("loader/reload", "swap_empty", &[], Goal::Report),
    row("loader/reload", "swap_10k", &[], Goal::MsAtMost(5.0)),
    row("loader/reload", "chain", &[], Goal::MsAtMost(5.0)),
];
