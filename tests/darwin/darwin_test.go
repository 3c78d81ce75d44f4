package darwin

import (
	"bytes"
	"crypto/sha256"
	"debug/macho"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The release executables `npm run package` builds (scripts/buildBackend.ts); HEADROOM_DARWIN_EXECUTABLE names another.
var (
	repoRoot      = filepath.Join("..", "..")
	executableDir = filepath.Join(repoRoot, "dist", "datasource")
)

// An executable named by HEADROOM_DARWIN_EXECUTABLE (as `npm run test:darwin` does) must be there; the default one is
// skipped when no release build made it.
func darwinExecutable(t *testing.T) string {
	path := os.Getenv("HEADROOM_DARWIN_EXECUTABLE")
	named := path != ""
	if !named {
		path = filepath.Join(executableDir, "gpx_headroom_darwin_arm64")
	}
	if _, err := os.Stat(path); err != nil {
		if named {
			t.Fatalf("HEADROOM_DARWIN_EXECUTABLE: %v", err)
		}
		t.Skipf("no darwin executable at %s (built by npm run package)", path)
	}
	return path
}

func TestAdHocSignatureCoversTheFile(t *testing.T) {
	path := darwinExecutable(t)
	sig, err := CheckSignature(path)
	if err != nil {
		t.Fatal(err)
	}
	if sig.Identifier != "gpx_headroom_darwin_arm64" {
		t.Errorf("identifier %q", sig.Identifier)
	}
	if sig.PageSize != 4096 {
		t.Errorf("page size %d, want 4096 (codesign's for arm64 executables)", sig.PageSize)
	}
	t.Logf("signature at %#x (%d bytes), CodeDirectory version %#x flags %#x, %d pages, exec segment %#x+%#x flags %#x, slots %#x",
		sig.DataOffset, sig.DataSize, sig.Version, sig.Flags, sig.CodeSlots, sig.ExecSegBase, sig.ExecSegLimit, sig.ExecSegFlags, sig.SlotTypes)
}

func TestSEABlobIsOurs(t *testing.T) {
	path := darwinExecutable(t)
	sea, err := MachOSEA(path)
	if err != nil {
		t.Fatal(err)
	}
	if sea.Flags&seaDisableWarning == 0 || sea.Flags&(seaUseSnapshot|seaUseCodeCache) != 0 {
		t.Errorf("SEA flags %#x: want the warning disabled and neither snapshot nor code cache (both tie a blob to one platform)", sea.Flags)
	}
	if !strings.HasSuffix(sea.CodePath, "backend.js") || !bytes.Contains(sea.Main, []byte("grafana_plugin_type")) {
		t.Errorf("main script %s (%d bytes) is not the bundled backend", sea.CodePath, len(sea.Main))
	}
	// The models' WebAssembly, byte for byte as the package ships it (src/backend/augursModels.ts reads these).
	for _, name := range []string{"mstl_bg.wasm", "ets_bg.wasm"} {
		want, err := os.ReadFile(filepath.Join(repoRoot, "node_modules", "@bsull", "augurs", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sea.Assets[name], want) {
			t.Errorf("asset %s: %d bytes, want the package's %d", name, len(sea.Assets[name]), len(want))
		}
	}
	blown, err := FuseBlown(path)
	if err != nil || !blown {
		t.Errorf("fuse %s not flipped to :1 exactly once (%v)", seaFuse, err)
	}

	// The Linux executable from the same build carries the same script (written by another Node version, maybe).
	linux := filepath.Join(filepath.Dir(path), "gpx_headroom_linux_amd64")
	if _, err := os.Stat(linux); err != nil {
		t.Logf("no %s beside it: not compared", linux)
		return
	}
	other, err := ELFSEA(linux)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sea.Main, other.Main) || len(sea.Assets) != len(other.Assets) {
		t.Errorf("main script differs from the linux/amd64 executable's (%d and %d bytes)", len(sea.Main), len(other.Main))
	}
}

// The check must notice one changed byte in the injected blob and a file cut short.
func TestCheckRejectsAlteredCopies(t *testing.T) {
	path := darwinExecutable(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := macho.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	section := f.Section("__NODE_SEA_BLOB")
	f.Close()
	if section == nil {
		t.Fatal("no __NODE_SEA_BLOB section")
	}
	dir := t.TempDir()

	changed := bytes.Clone(data)
	at := int(section.Offset) + int(section.Size)/2
	changed[at] ^= 0x01
	changedPath := filepath.Join(dir, "changed")
	if err := os.WriteFile(changedPath, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = CheckSignature(changedPath)
	if err == nil || !strings.Contains(err.Error(), "hash differs") {
		t.Errorf("one byte changed at %#x (page %d): got %v, want a page hash mismatch", at, at/4096, err)
	}

	cutPath := filepath.Join(dir, "cut")
	if err := os.WriteFile(cutPath, data[:len(data)-sha256.Size], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSignature(cutPath); err == nil {
		t.Error("a copy cut short passed the check")
	}
}
