//! Name-hashed ids: `ViewId`, `ModelType`, `ComponentId`, and the [`stable_id!`] macro that
//! declares them (other crates declare their own ids with it: `EventId`, `QueryId`).

/// Declares a name-hashed id type: a `#[repr(transparent)]` newtype over the FNV-1a 64 hash
/// of a name, with `from_name`, `try_from_name`, `from_bits`, `to_bits`, and hex `Debug` and
/// `Display`.
#[macro_export]
macro_rules! stable_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        ///
        /// The id never becomes invalid: it is a pure function of the declared name. Two names
        /// that hash alike are refused by the registry that sees both.
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(transparent)]
        pub struct $name(u64);

        impl $name {
            /// The id of `name`: FNV-1a 64 of its UTF-8 bytes. Any string is accepted; the
            /// empty string gives the FNV offset basis.
            #[inline]
            pub const fn from_name(name: &str) -> Self {
                Self($crate::fnv1a_64(name))
            }

            /// Like [`Self::from_name`], but refuses an empty name, which is almost always a
            /// missing declaration rather than a real name.
            pub const fn try_from_name(name: &str) -> Result<Self, $crate::KernelError> {
                if name.is_empty() {
                    Err($crate::KernelError::EmptyName { kind: stringify!($name) })
                } else {
                    Ok(Self::from_name(name))
                }
            }

            /// Rebuilds an id from its raw bits (e.g. read from a save or a module's metadata).
            #[inline]
            pub const fn from_bits(bits: u64) -> Self {
                Self(bits)
            }

            /// The raw 64 bits.
            #[inline]
            pub const fn to_bits(self) -> u64 {
                self.0
            }
        }

        impl ::core::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, concat!(stringify!($name), "({:#018x})"), self.0)
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                write!(f, "{:#018x}", self.0)
            }
        }
    };
}

stable_id!(
    /// Identity of a View: an API contract (an object-safe trait).
    ViewId
);
stable_id!(
    /// Identity of a model type: the kind of data a pool holds.
    ModelType
);
stable_id!(
    /// Identity of a component type in an ECS world.
    ComponentId
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::KernelError;

    #[test]
    fn ids_of_one_name_agree_across_kinds() {
        let name = "playground.ecs.EntityView";
        assert_eq!(ViewId::from_name(name).to_bits(), 0xdb63_1414_251e_488d);
        assert_eq!(
            ModelType::from_name(name).to_bits(),
            ViewId::from_name(name).to_bits()
        );
        assert_eq!(ComponentId::from_bits(7).to_bits(), 7);
    }

    #[test]
    fn display_is_fixed_width_hex() {
        assert_eq!(ViewId::from_bits(0xab).to_string(), "0x00000000000000ab");
        assert_eq!(
            format!("{:?}", ModelType::from_bits(1)),
            "ModelType(0x0000000000000001)"
        );
    }

    #[test]
    fn empty_name_is_refused_by_try_from_name_only() {
        assert_eq!(
            ViewId::try_from_name(""),
            Err(KernelError::EmptyName { kind: "ViewId" })
        );
        assert_eq!(ViewId::from_name("").to_bits(), 0xcbf2_9ce4_8422_2325);
        assert_eq!(
            ComponentId::try_from_name("x"),
            Ok(ComponentId::from_name("x"))
        );
    }
}
