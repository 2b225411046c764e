//! `ecs/*`: the workloads of the public ecs_bench_suite, the playground next to the suite's
//! peers at their newest versions (bevy_ecs, hecs, legion, shipyard, sparsey, specs) in the
//! same group, one file per workload. Each peer is driven the way its own docs (and the suite)
//! drive it; the playground through the API a user reaches for first (`World::spawn_batch`,
//! `World::query`, `World::insert`/`remove`, `Schedule` run by a `SystemView`), with faster
//! special paths only as extra functions (`playground_writer`).

mod add_remove;
mod components;
mod frag_iter;
mod heavy_compute;
mod schedule;
mod simple_insert;
mod simple_iter;
mod snapshot;

criterion::criterion_group! {
    name = benches;
    config = playground_benches::config(3);
    targets = simple_insert::bench, simple_iter::bench, frag_iter::bench, add_remove::bench,
        schedule::bench, heavy_compute::bench, snapshot::bench
}
criterion::criterion_main!(benches);
