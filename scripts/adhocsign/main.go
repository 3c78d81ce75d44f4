// Command adhocsign signs a macOS (Mach-O) executable ad hoc, as `codesign --force --sign -` does on a Mac, with
// anchore/quill's library (Apache-2.0). scripts/buildBackend.ts runs it on gpx_headroom_darwin_arm64 after the
// single-executable blob is injected: macOS on Apple Silicon refuses to start arm64 code without a valid signature,
// and the injection voids the one Node's build came with.
//
//	go run . <file> [identifier]
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/anchore/quill/quill"
)

func main() {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		fmt.Fprintln(os.Stderr, "usage: adhocsign <mach-o file> [identifier]")
		os.Exit(2)
	}
	file := os.Args[1]
	identifier := filepath.Base(file)
	if len(os.Args) == 3 {
		identifier = os.Args[2]
	}
	// No certificate or key: quill writes an ad-hoc signature (CodeDirectory flag CS_ADHOC, empty CMS blob).
	cfg, err := quill.NewSigningConfigFromPEMs(file, "", "", "", false)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cfg.WithIdentity(identifier)
	if err := quill.Sign(*cfg); err != nil {
		fmt.Fprintf(os.Stderr, "signing %s: %v\n", file, err)
		os.Exit(1)
	}
}
