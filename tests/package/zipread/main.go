// Command zipread lists a plugin archive the way Grafana reads one: with Go's archive/zip, the reader behind
// Grafana's plugin installer and Grafana's plugin validator. Each file is read to its end, which checks its CRC-32;
// a damaged archive exits non-zero. Output: one JSON array of entries on stdout.
//
//	go run tests/package/zipread/main.go ARCHIVE.zip
package main

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
)

type entry struct {
	Name   string `json:"name"`
	IsDir  bool   `json:"isDir"`
	Perm   uint32 `json:"perm"`
	Method uint16 `json:"method"`
	Size   uint64 `json:"size"`
	SHA256 string `json:"sha256,omitempty"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: zipread ARCHIVE.zip")
		os.Exit(2)
	}
	r, err := zip.OpenReader(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer r.Close()
	entries := make([]entry, 0, len(r.File))
	for _, f := range r.File {
		e := entry{Name: f.Name, IsDir: f.Mode().IsDir(), Perm: uint32(f.Mode().Perm()), Method: f.Method, Size: f.UncompressedSize64}
		if !e.IsDir {
			rc, err := f.Open()
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", f.Name, err)
				os.Exit(1)
			}
			h := sha256.New()
			if _, err := io.Copy(h, rc); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", f.Name, err)
				os.Exit(1)
			}
			rc.Close()
			e.SHA256 = hex.EncodeToString(h.Sum(nil))
		}
		entries = append(entries, e)
	}
	if err := json.NewEncoder(os.Stdout).Encode(entries); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
