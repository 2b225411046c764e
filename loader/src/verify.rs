//! The header check every library passes before any of its Rust-ABI code or data is used.

use crate::error::LoadError;
use playground_kernel::module::{MODULE_MAGIC, ModuleHeader};
use std::path::Path;

/// Compares a module's header with the one this host expects. The state version is not
/// compared here: it is the reload transaction's business (a changed state format may be
/// migrated, or the module started fresh).
pub fn verify(path: &Path, found: &ModuleHeader, expected: &ModuleHeader) -> Result<(), LoadError> {
    if found.magic != MODULE_MAGIC {
        return Err(LoadError::BadMagic {
            path: path.to_owned(),
        });
    }
    let mismatch = |field: &'static str, expected: String, found: String| LoadError::Mismatch {
        path: path.to_owned(),
        field,
        expected,
        found,
    };
    if found.layout != expected.layout {
        return Err(mismatch(
            "header layout",
            expected.layout.to_string(),
            found.layout.to_string(),
        ));
    }
    let text_fields = [
        ("core", found.core.as_str(), expected.core.as_str()),
        ("rustc", found.rustc.as_str(), expected.rustc.as_str()),
        ("kernel", found.kernel.as_str(), expected.kernel.as_str()),
        ("target", found.target.as_str(), expected.target.as_str()),
    ];
    for (field, f, e) in text_fields {
        if f != e {
            return Err(mismatch(field, e.to_owned(), f.to_owned()));
        }
    }
    if found.api_version != expected.api_version {
        return Err(mismatch(
            "API version",
            format!("{:#018x}", expected.api_version),
            format!("{:#018x}", found.api_version),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use playground_kernel::ViewModelTrait;
    use playground_kernel::module::{Core, FixedStr};

    struct TestCore;
    impl Core for TestCore {
        const NAME: &'static str = "test.core";
        const API_VERSION: u64 = 0xa;
        const STATE_FORMAT_VERSION: u64 = 0xb;
        type Instance = dyn ViewModelTrait;
    }

    fn check(edit: impl FnOnce(&mut ModuleHeader)) -> Result<(), LoadError> {
        let expected = ModuleHeader::expected::<TestCore>();
        let mut found = ModuleHeader::new::<TestCore>("m", "1.0.0");
        edit(&mut found);
        verify(Path::new("libm.so"), &found, &expected)
    }

    #[test]
    fn a_header_of_this_build_passes_whatever_its_name_and_state() {
        check(|_| {}).unwrap();
        check(|h| h.state_version = 0xdead).unwrap();
    }

    #[test]
    fn every_mismatch_names_the_field_and_both_values() {
        let err = check(|h| h.rustc = FixedStr::new("1.60.0 (old)")).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("rustc 1.60.0 (old)"), "{text}");
        assert!(
            text.contains(playground_kernel::module::RUSTC_VERSION),
            "{text}"
        );
        type Edit = fn(&mut ModuleHeader);
        let cases: [(&str, Edit); 5] = [
            ("header layout", |h| h.layout = 99),
            ("core", |h| h.core = FixedStr::new("other.core")),
            ("kernel", |h| h.kernel = FixedStr::new("9.9.9")),
            ("target", |h| {
                h.target = FixedStr::new("wasm32-unknown-unknown")
            }),
            ("API version", |h| h.api_version = 0xc),
        ];
        for (name, edit) in cases {
            match check(edit) {
                Err(LoadError::Mismatch { field, .. }) => assert_eq!(field, name),
                other => panic!("{name}: {other:?}"),
            }
        }
        assert!(matches!(
            check(|h| h.magic = *b"NOTAMODL"),
            Err(LoadError::BadMagic { .. })
        ));
    }
}
