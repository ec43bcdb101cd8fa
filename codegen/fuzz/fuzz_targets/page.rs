//! Arbitrary text as a reference page (YAML front matter with JSON schema strings): imported,
//! and when that succeeds, the endpoint file it became goes through the whole pipeline.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(codegen::import::Imported::Endpoint(json)) = codegen::import::import_page("fuzz/page.md", text) {
        let inputs = codegen::Inputs {
            schemas: vec![("fuzz/page.json".to_owned(), json.into_bytes())],
            ..codegen::Inputs::default()
        };
        let _ = codegen::generate(&inputs);
    }
});
