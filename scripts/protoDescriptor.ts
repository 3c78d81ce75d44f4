/**
 * Writes src/backend/proto/protocol.json, the backend's gRPC definitions as protobufjs JSON, from the `.proto` files
 * beside it. The backend loads the JSON (an import, so a bundle carries it and needs no file beside it); the `.proto`
 * files stay the readable source, and src/backend/protocol.test.ts fails when the JSON no longer matches them.
 *
 *   npx tsx scripts/protoDescriptor.ts
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import * as protobuf from 'protobufjs';

const PROTO_DIR = path.resolve(__dirname, '../src/backend/proto');
const PROTO_FILES = ['pluginv2.proto', 'health.proto', 'controller.proto'];
export const DESCRIPTOR_PATH = path.join(PROTO_DIR, 'protocol.json');

/** Parsed as @grpc/proto-loader's loadSync would with `keepCase: false`: field names in camelCase. */
export function protoDescriptor(): protobuf.INamespace {
  const root = new protobuf.Root().loadSync(
    PROTO_FILES.map((file) => path.join(PROTO_DIR, file)),
    { keepCase: false }
  );
  root.resolveAll();
  return root.toJSON();
}

export function descriptorText(): string {
  return JSON.stringify(protoDescriptor(), null, 2) + '\n';
}

if (require.main === module) {
  writeFileSync(DESCRIPTOR_PATH, descriptorText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), DESCRIPTOR_PATH)}\n`);
}
