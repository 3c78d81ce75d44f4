/**
 * Removes the code signature from a thin 64-bit little-endian Mach-O file (Apple Silicon's `node`), as
 * `codesign --remove-signature` does: the LC_CODE_SIGNATURE load command goes, __LINKEDIT shrinks to end where the
 * signature began, and the file is cut there. Node's docs for single executables on macOS remove the signature
 * before injecting; postject (LIEF) would otherwise move a signature that no longer matches, and the ad-hoc signer
 * (quill) only zeroes an old one in place, leaving it inside __LINKEDIT.
 *
 * Layout read here: <mach-o/loader.h> (mach_header_64, segment_command_64, linkedit_data_command).
 */
import { closeSync, fstatSync, openSync, readSync, ftruncateSync, writeSync } from 'node:fs';

const MH_MAGIC_64 = 0xfeedfacf;
const MACH_HEADER_64_BYTES = 32;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
// arm64 Mach-O segments are aligned to 16 KiB pages; vmsize stays a multiple of it.
const SEGMENT_ALIGN = BigInt(0x4000);

export interface RemovedSignature {
  /** File offset where the signature was (the new file size). */
  dataOffset: number;
  dataSize: number;
}

/** Removes the signature; undefined when the file had none. Throws on a layout it does not know how to cut. */
export function removeMachOSignature(file: string): RemovedSignature | undefined {
  const fd = openSync(file, 'r+');
  try {
    const fileSize = fstatSync(fd).size;
    const header = Buffer.alloc(MACH_HEADER_64_BYTES);
    readSync(fd, header, 0, header.length, 0);
    if (header.readUInt32LE(0) !== MH_MAGIC_64) {
      throw new Error(`${file}: not a thin 64-bit little-endian Mach-O file`);
    }
    const ncmds = header.readUInt32LE(16);
    const sizeofcmds = header.readUInt32LE(20);
    const commands = Buffer.alloc(sizeofcmds);
    readSync(fd, commands, 0, sizeofcmds, MACH_HEADER_64_BYTES);

    let offset = 0;
    let linkedit: number | undefined;
    let signature: number | undefined;
    for (let index = 0; index < ncmds; index++) {
      const cmd = commands.readUInt32LE(offset);
      const cmdsize = commands.readUInt32LE(offset + 4);
      if (cmd === LC_SEGMENT_64 && commands.toString('latin1', offset + 8, offset + 24).replace(/\0+$/, '') === '__LINKEDIT') {
        linkedit = offset;
      }
      if (cmd === LC_CODE_SIGNATURE) {
        if (index !== ncmds - 1) {
          throw new Error(`${file}: LC_CODE_SIGNATURE is not the last load command`);
        }
        signature = offset;
      }
      offset += cmdsize;
    }
    if (signature === undefined) {
      return undefined;
    }
    if (linkedit === undefined) {
      throw new Error(`${file}: signed but has no __LINKEDIT segment`);
    }
    const dataOffset = commands.readUInt32LE(signature + 8);
    const dataSize = commands.readUInt32LE(signature + 12);
    const linkeditFileoff = commands.readBigUInt64LE(linkedit + 40);
    const linkeditFilesize = commands.readBigUInt64LE(linkedit + 48);
    // Only the usual layout: the signature is the tail of __LINKEDIT, which is the tail of the file.
    if (
      Number(linkeditFileoff + linkeditFilesize) !== fileSize ||
      dataOffset + dataSize !== fileSize ||
      BigInt(dataOffset) < linkeditFileoff
    ) {
      throw new Error(`${file}: the code signature is not at the end of __LINKEDIT and of the file`);
    }
    const newFilesize = BigInt(dataOffset) - linkeditFileoff;
    commands.writeBigUInt64LE(newFilesize, linkedit + 48);
    commands.writeBigUInt64LE(((newFilesize + SEGMENT_ALIGN - BigInt(1)) / SEGMENT_ALIGN) * SEGMENT_ALIGN, linkedit + 32);
    const signatureCmdsize = commands.readUInt32LE(signature + 4);
    commands.fill(0, signature, signature + signatureCmdsize);
    header.writeUInt32LE(ncmds - 1, 16);
    header.writeUInt32LE(sizeofcmds - signatureCmdsize, 20);

    writeSync(fd, header, 0, header.length, 0);
    writeSync(fd, commands, 0, commands.length, MACH_HEADER_64_BYTES);
    ftruncateSync(fd, dataOffset);
    return { dataOffset, dataSize };
  } finally {
    closeSync(fd);
  }
}
