mod common;
use notaverify::*;
#[test]
fn dump() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).filter(|n| !n.ends_with(".py")).collect();
    names.sort();
    let v = common::verifier(common::policy("strict", &["ca:test-roots"], &["*"], ""));
    for n in names {
        let bytes = std::fs::read(dir.join(&n)).unwrap();
        let mt = common::media_type_of(&n);
        let p = Envelope::parse(mt, &bytes).map(|e| (e.verify_signature(), e.target()));
        let o = v.verify(&common::reference(), &common::target_descriptor(), &SignatureInput::new(bytes.clone(), mt), &VerifyOptions::default()).unwrap();
        let s = &o.signatures[0];
        println!("{n}\n   parse: {:?}\n   verify: {} {:?} {:?}", p.map(|(a,b)| (a.err(), b.err())), o.verified, s.failure, s.error);
    }
}
