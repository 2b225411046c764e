//! Events: priority then publication order, `Pre` before `Post`, unsubscribe.

use playground_ecs_view::{Event, EventId, EventView, Phase, Priority, World};
use playground_ecs_viewmodel::EcsViewModel;
use proptest::prelude::*;
use std::sync::{Arc, Mutex};

fn event(name: &str, priority: i32, tag: u8) -> Event {
    Event {
        id: EventId::from_name(name),
        priority: Priority(priority),
        payload: vec![tag],
    }
}

type Log = Arc<Mutex<Vec<(Phase, u8)>>>;

fn listen(
    vm: &EcsViewModel,
    world: &mut World,
    name: &str,
    phase: Phase,
    log: &Log,
) -> playground_ecs_view::SubscriptionId {
    let log = log.clone();
    vm.subscribe(
        world,
        EventId::from_name(name),
        phase,
        Box::new(move |e| log.lock().unwrap().push((phase, e.payload[0]))),
    )
}

proptest! {
    #[test]
    fn delivery_is_by_priority_then_publication_order(priorities in prop::collection::vec(-3i32..3, 0..40)) {
        let vm = EcsViewModel;
        let mut world = World::new();
        let log: Log = Arc::default();
        listen(&vm, &mut world, "hit", Phase::Post, &log);
        listen(&vm, &mut world, "hit", Phase::Pre, &log);
        for (i, &p) in priorities.iter().enumerate() {
            vm.publish(&mut world, event("hit", p, i as u8));
        }
        prop_assert_eq!(vm.deliver(&mut world), 2 * priorities.len());
        let mut expected: Vec<usize> = (0..priorities.len()).collect();
        expected.sort_by_key(|&i| (std::cmp::Reverse(priorities[i]), i));
        let want: Vec<(Phase, u8)> =
            expected.iter().flat_map(|&i| [(Phase::Pre, i as u8), (Phase::Post, i as u8)]).collect();
        prop_assert_eq!(&*log.lock().unwrap(), &want);
        prop_assert_eq!(vm.deliver(&mut world), 0, "delivered events are gone");
    }
}

#[test]
fn unsubscribed_handlers_hear_nothing_and_other_events_are_not_heard() {
    let vm = EcsViewModel;
    let mut world = World::new();
    let log: Log = Arc::default();
    let sub = listen(&vm, &mut world, "hit", Phase::Post, &log);
    vm.publish(&mut world, event("miss", 0, 1));
    vm.publish(&mut world, event("hit", 0, 2));
    assert_eq!(vm.deliver(&mut world), 1);
    assert!(vm.unsubscribe(&mut world, sub));
    assert!(!vm.unsubscribe(&mut world, sub));
    vm.publish(&mut world, event("hit", 0, 3));
    assert_eq!(vm.deliver(&mut world), 0);
    assert_eq!(*log.lock().unwrap(), vec![(Phase::Post, 2)]);
}
