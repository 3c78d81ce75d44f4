// Package darwin checks a macOS single executable built on Linux, where it cannot run, with an implementation other
// than the one that signed it: Go's debug/macho for the Mach-O layout, and the code-signing structures read here by
// hand from Apple's published layout (xnu osfmk/kern/cs_blobs.h: CS_SuperBlob, CS_CodeDirectory, CS_BlobIndex), whose
// page hashes are recomputed from the file. The kernel checks those page hashes as it maps each page; a mismatch, a
// missing signature or one not marked ad hoc gets the process killed on Apple Silicon.
package darwin

import (
	"bytes"
	"crypto/sha256"
	"debug/macho"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
)

// From xnu's cs_blobs.h (all code-signing fields are big-endian).
const (
	csMagicEmbeddedSignature = 0xfade0cc0
	csMagicCodeDirectory     = 0xfade0c02
	csMagicRequirements      = 0xfade0c01
	csMagicBlobWrapper       = 0xfade0b01
	csSlotCodeDirectory      = 0
	csSlotRequirements       = 2
	csSlotCMSSignature       = 0x10000
	csAdhoc                  = 0x2
	csHashTypeSHA256         = 2
	csSupportsExecSeg        = 0x20400
	loadCmdCodeSignature     = 0x1d
)

// Signature is what Check found in the LC_CODE_SIGNATURE data.
type Signature struct {
	DataOffset, DataSize uint32
	Identifier           string
	Version, Flags       uint32
	CodeLimit            uint32
	PageSize             int
	CodeSlots            int
	ExecSegBase          uint64
	ExecSegLimit         uint64
	ExecSegFlags         uint64
	SlotTypes            []uint32
}

// CheckSignature verifies the ad-hoc signature of a thin arm64 Mach-O executable against the file's contents.
func CheckSignature(path string) (*Signature, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := macho.NewFile(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("debug/macho: %w", err)
	}
	if f.Magic != macho.Magic64 || f.Cpu != macho.CpuArm64 || f.Type != macho.TypeExec {
		return nil, fmt.Errorf("not a 64-bit arm64 executable: magic %#x cpu %v type %v", f.Magic, f.Cpu, f.Type)
	}
	if err := checkSegments(f, uint64(len(data))); err != nil {
		return nil, err
	}

	var sigCmd []byte
	for i, load := range f.Loads {
		raw := load.Raw()
		if f.ByteOrder.Uint32(raw) != loadCmdCodeSignature {
			continue
		}
		if sigCmd != nil {
			return nil, errors.New("more than one LC_CODE_SIGNATURE")
		}
		if i != len(f.Loads)-1 {
			return nil, errors.New("LC_CODE_SIGNATURE is not the last load command")
		}
		sigCmd = raw
	}
	if sigCmd == nil {
		return nil, errors.New("no LC_CODE_SIGNATURE: unsigned")
	}
	sig := &Signature{DataOffset: f.ByteOrder.Uint32(sigCmd[8:]), DataSize: f.ByteOrder.Uint32(sigCmd[12:])}
	if uint64(sig.DataOffset)+uint64(sig.DataSize) != uint64(len(data)) {
		return nil, fmt.Errorf("signature %#x+%#x does not end the file (%#x bytes)", sig.DataOffset, sig.DataSize, len(data))
	}
	end := linkeditDataEnd(f)
	if end > uint64(sig.DataOffset) {
		return nil, fmt.Errorf("linkedit data runs to %#x, past the signature at %#x", end, sig.DataOffset)
	}
	// codesign starts the signature right after that data (16-byte aligned); a larger gap is an old signature left
	// in place (quill, signing over a signed file, zeroes the old one but keeps it inside __LINKEDIT).
	if gap := uint64(sig.DataOffset) - end; gap >= 16 {
		return nil, fmt.Errorf("%d bytes between the linkedit data and the signature: an old signature left behind?", gap)
	}
	blob := data[sig.DataOffset:]

	if be32(blob, 0) != csMagicEmbeddedSignature {
		return nil, fmt.Errorf("signature magic %#x, want embedded signature %#x", be32(blob, 0), csMagicEmbeddedSignature)
	}
	if be32(blob, 4) > sig.DataSize {
		return nil, fmt.Errorf("superblob length %d exceeds LC_CODE_SIGNATURE size %d", be32(blob, 4), sig.DataSize)
	}
	slots := map[uint32][]byte{}
	count := be32(blob, 8)
	for i := uint32(0); i < count; i++ {
		slotType, offset := be32(blob, 12+8*int(i)), be32(blob, 16+8*int(i))
		length := be32(blob, int(offset)+4)
		if uint64(offset)+uint64(length) > uint64(be32(blob, 4)) {
			return nil, fmt.Errorf("blob of slot %#x runs past the superblob", slotType)
		}
		slots[slotType] = blob[offset : offset+length]
		sig.SlotTypes = append(sig.SlotTypes, slotType)
	}
	cd, ok := slots[csSlotCodeDirectory]
	if !ok || be32(cd, 0) != csMagicCodeDirectory {
		return nil, errors.New("no CodeDirectory in slot 0")
	}
	if req, ok := slots[csSlotRequirements]; !ok || be32(req, 0) != csMagicRequirements {
		return nil, errors.New("no requirements blob in slot 2")
	}
	if cms, ok := slots[csSlotCMSSignature]; ok && be32(cms, 0) != csMagicBlobWrapper {
		return nil, fmt.Errorf("CMS slot magic %#x, want blob wrapper", be32(cms, 0))
	}

	// CS_CodeDirectory: magic, length, version, flags, hashOffset, identOffset, nSpecialSlots, nCodeSlots, codeLimit,
	// hashSize, hashType, platform, pageSize, spare2, scatterOffset, teamOffset, spare3, codeLimit64, execSegBase,
	// execSegLimit, execSegFlags.
	sig.Version, sig.Flags = be32(cd, 8), be32(cd, 12)
	hashOffset, identOffset := be32(cd, 16), be32(cd, 20)
	nSpecial, nCode := be32(cd, 24), be32(cd, 28)
	sig.CodeLimit = be32(cd, 32)
	hashSize, hashType, pageShift := cd[36], cd[37], cd[39]
	sig.PageSize, sig.CodeSlots = 1<<pageShift, int(nCode)
	sig.Identifier = cString(cd[identOffset:])
	if sig.Flags&csAdhoc == 0 {
		return nil, fmt.Errorf("CodeDirectory flags %#x lack CS_ADHOC", sig.Flags)
	}
	if hashSize != sha256.Size || hashType != csHashTypeSHA256 {
		return nil, fmt.Errorf("hash size %d type %d, want SHA-256", hashSize, hashType)
	}
	if sig.CodeLimit != sig.DataOffset {
		return nil, fmt.Errorf("codeLimit %#x, want the signature's offset %#x", sig.CodeLimit, sig.DataOffset)
	}
	if want := (int(sig.CodeLimit) + sig.PageSize - 1) / sig.PageSize; int(nCode) != want {
		return nil, fmt.Errorf("%d code slots, want %d pages of %d bytes", nCode, want, sig.PageSize)
	}
	if sig.Version >= csSupportsExecSeg {
		sig.ExecSegBase, sig.ExecSegLimit, sig.ExecSegFlags = be64(cd, 64), be64(cd, 72), be64(cd, 80)
		text := f.Segment("__TEXT")
		if text == nil || sig.ExecSegBase != text.Offset || sig.ExecSegLimit != text.Filesz {
			return nil, fmt.Errorf("exec segment %#x+%#x is not __TEXT", sig.ExecSegBase, sig.ExecSegLimit)
		}
	}
	for page := 0; page < int(nCode); page++ {
		start := page * sig.PageSize
		end := min(start+sig.PageSize, int(sig.CodeLimit))
		sum := sha256.Sum256(data[start:end])
		slot := cd[int(hashOffset)+page*sha256.Size:][:sha256.Size]
		if !bytes.Equal(sum[:], slot) {
			return nil, fmt.Errorf("page %d (bytes %#x-%#x): hash differs from the CodeDirectory", page, start, end)
		}
	}
	// Special slots sit before hashOffset, slot -n at hashOffset - n*hashSize; -2 is the requirements blob's hash.
	if nSpecial >= csSlotRequirements {
		sum := sha256.Sum256(slots[csSlotRequirements])
		if !bytes.Equal(sum[:], cd[int(hashOffset)-csSlotRequirements*sha256.Size:][:sha256.Size]) {
			return nil, errors.New("special slot -2 is not the hash of the requirements blob")
		}
	}
	return sig, nil
}

// checkSegments: segments in ascending, non-overlapping file and memory ranges, __LINKEDIT last and ending the file.
func checkSegments(f *macho.File, fileSize uint64) error {
	var segments []*macho.Segment
	for _, load := range f.Loads {
		if s, ok := load.(*macho.Segment); ok {
			segments = append(segments, s)
		}
	}
	var fileEnd, addrEnd uint64
	for _, s := range segments {
		if s.Filesz > s.Memsz {
			return fmt.Errorf("segment %s: file size %#x exceeds memory size %#x", s.Name, s.Filesz, s.Memsz)
		}
		if s.Filesz > 0 && s.Offset < fileEnd && s.Offset != 0 {
			return fmt.Errorf("segment %s starts at file offset %#x, inside the previous one", s.Name, s.Offset)
		}
		if s.Addr < addrEnd {
			return fmt.Errorf("segment %s at %#x overlaps the previous one in memory", s.Name, s.Addr)
		}
		fileEnd, addrEnd = max(fileEnd, s.Offset+s.Filesz), s.Addr+s.Memsz
	}
	last := segments[len(segments)-1]
	if last.Name != "__LINKEDIT" || last.Offset+last.Filesz != fileSize {
		return fmt.Errorf("last segment %s ends at %#x, the file at %#x", last.Name, last.Offset+last.Filesz, fileSize)
	}
	return nil
}

// linkeditDataEnd is where the dynamic linker's data (symbols, strings, rebase and bind info, function starts,
// data in code) ends: the signature must come after all of it, and a leftover old signature would show as a gap.
func linkeditDataEnd(f *macho.File) uint64 {
	var end uint64
	for _, load := range f.Loads {
		raw := load.Raw()
		cmd := f.ByteOrder.Uint32(raw)
		switch cmd {
		case 0x2: // LC_SYMTAB: symoff, nsyms, stroff, strsize
			end = max(end, uint64(f.ByteOrder.Uint32(raw[8:]))+16*uint64(f.ByteOrder.Uint32(raw[12:])),
				uint64(f.ByteOrder.Uint32(raw[16:]))+uint64(f.ByteOrder.Uint32(raw[20:])))
		case 0x22, 0x80000022: // LC_DYLD_INFO(_ONLY): five offset/size pairs
			for i := 8; i < 48; i += 8 {
				end = max(end, uint64(f.ByteOrder.Uint32(raw[i:]))+uint64(f.ByteOrder.Uint32(raw[i+4:])))
			}
		case 0x26, 0x29, 0x80000033, 0x80000034, 0x2e: // function starts, data in code, exports trie, chained fixups, LOH
			end = max(end, uint64(f.ByteOrder.Uint32(raw[8:]))+uint64(f.ByteOrder.Uint32(raw[12:])))
		}
	}
	return end
}

func be32(b []byte, off int) uint32 { return binary.BigEndian.Uint32(b[off:]) }
func be64(b []byte, off int) uint64 { return binary.BigEndian.Uint64(b[off:]) }

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return string(b[:i])
	}
	return string(b)
}
