//! Reloads while other threads call through `Binding`s, and many reloads in a row.

use playground_fixture_probe::ProbeView;
use playground_kernel::sync::atomic::AtomicBool;
use playground_kernel::sync::{Ordering, StdArc};
use playground_tests::{Variant, host, library, positions};

#[test]
fn callers_on_other_threads_see_the_old_or_the_new_module_never_neither() {
    let (one, two) = (
        library(Variant::Fixture("")),
        library(Variant::Fixture("scale-2")),
    );
    let mut host = host(&one).unwrap();
    // Set after the last reload returned: a call that reads it set must see that module.
    let reloaded = StdArc::new(AtomicBool::new(false));
    let callers = (0..2)
        .map(|_| {
            let mut binding = host.registry().binding::<dyn ProbeView>().unwrap();
            let reloaded = reloaded.clone();
            std::thread::spawn(move || {
                let mut calls = 0u64;
                loop {
                    let last_done = reloaded.load(Ordering::Acquire);
                    let scale = binding.get().expect("always bound").scale();
                    assert!(scale == 1.0 || scale == 2.0, "saw {scale}");
                    calls += 1;
                    if last_done {
                        return (calls, scale);
                    }
                }
            })
        })
        .collect::<Vec<_>>();
    // 21 reloads, alternating, ending on the scale-2 build.
    for i in 0..21 {
        let next = if i % 2 == 0 { &two } else { &one };
        host.reload(next).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    reloaded.store(true, Ordering::Release);
    for caller in callers {
        let (calls, last) = caller.join().expect("no caller crashed");
        assert!(calls > 0);
        assert_eq!(
            last, 2.0,
            "a call after the last reload sees the new module"
        );
    }
}

#[test]
fn a_hundred_reloads_lose_no_entity_and_report_their_memory() {
    // The fixture: the ECS module as shipped, plus the kinematics components it registers.
    let lib = library(Variant::Fixture(""));
    let mut host = host(&lib).unwrap();
    let entities =
        playground_kinematics::spawn_movers(host.instance_mut().world_mut(), 2_000, 3).unwrap();
    host.instance()
        .probe()
        .step(host.instance().world(), 1.0)
        .unwrap();
    let before = positions(&host, &entities);
    let rss_before = resident_bytes();
    for _ in 0..100 {
        host.reload(&lib).unwrap();
    }
    assert_eq!(host.instance().world().len(), 2_000);
    assert_eq!(positions(&host, &entities), before);
    assert_eq!(host.retained_libraries(), 100);
    let growth = resident_bytes().saturating_sub(rss_before);
    println!(
        "100 reloads: {} libraries retained, {:.1} MiB mapped on disk, resident set grew {:.1} MiB",
        host.retained_libraries(),
        host.retained_bytes() as f64 / (1 << 20) as f64,
        growth as f64 / (1 << 20) as f64,
    );
}

/// The resident set size from `/proc/self/statm`, whose second field counts pages of the size
/// the kernel reports in `/proc/self/smaps` (`KernelPageSize`); 0 where there is none.
fn resident_bytes() -> u64 {
    let page_bytes = std::fs::read_to_string("/proc/self/smaps")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("KernelPageSize:"))
                .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024);
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * page_bytes)
}
