//! The YAML reader on arbitrary text: never a panic, and whatever it reads
//! writes back (through the YAML writer) to text that reads as the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(source) = canaria_core::yaml::load(text) else { return };
    let written = canaria_core::yaml::to_yaml(&source.value);
    match canaria_core::yaml::load(&written) {
        Ok(again) => assert_eq!(again.value, source.value, "the YAML writer changed the value:\n{written}"),
        Err(diagnostic) => panic!("the YAML writer wrote unreadable text ({}):\n{written}", diagnostic.message),
    }
});
