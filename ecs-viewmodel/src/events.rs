//! Event delivery over a world's `EventQueue` resource.

use playground_ecs_view::model::Subscription;
use playground_ecs_view::{Event, EventId, EventQueue, Handler, Phase, SubscriptionId, World};

fn queue(world: &mut World) -> &mut EventQueue {
    if world.resource::<EventQueue>().is_none() {
        world.insert_resource(EventQueue::default());
    }
    world.resource_mut::<EventQueue>().expect("inserted above")
}

/// Adds a subscription.
pub fn subscribe(
    world: &mut World,
    event: EventId,
    phase: Phase,
    handler: Handler,
) -> SubscriptionId {
    let q = queue(world);
    let id = SubscriptionId(q.next_subscription);
    q.next_subscription += 1;
    q.subscriptions.push(Subscription {
        id,
        event,
        phase,
        handler,
    });
    id
}

/// Removes a subscription.
pub fn unsubscribe(world: &mut World, id: SubscriptionId) -> bool {
    let q = queue(world);
    let before = q.subscriptions.len();
    q.subscriptions.retain(|s| s.id != id);
    q.subscriptions.len() != before
}

/// Queues an event.
pub fn publish(world: &mut World, event: Event) {
    let q = queue(world);
    q.pending.push((q.next_seq, event));
    q.next_seq += 1;
}

/// Delivers the queued events (priority, then publication order; `Pre` then `Post`).
pub fn deliver(world: &mut World) -> usize {
    let q = queue(world);
    let mut pending = std::mem::take(&mut q.pending);
    pending.sort_by_key(|(seq, event)| (std::cmp::Reverse(event.priority), *seq));
    let mut calls = 0;
    for (_, event) in &pending {
        for phase in [Phase::Pre, Phase::Post] {
            for sub in q
                .subscriptions
                .iter()
                .filter(|s| s.event == event.id && s.phase == phase)
            {
                (sub.handler)(event);
                calls += 1;
            }
        }
    }
    calls
}
