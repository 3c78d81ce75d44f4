/**
 * scripts/machoSignature.ts on small Mach-O files written here field by field (<mach-o/loader.h>), with the expected
 * header, __LINKEDIT and file size worked out by hand. The real case (Node's official macOS build, then injection and
 * ad-hoc signing) is checked by tests/darwin after `npm run package`; it needs a 38 MB download, so not here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { removeMachOSignature } from '../../scripts/machoSignature';

const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;

function segment(name: string, vmaddr: bigint, vmsize: bigint, fileoff: bigint, filesize: bigint): Buffer {
  const cmd = Buffer.alloc(72);
  cmd.writeUInt32LE(LC_SEGMENT_64, 0);
  cmd.writeUInt32LE(72, 4);
  cmd.write(name, 8, 'latin1');
  cmd.writeBigUInt64LE(vmaddr, 24);
  cmd.writeBigUInt64LE(vmsize, 32);
  cmd.writeBigUInt64LE(fileoff, 40);
  cmd.writeBigUInt64LE(filesize, 48);
  return cmd;
}

function codeSignature(dataoff: number, datasize: number): Buffer {
  const cmd = Buffer.alloc(16);
  cmd.writeUInt32LE(LC_CODE_SIGNATURE, 0);
  cmd.writeUInt32LE(16, 4);
  cmd.writeUInt32LE(dataoff, 8);
  cmd.writeUInt32LE(datasize, 12);
  return cmd;
}

/** Header, load commands, then bytes of `fill` up to `size` (content the removal must leave alone). */
function machO(commands: Buffer[], size: number): Buffer {
  const header = Buffer.alloc(32);
  header.writeUInt32LE(0xfeedfacf, 0);
  header.writeUInt32LE(0x0100000c, 4); // CPU_TYPE_ARM64
  header.writeUInt32LE(2, 12); // MH_EXECUTE
  header.writeUInt32LE(commands.length, 16);
  header.writeUInt32LE(
    commands.reduce((sum, cmd) => sum + cmd.length, 0),
    20
  );
  const file = Buffer.alloc(size, 0xab);
  Buffer.concat([header, ...commands]).copy(file);
  return file;
}

// __TEXT: file 0x0-0x4000. __LINKEDIT: file 0x4000-0x8200 (0x4000 of linker data, then a 0x200-byte signature at
// 0x8000), memory 0x8000 bytes.
const TEXT = segment('__TEXT', BigInt(0x100000000), BigInt(0x4000), BigInt(0), BigInt(0x4000));
const LINKEDIT = segment('__LINKEDIT', BigInt(0x100004000), BigInt(0x8000), BigInt(0x4000), BigInt(0x4200));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'headroom-macho-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(content: Buffer): string {
  const file = path.join(dir, 'node');
  writeFileSync(file, content);
  return file;
}

describe('removeMachOSignature', () => {
  it('drops LC_CODE_SIGNATURE, shrinks __LINKEDIT to end where the signature began and cuts the file there', () => {
    const before = machO([TEXT, LINKEDIT, codeSignature(0x8000, 0x200)], 0x8200);
    const file = write(before);

    expect(removeMachOSignature(file)).toEqual({ dataOffset: 0x8000, dataSize: 0x200 });

    const after = readFileSync(file);
    expect(after.length).toBe(0x8000);
    expect(after.readUInt32LE(16)).toBe(2); // ncmds
    expect(after.readUInt32LE(20)).toBe(144); // sizeofcmds: two 72-byte segments
    const linkedit = 32 + 72;
    expect(after.readBigUInt64LE(linkedit + 48)).toBe(BigInt(0x4000)); // filesize: 0x8000 - 0x4000
    expect(after.readBigUInt64LE(linkedit + 32)).toBe(BigInt(0x4000)); // vmsize: 0x4000 is already a 16 KiB multiple
    expect(after.subarray(32 + 144, 32 + 160).equals(Buffer.alloc(16))).toBe(true); // the command is zeroed
    // Everything else, __TEXT and the linker data, is as it was.
    expect(after.subarray(0, 16).equals(before.subarray(0, 16))).toBe(true);
    expect(
      after
        .subarray(32, 32 + 144)
        .equals(
          Buffer.concat([
            TEXT,
            segment('__LINKEDIT', BigInt(0x100004000), BigInt(0x4000), BigInt(0x4000), BigInt(0x4000)),
          ])
        )
    ).toBe(true);
    expect(after.subarray(32 + 160).equals(before.subarray(32 + 160, 0x8000))).toBe(true);
  });

  it('rounds __LINKEDIT memory up to 16 KiB pages', () => {
    // Linker data 0x4100 bytes: filesize 0x4100, vmsize rounds up to 0x8000.
    const linkedit = segment('__LINKEDIT', BigInt(0x100004000), BigInt(0xc000), BigInt(0x4000), BigInt(0x4300));
    const file = write(machO([TEXT, linkedit, codeSignature(0x8100, 0x200)], 0x8300));
    removeMachOSignature(file);
    const after = readFileSync(file);
    expect(after.length).toBe(0x8100);
    expect(after.readBigUInt64LE(32 + 72 + 48)).toBe(BigInt(0x4100));
    expect(after.readBigUInt64LE(32 + 72 + 32)).toBe(BigInt(0x8000));
  });

  it('leaves an unsigned file as it is', () => {
    const before = machO(
      [TEXT, segment('__LINKEDIT', BigInt(0x100004000), BigInt(0x4000), BigInt(0x4000), BigInt(0x4000))],
      0x8000
    );
    const file = write(before);
    expect(removeMachOSignature(file)).toBeUndefined();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses, changing nothing, a signature that is not the last command or not the end of the file', () => {
    const notLast = machO([TEXT, codeSignature(0x8000, 0x200), LINKEDIT], 0x8200);
    const notLastFile = write(notLast);
    expect(() => removeMachOSignature(notLastFile)).toThrow('not the last load command');
    expect(readFileSync(notLastFile).equals(notLast)).toBe(true);

    const notAtEnd = machO([TEXT, LINKEDIT, codeSignature(0x7000, 0x200)], 0x8200);
    const notAtEndFile = write(notAtEnd);
    expect(() => removeMachOSignature(notAtEndFile)).toThrow('not at the end');
    expect(readFileSync(notAtEndFile).equals(notAtEnd)).toBe(true);
  });

  it('refuses what is not a thin 64-bit Mach-O (a universal binary, an ELF file)', () => {
    const fat = Buffer.alloc(64);
    fat.writeUInt32BE(0xcafebabe, 0);
    expect(() => removeMachOSignature(write(fat))).toThrow('not a thin 64-bit');
    expect(() => removeMachOSignature(write(Buffer.from('\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0', 'latin1')))).toThrow(
      'not a thin 64-bit'
    );
  });
});
