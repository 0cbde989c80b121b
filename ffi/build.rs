//! Gives the shared library a SONAME carrying the ABI major version: `libnotaverify.so.<major>`,
//! where 0.x versions are major 0 (every 0.x minor release may break the ABI; the SONAME then
//! stays `.so.0` and the installed file name `libnotaverify.so.0.<minor>.<patch>` tells them apart).

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").expect("cargo sets CARGO_PKG_VERSION_MAJOR");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let elf = matches!(
        os.as_str(),
        "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly" | "illumos" | "solaris"
    );
    if elf {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libnotaverify.so.{major}");
    } else if os == "macos" || os == "ios" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libnotaverify.{major}.dylib");
    }
}
