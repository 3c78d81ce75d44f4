package darwin

import (
	"bytes"
	"debug/elf"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// Node's fuse: postject turns its ":0" into ":1" when it injects, and Node then looks for the blob.
const seaFuse = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2"

// SEA is a Node single-executable blob, in the layout of Node's src/node_sea.cc (SeaSerializer): uint32 magic, uint32
// flags, then length-prefixed (size_t) strings: the code path, the main script, the code cache when flagged, and,
// when flagged, a size_t count of assets followed by name/content pairs.
type SEA struct {
	Flags    uint32
	CodePath string
	Main     []byte
	Assets   map[string][]byte
}

const (
	seaMagic          = 0x143da20
	seaDisableWarning = 1 << 0
	seaUseSnapshot    = 1 << 1
	seaUseCodeCache   = 1 << 2
	seaIncludeAssets  = 1 << 3
)

func ParseSEA(blob []byte) (*SEA, error) {
	r := bytes.NewReader(blob)
	var magic, flags uint32
	if binary.Read(r, binary.LittleEndian, &magic) != nil || magic != seaMagic {
		return nil, fmt.Errorf("SEA magic %#x, want %#x", magic, seaMagic)
	}
	if err := binary.Read(r, binary.LittleEndian, &flags); err != nil {
		return nil, err
	}
	str := func() ([]byte, error) {
		var n uint64
		if err := binary.Read(r, binary.LittleEndian, &n); err != nil {
			return nil, err
		}
		if n > uint64(r.Len()) {
			return nil, fmt.Errorf("string of %d bytes runs past the blob", n)
		}
		out := make([]byte, n)
		_, err := r.Read(out)
		return out, err
	}
	sea := &SEA{Flags: flags, Assets: map[string][]byte{}}
	path, err := str()
	if err != nil {
		return nil, err
	}
	sea.CodePath = string(path)
	if sea.Main, err = str(); err != nil {
		return nil, err
	}
	if flags&seaUseCodeCache != 0 {
		if _, err := str(); err != nil {
			return nil, err
		}
	}
	if flags&seaIncludeAssets != 0 {
		var count uint64
		if err := binary.Read(r, binary.LittleEndian, &count); err != nil {
			return nil, err
		}
		for i := uint64(0); i < count; i++ {
			name, err := str()
			if err != nil {
				return nil, err
			}
			if sea.Assets[string(name)], err = str(); err != nil {
				return nil, err
			}
		}
	}
	if r.Len() != 0 {
		return nil, fmt.Errorf("%d bytes after the SEA blob's last field", r.Len())
	}
	return sea, nil
}

// MachOSEA reads the blob from the NODE_SEA segment's __NODE_SEA_BLOB section, where Node on macOS looks for it.
func MachOSEA(path string) (*SEA, error) {
	f, err := macho.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	section := f.Section("__NODE_SEA_BLOB")
	if section == nil || section.Seg != "NODE_SEA" {
		return nil, errors.New("no NODE_SEA,__NODE_SEA_BLOB section")
	}
	blob, err := section.Data()
	if err != nil {
		return nil, err
	}
	return ParseSEA(blob)
}

// ELFSEA reads the blob from the ELF note named NODE_SEA_BLOB that postject adds on Linux.
func ELFSEA(path string) (*SEA, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	for _, prog := range f.Progs {
		if prog.Type != elf.PT_NOTE {
			continue
		}
		notes := make([]byte, prog.Filesz)
		if _, err := prog.ReadAt(notes, 0); err != nil {
			return nil, err
		}
		for len(notes) >= 12 {
			nameSize, descSize := f.ByteOrder.Uint32(notes), f.ByteOrder.Uint32(notes[4:])
			name := notes[12 : 12+nameSize]
			descStart := 12 + align4(nameSize)
			desc := notes[descStart : descStart+descSize]
			if string(bytes.TrimRight(name, "\x00")) == "NODE_SEA_BLOB" {
				return ParseSEA(desc)
			}
			notes = notes[descStart+align4(descSize):]
		}
	}
	return nil, errors.New("no NODE_SEA_BLOB note")
}

func align4(n uint32) uint32 { return (n + 3) &^ 3 }

// FuseBlown tells whether the fuse is present once and flipped to ":1" (and never left at ":0").
func FuseBlown(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	return bytes.Count(data, []byte(seaFuse+":1")) == 1 && bytes.Count(data, []byte(seaFuse+":0")) == 0, nil
}
