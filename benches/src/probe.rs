//! The View the registry suites bind: one `dyn` call returning a number, and the stable ids
//! of the `i`-th View and model type of a benchmark table.

use playground_kernel::sync::StdArc as Arc;
use playground_kernel::{ModelType, ViewId};

/// A minimal View contract.
pub trait Probe: Send + Sync {
    fn value(&self) -> u64;
}

struct P(u64);

impl Probe for P {
    fn value(&self) -> u64 {
        self.0
    }
}

/// An implementation of [`Probe`] returning `i`.
pub fn probe(i: usize) -> Arc<dyn Probe> {
    Arc::new(P(i as u64))
}

/// The id of the `i`-th View of a table.
pub fn view_id(i: usize) -> ViewId {
    ViewId::from_name(&format!("bench.view.{i}"))
}

/// The id of the `i`-th model type of a table.
pub fn model_type(i: usize) -> ModelType {
    ModelType::from_name(&format!("bench.model.{i}"))
}
