//! Events as data: what is published, with which priority, and who listens in which phase.

playground_kernel::stable_id!(
    /// Stable id of an event type: the hash of its name.
    EventId
);

/// Delivery priority: higher is delivered first; equal priorities in publication order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Priority(pub i32);

/// When a subscriber hears an event: every `Pre` subscriber of an event runs before any `Post`
/// subscriber of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Before: validation, vetoes, bookkeeping.
    Pre,
    /// After: reactions.
    Post,
}

/// One published event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its type.
    pub id: EventId,
    /// Its priority.
    pub priority: Priority,
    /// Its data, encoded by the publisher.
    pub payload: Vec<u8>,
}

/// A subscription's handle, to unsubscribe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubscriptionId(pub u64);

/// What a subscriber runs for each event it hears.
pub type Handler = Box<dyn Fn(&Event) + Send + Sync>;

/// A subscription: which event, which phase, what to run.
pub struct Subscription {
    /// Its handle.
    pub id: SubscriptionId,
    /// The event type it hears.
    pub event: EventId,
    /// The phase it runs in.
    pub phase: Phase,
    /// The handler.
    pub handler: Handler,
}

/// Pending events and subscriptions of one world, kept as a world resource.
#[derive(Default)]
pub struct EventQueue {
    /// Events published and not yet delivered, with their publication sequence number.
    pub pending: Vec<(u64, Event)>,
    /// Subscriptions, in subscription order.
    pub subscriptions: Vec<Subscription>,
    /// Next publication sequence number.
    pub next_seq: u64,
    /// Next subscription id.
    pub next_subscription: u64,
}

playground_kernel::model!(Event = "playground.ecs.Event");
playground_kernel::model!(Subscription = "playground.ecs.Subscription");
playground_kernel::model!(EventQueue = "playground.ecs.EventQueue");
