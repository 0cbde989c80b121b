//! The posture entries of the adversarial corpus (`shared/notes/security-and-users.md` §4), moved
//! here with the posture module; the other entries stay in `core/tests/hostile_inputs.rs`.

#[path = "../../core/tests/common/mod.rs"]
mod common;

use notaverify::{Time, digest_of};
use notaverify_posture::{Class, exceptions::Exceptions};

#[test]
fn e33_expired_and_foreign_exceptions_do_not_apply() {
    let digest = common::target().digest;
    let json = format!(
        r#"{{"version":"1","exceptions":[
        {{"scope":"registry.example/a","reason":"r","owner":"o","expires":"2025-01-01"}},
        {{"scope":"registry.example/b@{digest}","reason":"r","owner":"o","expires":"2099-01-01"}}]}}"#
    );
    let ex = Exceptions::from_json(json.as_bytes()).unwrap();
    let now = Time::parse_rfc3339("2026-01-01T00:00:00Z").unwrap();
    let unsigned = |reference: String| ex.lookup(&reference, now, Class::Unsigned, &[]);
    let found = unsigned(format!("registry.example/a@{digest}"));
    assert!(found.active.is_none(), "expired exception applied");
    assert_eq!(found.expired.len(), 1, "the expiry is recorded");
    // An exception for image B does not exempt image A (other repository), nor another digest.
    let other = digest_of("sha256", b"x").unwrap();
    assert!(unsigned(format!("registry.example/b@{other}")).active.is_none());
    assert!(unsigned(format!("registry.example/c@{digest}")).active.is_none());
    assert!(unsigned(format!("registry.example/b@{digest}")).active.is_some());
    // Wider scopes are refused outright.
    for scope in ["*", "registry.example", "registry.example/*", "registry.example/a:v1"] {
        let json = format!(
            r#"{{"version":"1","exceptions":[{{"scope":"{scope}","reason":"r","owner":"o","expires":"2099-01-01"}}]}}"#
        );
        assert!(Exceptions::from_json(json.as_bytes()).is_err(), "{scope}");
    }
}
