/**
 * The gRPC services Grafana's go-plugin client calls, as written in this folder's `.proto` files: Grafana's plugin
 * protocol v2 (`pluginv2`), gRPC health (`grpc.health.v1`) and go-plugin's controller (`plugin`). They are loaded from
 * `proto/protocol.json`, the same definitions as protobufjs JSON (scripts/protoDescriptor.ts writes it): an import, so
 * the bundled executable carries them inside its one JavaScript file, and source, tests and bundle load them alike.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

import descriptor from './proto/protocol.json';

/**
 * Field names in camelCase (`refId`, `dataSourceInstanceSettings`: protocol.json is written so, as proto-loader's
 * `keepCase: false` would parse the `.proto` files), 64-bit integers as numbers (milliseconds since
 * 1970 fit in 2^53), enums as their names, absent fields as their defaults, so handlers never meet `undefined` for a
 * scalar.
 */
const LOADER_OPTIONS: protoLoader.Options = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

export function loadProtocolDefinition(): protoLoader.PackageDefinition {
  // JSON's inferred type widens protobufjs's tagged shapes (a service's `methods`), so it is named here.
  return protoLoader.fromJSON(descriptor as Parameters<typeof protoLoader.fromJSON>[0], LOADER_OPTIONS);
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
