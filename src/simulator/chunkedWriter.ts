/**
 * Encodes output straight into fixed-size byte buffers and hands full ones to a stream, waiting for 'drain'
 * only when the stream has a large backlog: memory stays bounded however long the output is, and encoding
 * overlaps with the disk. Hot loops write bytes into `buffer` at `offset` themselves (after `reserve`),
 * so no string is built per sample.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';

const CHUNK_BYTES = 4 << 20;

export class ChunkedWriter {
  buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  offset = 0;
  private readonly ready: Buffer[] = [];
  bytesWritten = 0;

  constructor(private readonly out: Writable) {}

  /** Makes sure `bytes` more bytes fit in `buffer` after `offset`; call `flush` when `full` afterwards. */
  reserve(bytes: number): void {
    if (bytes > CHUNK_BYTES) {
      throw new Error(`ChunkedWriter cannot hold ${bytes} bytes at once; write at most ${CHUNK_BYTES}`);
    }
    if (this.offset + bytes > CHUNK_BYTES) {
      this.ready.push(this.buffer.subarray(0, this.offset));
      this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      this.offset = 0;
    }
  }

  /** Adds text (headers); call `flush` when `full` from loops that add a lot. */
  add(text: string): void {
    this.reserve(Buffer.byteLength(text));
    this.offset += this.buffer.write(text, this.offset, 'utf8');
  }

  get full(): boolean {
    return this.ready.length > 0;
  }

  async flush(): Promise<void> {
    if (this.offset > 0) {
      this.ready.push(this.buffer.subarray(0, this.offset));
      this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      this.offset = 0;
    }
    for (const chunk of this.ready.splice(0)) {
      this.bytesWritten += chunk.length;
      if (!this.out.write(chunk)) {
        await once(this.out, 'drain');
      }
    }
  }

  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(resolve);
    });
  }
}
