/**
 * The gRPC services Grafana's go-plugin client calls, loaded from this folder's `.proto` files: Grafana's plugin
 * protocol v2 (`pluginv2`), gRPC health (`grpc.health.v1`) and go-plugin's controller (`plugin`).
 */
import * as path from 'node:path';

import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const PROTO_FILES = ['pluginv2.proto', 'health.proto', 'controller.proto'];

/**
 * Field names in camelCase (`refId`, `dataSourceInstanceSettings`), 64-bit integers as numbers (milliseconds since
 * 1970 fit in 2^53), enums as their names, absent fields as their defaults, so handlers never meet `undefined` for a
 * scalar.
 */
const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export function loadProtocolDefinition(): protoLoader.PackageDefinition {
  return protoLoader.loadSync(
    PROTO_FILES.map((file) => path.join(__dirname, 'proto', file)),
    LOADER_OPTIONS
  );
}

/** The service definitions to register on a grpc-js server, by their full protobuf names. */
export interface ProtocolServices {
  data: grpc.ServiceDefinition;
  diagnostics: grpc.ServiceDefinition;
  resource: grpc.ServiceDefinition;
  health: grpc.ServiceDefinition;
  controller: grpc.ServiceDefinition;
}

export function protocolServices(definition = loadProtocolDefinition()): ProtocolServices {
  const service = (name: string) => definition[name] as grpc.ServiceDefinition;
  return {
    data: service('pluginv2.Data'),
    diagnostics: service('pluginv2.Diagnostics'),
    resource: service('pluginv2.Resource'),
    health: service('grpc.health.v1.Health'),
    controller: service('plugin.GRPCController'),
  };
}
