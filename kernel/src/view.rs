//! Views (API contracts) and ViewModels (their implementations).
//!
//! A View is an object-safe trait. [`View`] gives the trait object type (`dyn EntityView`)
//! its stable name, id and API version, so registries can hand out typed `&dyn EntityView`
//! without `unsafe` on the caller's side. [`ViewModelTrait`] is what every implementation,
//! usually living in a hot-loadable module, offers the loader: identity, version, and its
//! state as bytes so a reload can carry it across.

use crate::error::StateError;
use crate::id::ViewId;

/// Static identity of a View contract, implemented for the trait object type:
///
/// ```
/// use playground_kernel::{View, ViewId};
///
/// pub trait Greeter: Send + Sync { fn greet(&self) -> &str; }
/// impl View for dyn Greeter {
///     const NAME: &'static str = "example.Greeter";
///     const API_VERSION: u64 = 1;
/// }
/// assert_eq!(<dyn Greeter as View>::VIEW_ID, ViewId::from_name("example.Greeter"));
/// ```
pub trait View: Send + Sync + 'static {
    /// The stable name of the contract.
    const NAME: &'static str;
    /// The contract's id, derived from [`Self::NAME`].
    const VIEW_ID: ViewId = ViewId::from_name(Self::NAME);
    /// The API fingerprint an implementation must match to be bound.
    const API_VERSION: u64;
}

/// An implementation of a View, as the loader and registry see it.
pub trait ViewModelTrait: Send + Sync {
    /// The View it implements.
    fn view_id(&self) -> ViewId;
    /// The API fingerprint it was built against; binding refuses a mismatch.
    fn api_version(&self) -> u64;

    /// Serialises the module's state so a reload can restore it into the next build.
    ///
    /// The default suits stateless modules: no bytes.
    fn save_state(&self) -> Result<Vec<u8>, StateError> {
        Ok(Vec::new())
    }

    /// Restores state written by [`Self::save_state`]. On error the module must be left as it
    /// was before the call.
    ///
    /// The default suits stateless modules: it accepts only empty state.
    fn restore_state(&mut self, bytes: &[u8]) -> Result<(), StateError> {
        if bytes.is_empty() {
            Ok(())
        } else {
            Err(StateError::UnexpectedState { len: bytes.len() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Stateless;
    impl ViewModelTrait for Stateless {
        fn view_id(&self) -> ViewId {
            ViewId::from_name("test.Stateless")
        }
        fn api_version(&self) -> u64 {
            1
        }
    }

    #[test]
    fn stateless_module_round_trips_nothing_and_refuses_bytes() {
        let mut m: Box<dyn ViewModelTrait> = Box::new(Stateless);
        let saved = m.save_state().unwrap();
        assert!(saved.is_empty());
        assert_eq!(m.restore_state(&saved), Ok(()));
        assert_eq!(
            m.restore_state(&[1, 2, 3]),
            Err(StateError::UnexpectedState { len: 3 })
        );
    }
}
