//! docs/schema/exceptions.schema.json agrees with `posture::Exceptions` on the shapes the schema
//! expresses: what one accepts the other accepts, including the `classes` rule (unsigned by
//! default; invalidSignature and failed never excused).

use notaverify_posture::Exceptions;
use serde_json::{Value, json};
use std::path::Path;

fn validator() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schema/exceptions.schema.json");
    let schema: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    jsonschema::draft202012::new(&schema).unwrap()
}

fn document(entry: Value) -> Value {
    json!({"version": "1", "exceptions": [entry]})
}

fn entry(extra: Value) -> Value {
    let mut e = json!({"scope": "registry.example/legacy", "reason": "built before signing", "owner": "team",
                       "expires": "2025-09-30"});
    for (k, v) in extra.as_object().unwrap() {
        e[k] = v.clone();
    }
    e
}

#[test]
fn schema_and_code_agree_on_exception_classes() {
    let schema = validator();
    let accepted = [
        entry(json!({})),
        entry(json!({"classes": ["unsigned"]})),
        entry(json!({"classes": ["unknownSigner", "retiredSigner", "expired", "unsigned"]})),
        entry(
            json!({"scope": format!("registry.example/a/b@sha256:{}", "0".repeat(64)), "expires": "2025-07-15T00:00:00Z"}),
        ),
    ];
    let rejected = [
        entry(json!({"classes": []})),
        entry(json!({"classes": ["invalidSignature"]})),
        entry(json!({"classes": ["failed"]})),
        entry(json!({"classes": ["verified"]})),
        entry(json!({"classes": ["expired", "expired"]})),
        entry(json!({"scope": "registry.example/*"})),
        entry(json!({"scope": "registry.example/a:v1"})),
        entry(json!({"expires": "soon"})),
        entry(json!({"extra": 1})),
    ];
    for e in accepted {
        let doc = document(e);
        assert!(schema.is_valid(&doc), "schema rejects {doc}");
        assert!(Exceptions::from_json(doc.to_string().as_bytes()).is_ok(), "code rejects {doc}");
    }
    for e in rejected {
        let doc = document(e);
        assert!(!schema.is_valid(&doc), "schema accepts {doc}");
        assert!(Exceptions::from_json(doc.to_string().as_bytes()).is_err(), "code accepts {doc}");
    }
}
